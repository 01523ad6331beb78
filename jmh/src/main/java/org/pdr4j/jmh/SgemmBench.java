package org.pdr4j.jmh;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.pdr4j.tensor.Parallel;
import org.pdr4j.tensor.backend.cpu.simd.Sgemm;

/**
 * Square row-major SGEMM, C = A * B, at 1 and 2 intra-op threads.
 *
 * <p>JMH reports microseconds per call; GFLOP/s = 2 * size^3 / (us * 1e3). Compare with
 * {@code jmh/scripts/torch_matmul.py}, which prints GFLOP/s for torch.matmul on the same shapes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class SgemmBench {
    @Param({"256", "512", "1024"})
    public int size;

    @Param({"1", "2"})
    public int threads;

    private float[] a;
    private float[] b;
    private float[] c;

    @Setup(Level.Trial)
    public void setup() {
        Parallel.setThreads(threads);
        SplittableRandom rnd = new SplittableRandom(1);
        a = new float[size * size];
        b = new float[size * size];
        c = new float[size * size];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (rnd.nextDouble() - 0.5);
            b[i] = (float) (rnd.nextDouble() - 0.5);
        }
    }

    /** Returns C so the JIT cannot drop the call. */
    @Benchmark
    public float[] sgemm() {
        Sgemm.sgemm(false, false, size, size, size, 1f, a, 0, size, b, 0, size, 0f, c, 0, size);
        return c;
    }
}
