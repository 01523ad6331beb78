package org.pdr4j.models.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pdr train / eval / predict / bench end to end at the micro config, and their one-line errors. */
class TrainCommandsTest {
    @TempDir Path tmp;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private static void assertOneLineError(CliRun r, String needle) {
        assertEquals(PdrCli.EXIT_FAILURE, r.code(), r.out() + r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("pdr: ") && r.err().contains(needle), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }

    @Test
    void trainEvalPredictRoundTrip() throws Exception {
        Path run = tmp.resolve("run");
        CliRun t = run("train", "--model", "tau", "--config", "micro", "--out", run.toString());
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().contains("test (best, epoch 1)") && t.out().contains("copy last") && t.out().contains("test (empty frame)"), t.out());
        Path best = run.resolve("best.safetensors");
        CliRun e = run("eval", "--checkpoint", best.toString());
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains("MSE") && e.out().contains("PSNR"), e.out());
        assertTrue(Files.readString(run.resolve("eval-test.json")).contains("\"ssim\""));
        CliRun p = run("predict", "--checkpoint", best.toString(), "--out", tmp.resolve("pred").toString(), "--samples", "2");
        assertEquals(0, p.code(), p.err());
        assertTrue(Files.size(tmp.resolve("pred/sample-1.png")) > 0 && Files.size(tmp.resolve("pred/sample-1.gif")) > 0);

        assertOneLineError(run("train", "--model", "tau", "--config", "micro", "--out", run.toString()), "--resume");
        assertOneLineError(run("train", "--resume", "--model", "gsta", "--config", "micro", "--out", run.toString()), "holds a tau model");
        assertOneLineError(run("train", "--resume", "--model", "tau", "--config", "digits", "--out", run.toString()), "config micro");
    }

    @Test
    void optimisationFlagsReachTheCheckpoint() throws Exception {
        Path run = tmp.resolve("opt");
        CliRun t = run("train", "--model", "simvp", "--config", "micro", "--lr", "5e-4", "--schedule", "cosine", "--clip", "0.5",
                "--out", run.toString());
        assertEquals(0, t.code(), t.err());
        var c = org.pdr4j.models.train.Checkpoint.load(run.resolve("last.safetensors")).config();
        assertEquals(5e-4, c.lr());
        assertEquals("cosine", c.schedule());
        assertEquals(0.5, c.clip());
        assertOneLineError(run("train", "--config", "micro", "--schedule", "step", "--out", tmp.resolve("y").toString()), "unknown --schedule 'step'");
        assertOneLineError(run("train", "--config", "micro", "--lr", "-1", "--out", tmp.resolve("y").toString()), "--lr must be");
        assertOneLineError(run("train", "--config", "micro", "--clip", "-2", "--out", tmp.resolve("y").toString()), "--clip must be");
    }

    @Test
    void badInputsAreOneLineErrors() throws Exception {
        assertOneLineError(run("train", "--config", "nope", "--out", tmp.resolve("x").toString()), "unknown config 'nope'");
        assertOneLineError(run("train", "--model", "convlstm", "--out", tmp.resolve("x").toString()), "unknown --model");
        Path junk = tmp.resolve("junk.safetensors");
        Files.write(junk, "not a checkpoint at all".getBytes());
        assertOneLineError(run("eval", "--checkpoint", junk.toString()), "corrupt checkpoint");
        assertOneLineError(run("eval", "--checkpoint", tmp.resolve("missing.safetensors").toString()), "no checkpoint");
    }

    @Test
    void benchTrainStepPrintsTimings() {
        CliRun r = run("bench", "train-step", "--model", "pdr", "--config", "micro", "--steps", "2", "--warmup", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("median"), r.out());
    }
}
