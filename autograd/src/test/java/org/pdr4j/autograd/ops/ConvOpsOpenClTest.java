package org.pdr4j.autograd.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pdr4j.autograd.Var;
import org.pdr4j.tensor.Tensor;
import org.pdr4j.tensor.backend.Backends;
import org.pdr4j.tensor.backend.opencl.OpenCl;

/**
 * ConvOps' conv2d and conv_transpose2d on {@code Backends.use("opencl")} give the CPU's
 * values and gradients (x, weight, bias, one random upstream gradient) within
 * {@code 1e-4 * (|cpu| + mean|cpu|)}. Skips only where no OpenCL platform is installed.
 */
class ConvOpsOpenClTest {
    @BeforeAll
    static void device() {
        if (OpenCl.available()) return;
        if (OpenCl.icdInstalled()) fail("an OpenCL ICD is registered but no device opened: " + OpenCl.unavailableReason());
        assumeTrue(false, "no OpenCL platform installed (" + OpenCl.unavailableReason() + ")");
    }

    /** Output value and the gradients of x, w, b of {@code op} on backend {@code name}. */
    private static Tensor[] run(String name, Function<Var[], Var> op, Tensor x, Tensor w, Tensor b, long seedSeed) {
        Backends.use(name);
        try {
            assertEquals(name, Backends.current().name());
            Var vx = Var.param(x), vw = Var.param(w), vb = Var.param(b);
            Var y = op.apply(new Var[] {vx, vw, vb});
            y.backward(Tensor.randn(seedSeed, y.shape().toArray()), false);
            return new Tensor[] {y.value(), vx.grad(), vw.grad(), vb.grad()};
        } finally {
            Backends.use("cpu");
        }
    }

    private static void assertNear(String what, Tensor ref, Tensor actual) {
        assertEquals(ref.shape(), actual.shape(), what);
        double[] e = ref.toDoubleArray(), a = actual.toDoubleArray();
        double mean = 0;
        for (double v : e) mean += Math.abs(v);
        mean /= Math.max(1, e.length);
        for (int i = 0; i < e.length; i++) {
            double tol = 1e-4 * (Math.abs(e[i]) + mean);
            if (!(Math.abs(a[i] - e[i]) <= tol)) fail(what + ": element " + i + " is " + a[i] + ", cpu " + e[i] + " (tol " + tol + ")");
        }
    }

    private static void compare(String what, Function<Var[], Var> op, int[] xs, int[] ws, int cout) {
        Tensor x = Tensor.randn(1, xs), w = Tensor.randn(2, ws), b = Tensor.randn(3, cout);
        Tensor[] cpu = run("cpu", op, x, w, b, 4), cl = run("opencl", op, x, w, b, 4);
        String[] names = {"value", "grad x", "grad weight", "grad bias"};
        for (int i = 0; i < 4; i++) assertNear(what + " " + names[i], cpu[i], cl[i]);
    }

    @Test
    void conv2dGradientsMatchTheCpu() {
        compare("3x3 s2 p1", v -> ConvOps.conv2d(v[0], v[1], v[2], new int[] {2}, new int[] {1}, new int[] {1}, 1),
                new int[] {2, 4, 11, 9}, new int[] {6, 4, 3, 3}, 6);
        compare("grouped g2 d2", v -> ConvOps.conv2d(v[0], v[1], v[2], new int[] {1}, new int[] {2}, new int[] {2}, 2),
                new int[] {2, 4, 10, 10}, new int[] {6, 2, 3, 3}, 6);
        compare("dw 7x7 d3 p9", v -> ConvOps.conv2d(v[0], v[1], v[2], new int[] {1}, new int[] {9}, new int[] {3}, 8),
                new int[] {2, 8, 12, 12}, new int[] {8, 1, 7, 7}, 8);
        compare("1x1", v -> ConvOps.conv2d(v[0], v[1], v[2], new int[] {1}, new int[] {0}, new int[] {1}, 1),
                new int[] {2, 5, 7, 6}, new int[] {3, 5, 1, 1}, 3);
    }

    @Test
    void convTranspose2dGradientsMatchTheCpu() {
        compare("transposed s2 p1 op1", v -> ConvOps.convTranspose2d(v[0], v[1], v[2], new int[] {2}, new int[] {1}, new int[] {1},
                new int[] {1}, 1), new int[] {2, 4, 5, 6}, new int[] {4, 3, 3, 3}, 3);
        compare("transposed grouped", v -> ConvOps.convTranspose2d(v[0], v[1], v[2], new int[] {2}, new int[] {0}, new int[] {0},
                new int[] {1}, 2), new int[] {1, 4, 5, 5}, new int[] {4, 3, 4, 4}, 6);
    }
}
