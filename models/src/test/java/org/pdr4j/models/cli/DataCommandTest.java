package org.pdr4j.models.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdr4j.models.data.DataFiles;

/** {@code pdr data check} and training on a file-backed data set through {@code --data-root}. */
class DataCommandTest {
    @TempDir Path tmp;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void checkReportsEverySplit() throws Exception {
        DataFiles.taxiBj(tmp.resolve("taxibj"), false, 3, 2);
        CliRun r = run("data", "check", "--dataset", "taxibj", "--data-root", tmp.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("train  3 samples of [4, 2, 32, 32] -> [4, 2, 32, 32]"), r.out());
        assertTrue(r.out().contains("test   2 samples") && r.out().contains("val    2 samples"), r.out());
        assertTrue(r.out().contains("X_train") && r.out().contains("ok: every split opened"), r.out());
        // The fixture's values span [-1, 1], so the loaded ones span [0, 1].
        assertTrue(r.out().contains("min 0") && r.out().contains("max 1"), r.out());
    }

    @Test
    void benchDataTimesTheLoader() throws Exception {
        DataFiles.taxiBj(tmp, false, 20, 2);
        CliRun r = run("bench", "data", "--config", "taxibj", "--data-root", tmp.toString(), "--batches", "3");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("taxibj/train (20 samples): batch of 16 filled in ms") && r.out().contains("samples/s"), r.out());
    }

    @Test
    void checkSaysWhatIsMissingOneLinePerSplit() {
        CliRun r = run("data", "check", "--dataset", "moving-mnist", "--data-root", tmp.toString());
        assertEquals(PdrCli.EXIT_FAILURE, r.code());
        assertEquals(3, r.out().lines().filter(l -> l.contains("FAILED")).count(), r.out());
        assertTrue(r.out().contains("mnist_test_seq.npy") && r.out().contains("train-images-idx3-ubyte"), r.out());
        assertFalse(r.out().contains("Exception") || r.err().contains("Exception"), r.out() + r.err());
        CliRun u = run("data", "check", "--dataset", "nope");
        assertEquals(PdrCli.EXIT_FAILURE, u.code());
        assertTrue(u.err().startsWith("pdr: unknown --dataset 'nope'") && u.err().contains("taxibj"), u.err());
    }

    @Test
    void trainsFromTheDataRootAndEvaluatesWhereTheDataMoved() throws Exception {
        Path data = tmp.resolve("data");
        DataFiles.taxiBj(data, false, 4, 2);
        Path run = tmp.resolve("run");
        CliRun t = run("train", "--model", "simvp", "--config", "taxibj", "--data-root", data.toString(), "--epochs", "1", "--batch", "2",
                "--train-size", "4", "--out", run.toString());
        assertEquals(0, t.code(), t.out() + t.err());
        assertTrue(t.out().contains("test (best, epoch 1)"), t.out());
        Path moved = tmp.resolve("moved");
        Files.move(data, moved);
        Path best = run.resolve("best.safetensors");
        CliRun gone = run("eval", "--checkpoint", best.toString());
        assertEquals(PdrCli.EXIT_FAILURE, gone.code());
        assertTrue(gone.err().startsWith("pdr: ") && gone.err().contains(data.toString()), gone.err());
        CliRun e = run("eval", "--checkpoint", best.toString(), "--data-root", moved.toString());
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains("on taxibj/test (2 samples)"), e.out());
    }
}
