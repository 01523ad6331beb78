package org.pdr4j.jmh;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.pdr4j.autograd.Var;
import org.pdr4j.autograd.ops.NormOps;
import org.pdr4j.tensor.Parallel;
import org.pdr4j.tensor.Tensor;

/**
 * GroupNorm and BatchNorm forward + backward on {@code [n, 64, 32, 32]} float32: the fused
 * kernels ({@code fused*}) beside the same maths composed from Var ops ({@code composite*}:
 * mean, var, sub, mul, ...), so the ratio shows what the fused closed-form kernels buy. Run with
 * {@code java --add-modules jdk.incubator.vector -jar jmh/target/benchmarks.jar NormBench}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class NormBench {
    @Param({"16"})
    int n;

    @Param({"1"})
    int threads;

    Tensor x, w, b, seed;

    @Setup
    public void setup() {
        Parallel.setThreads(threads);
        x = Tensor.randn(1, n, 64, 32, 32);
        w = Tensor.randn(2, 64);
        b = Tensor.randn(3, 64);
        seed = Tensor.randn(4, n, 64, 32, 32);
    }

    private Tensor run(boolean group, boolean fused) {
        Var xv = Var.param(x), wv = Var.param(w), bv = Var.param(b);
        Var y;
        if (fused) {
            y = group ? NormOps.groupNorm(xv, 2, wv, bv, 1e-5) : NormOps.batchNorm(xv, wv, bv, null, null, true, 0.1, 1e-5);
        } else if (group) {
            Var g = xv.reshape(n, 2, -1);
            Var m = g.mean(new int[] {2}, true), v = g.var(new int[] {2}, true, 0);
            y = g.sub(m).mul(v.add(1e-5).rsqrt()).reshape(n, 64, 32, 32).mul(wv.reshape(64, 1, 1)).add(bv.reshape(64, 1, 1));
        } else {
            int[] ax = {0, 2, 3};
            Var m = xv.mean(ax, true), v = xv.var(ax, true, 0);
            y = xv.sub(m).mul(v.add(1e-5).rsqrt()).mul(wv.reshape(64, 1, 1)).add(bv.reshape(64, 1, 1));
        }
        y.backward(seed, false);
        return xv.grad();
    }

    @Benchmark public Tensor fusedGroupNorm() { return run(true, true); }

    @Benchmark public Tensor compositeGroupNorm() { return run(true, false); }

    @Benchmark public Tensor fusedBatchNorm() { return run(false, true); }

    @Benchmark public Tensor compositeBatchNorm() { return run(false, false); }
}
