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
 * NormOps (softmax, log-softmax, GroupNorm, LayerNorm, BatchNorm) on {@code Backends.use("opencl")} give the
 * CPU's values and gradients for input, weight and bias, within the golden tests' float32
 * tolerances (forward 1e-5 abs + 1e-5 rel, gradients 1e-5 abs + 1e-4 rel).
 */
class OpenClNormOpsTest {
    @BeforeAll
    static void device() {
        if (!OpenCl.available()) {
            if (OpenCl.icdInstalled()) fail("an OpenCL ICD is registered but no device opened: " + OpenCl.unavailableReason());
            assumeTrue(false, "no OpenCL platform installed (" + OpenCl.unavailableReason() + ")");
        }
    }

    static void assertClose(Tensor e, Tensor a, double atol, double rtol, String what) {
        assertEquals(e.shape(), a.shape(), what);
        double[] ev = e.toDoubleArray(), av = a.toDoubleArray();
        for (int i = 0; i < ev.length; i++) {
            if (!(Math.abs(ev[i] - av[i]) <= atol + rtol * Math.abs(ev[i])))
                fail(what + ": element " + i + " expected " + ev[i] + " got " + av[i]);
        }
    }

    /** Value and input gradients of {@code f(params)} weighted by a fixed random upstream gradient, on {@code backend}. */
    private static Tensor[] run(String backend, Function<Var[], Var> f, Tensor... inputs) {
        Backends.use(backend);
        try {
            assertEquals(backend, Backends.current().name());
            Var[] v = new Var[inputs.length];
            for (int i = 0; i < v.length; i++) v[i] = Var.param(inputs[i].copy());
            Var y = f.apply(v);
            Tensor up = Tensor.randn(99, y.shape().toArray());
            y.mul(Var.constant(up)).sum().backward();
            Tensor[] out = new Tensor[inputs.length + 1];
            out[0] = y.value();
            for (int i = 0; i < v.length; i++) out[i + 1] = v[i].grad();
            return out;
        } finally {
            Backends.use("cpu");
        }
    }

    private static void check(String what, Function<Var[], Var> f, Tensor... inputs) {
        Tensor[] cpu = run("cpu", f, inputs), cl = run("opencl", f, inputs);
        assertClose(cpu[0], cl[0], 1e-5, 1e-5, what + " value");
        for (int i = 1; i < cpu.length; i++) assertClose(cpu[i], cl[i], 1e-5, 1e-4, what + " grad " + (i - 1));
    }

    @Test
    void softmaxOnOpenClMatchesTheCpu() {
        check("softmax(-1)", v -> NormOps.softmax(v[0], -1), Tensor.randn(1, 3, 5, 37));
        check("softmax(1)", v -> NormOps.softmax(v[0], 1), Tensor.randn(2, 3, 5, 7));
        check("logSoftmax(0)", v -> NormOps.logSoftmax(v[0], 0), Tensor.randn(3, 9, 4));
    }

    @Test
    void groupAndLayerNormOnOpenClMatchTheCpu() {
        check("groupNorm(3)", v -> NormOps.groupNorm(v[0], 3, v[1], v[2], 1e-5),
                Tensor.randn(4, 2, 6, 5, 3), Tensor.randn(5, 6), Tensor.randn(6, 6));
        check("groupNorm(2, no affine)", v -> NormOps.groupNorm(v[0], 2, null, null, 1e-5), Tensor.randn(7, 3, 4, 7));
        check("layerNorm", v -> NormOps.layerNorm(v[0], new int[] {5, 7}, v[1], v[2], 1e-5),
                Tensor.randn(8, 3, 5, 7), Tensor.randn(9, 5, 7), Tensor.randn(10, 5, 7));
    }

    @Test
    void batchNormOnOpenClMatchesTheCpu() {
        check("batchNorm(train)", v -> NormOps.batchNorm(v[0], v[1], v[2], Tensor.zeros(5), Tensor.ones(5), true, 0.1, 1e-5),
                Tensor.randn(11, 3, 5, 7), Tensor.randn(12, 5), Tensor.randn(13, 5));
        Tensor rm = Tensor.randn(14, 5), rv = Tensor.rand(15, 5).add(0.5);
        check("batchNorm(eval)", v -> NormOps.batchNorm(v[0], v[1], v[2], rm, rv, false, 0.1, 1e-5),
                Tensor.randn(16, 3, 5, 7), Tensor.randn(17, 5), Tensor.randn(18, 5));
    }
}
