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
import org.pdr4j.tensor.Parallel;
import org.pdr4j.tensor.Tensor;

/**
 * Element-wise and reduction ops through the public Tensor API, each beside a plain scalar
 * Java loop over the same arrays (the {@code baseline*} methods), so the ratio shows what the
 * Vector API kernels and the view machinery buy. Run with
 * {@code java --add-modules jdk.incubator.vector -jar jmh/target/benchmarks.jar Elementwise}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ElementwiseBench {
    @Param({"1048576"})
    int n;

    @Param({"1"})
    int threads;

    Tensor x, y, rows;
    float[] xa, ya, out;

    @Setup
    public void setup() {
        Parallel.setThreads(threads);
        x = Tensor.randn(1, n);
        y = Tensor.randn(2, n);
        rows = Tensor.randn(3, n / 1024, 1024);
        xa = x.toFloatArray();
        ya = y.toFloatArray();
        out = new float[n];
    }

    @Benchmark
    public Tensor add() {
        return x.add(y);
    }

    @Benchmark
    public float[] baselineAdd() {
        for (int i = 0; i < n; i++) out[i] = xa[i] + ya[i];
        return out;
    }

    @Benchmark
    public Tensor exp() {
        return x.exp();
    }

    @Benchmark
    public float[] baselineExp() {
        for (int i = 0; i < n; i++) out[i] = (float) Math.exp(xa[i]);
        return out;
    }

    @Benchmark
    public Tensor gelu() {
        return x.gelu();
    }

    @Benchmark
    public Tensor sumAll() {
        return x.sum();
    }

    @Benchmark
    public float baselineSumAll() {
        float s = 0;
        for (int i = 0; i < n; i++) s += xa[i];
        return s;
    }

    /** Row sums of [n/1024, 1024]: the contiguous-row reduction path. */
    @Benchmark
    public Tensor sumRows() {
        return rows.sum(new int[] {1}, false);
    }

    /** Column sums of [n/1024, 1024]: the column-accumulate path. */
    @Benchmark
    public Tensor sumColumns() {
        return rows.sum(new int[] {0}, false);
    }

    /** A transposed (strided) operand forced through the general loop. */
    @Benchmark
    public Tensor addTransposed() {
        return rows.transpose(0, 1).add(rows.transpose(0, 1));
    }
}
