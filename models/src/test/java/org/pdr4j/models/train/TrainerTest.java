package org.pdr4j.models.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdr4j.models.config.Configs;
import org.pdr4j.models.config.ModelConfig;
import org.pdr4j.tensor.Tensor;

/** The training loop: checkpoints, exact resume, refusal of bad checkpoints. */
class TrainerTest {
    private static final ModelConfig MICRO = Configs.get("micro");
    private static final PrintWriter QUIET = new PrintWriter(new StringWriter());

    @TempDir Path tmp;

    @Test
    void resumedRunEqualsUninterruptedRun() throws Exception {
        for (String kind : new String[] {"tau", "pdr"}) {
            Path a = tmp.resolve(kind + "-a"), b = tmp.resolve(kind + "-b");
            Trainer straight = new Trainer(kind, MICRO, ModelConfig.defaultLoss(kind), 5, a, QUIET);
            straight.run(3);
            Trainer first = new Trainer(kind, MICRO, ModelConfig.defaultLoss(kind), 5, b, QUIET);
            first.run(1);
            Trainer resumed = new Trainer(Checkpoint.load(b.resolve("last.safetensors")), b, QUIET);
            assertEquals(1, resumed.state().step());
            resumed.run(2);
            assertEquals(3, resumed.state().step());
            Map<String, Tensor> x = straight.net().stateDict(), y = resumed.net().stateDict();
            // Equal to float32 rounding, not bit for bit: the Vector API's EXP/TANH give results an ulp
            // apart before and after the JIT compiles them (intrinsic vs Java fallback), in any run.
            for (String k : x.keySet()) {
                float[] p = x.get(k).toFloatArray(), q = y.get(k).toFloatArray();
                for (int i = 0; i < p.length; i++)
                    assertEquals(p[i], q[i], 1e-5 * (1 + Math.abs(p[i])), kind + " " + k + "[" + i + "]");
            }
        }
    }

    @Test
    void fullRunWritesCheckpointsMetricsAndLog() throws Exception {
        Trainer t = new Trainer("tau", MICRO, "mse", 1, tmp, QUIET);
        t.run(0);
        assertTrue(t.finished());
        for (String f : new String[] {"last.safetensors", "best.safetensors", "metrics.json", "train.log"})
            assertTrue(Files.exists(tmp.resolve(f)), f);
        Checkpoint ck = Checkpoint.load(tmp.resolve("best.safetensors"));
        assertEquals("tau", ck.model());
        assertEquals("micro", ck.config().name());
        assertEquals(MICRO.trainSize() / MICRO.batch(), ck.state().step());
        assertTrue(Files.readString(tmp.resolve("metrics.json")).contains("\"val\""));
        ck.buildModel(); // loads strictly
    }

    @Test
    void corruptAndForeignFilesAreOneLineErrors() throws Exception {
        Path junk = tmp.resolve("junk.safetensors");
        Files.write(junk, new byte[] {1, 2, 3});
        var e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(junk));
        assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
        var missing = assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(tmp.resolve("none.safetensors")));
        assertTrue(missing.getMessage().contains("no checkpoint"), missing.getMessage());
        Trainer t = new Trainer("tau", MICRO, "mse", 1, tmp.resolve("run"), QUIET);
        t.run(1);
        Path last = tmp.resolve("run/last.safetensors");
        byte[] bytes = Files.readAllBytes(last);
        Path cut = tmp.resolve("cut.safetensors");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(cut));
        // a checkpoint whose weights belong to another model
        Checkpoint ck = Checkpoint.load(last);
        Checkpoint lying = new Checkpoint("gsta", ck.config(), ck.state(), ck.weights(), ck.optimizer());
        var mismatch = assertThrows(IllegalArgumentException.class, lying::buildModel);
        assertTrue(mismatch.getMessage().contains("does not match"), mismatch.getMessage());
    }
}
