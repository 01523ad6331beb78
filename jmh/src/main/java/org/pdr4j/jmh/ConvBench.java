package org.pdr4j.jmh;

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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.pdr4j.autograd.Var;
import org.pdr4j.autograd.ops.ConvOps;
import org.pdr4j.tensor.Parallel;
import org.pdr4j.tensor.Tensor;
import org.pdr4j.tensor.backend.Backends;

/**
 * The model's convolution shapes through {@link ConvOps#conv2d}, float32, batch 16
 * {@code conv3x3} (64 -> 64 channels, 32x32, padding 1), {@code conv1x1} (640 -> 512, 16x16) and
 * {@code dw7x7d3} (depthwise 512 channels, 16x16, kernel 7, dilation 3, padding 9); and the
 * SimVP encoder/decoder at the digits config, batch 160 (16 clips x 10 frames): {@code enc16x64}
 * (3x3, 16 -> 16, 64x64) and {@code enc16to64x32} (3x3, 16 -> 64, 32x32); all padded 1 (but
 * the depthwise one) and with bias.
 * {@code forward} runs on constants (no graph); {@code forwardBackward} also backpropagates a
 * fixed upstream gradient to x, w and b. {@code backend} picks the tensor backend: on
 * {@code opencl} each call uploads its operands and downloads its result (pocl on a CPU is a
 * correctness device, not a GPU: compare there only as a ratio in one run).
 *
 * <p>Compare with {@code jmh/scripts/conv_torch_bench.py} (same shapes and modes) as a ratio
 * measured in one session: {@code /usr/bin/python3 jmh/scripts/conv_torch_bench.py 2}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ConvBench {
    @Param({"conv3x3", "conv1x1", "dw7x7d3", "enc16x64", "enc16to64x32"})
    public String shape;

    @Param({"2"})
    public int threads;

    /** The tensor backend ConvOps runs on ({@code Backends.use}); {@code opencl} is whatever device is default (pocl in CI). */
    @Param({"cpu", "opencl"})
    public String backend;

    private Tensor x, w, b, g;
    private int[] stride, padding, dilation;
    private int groups;

    @Setup(Level.Trial)
    public void setup() {
        Parallel.setThreads(threads);
        Backends.use(backend);
        if (!Backends.current().name().equals(backend)) {
            throw new IllegalStateException("backend " + backend + " did not start (got " + Backends.current().name() + ")");
        }
        int[] xs, ws;
        int pad, dil;
        switch (shape) {
            case "conv3x3" -> { xs = new int[] {16, 64, 32, 32}; ws = new int[] {64, 64, 3, 3}; pad = 1; dil = 1; groups = 1; }
            case "conv1x1" -> { xs = new int[] {16, 640, 16, 16}; ws = new int[] {512, 640, 1, 1}; pad = 0; dil = 1; groups = 1; }
            case "dw7x7d3" -> { xs = new int[] {16, 512, 16, 16}; ws = new int[] {512, 1, 7, 7}; pad = 9; dil = 3; groups = 512; }
            // SimVP encoder/decoder at the digits config: batch 16 x 10 frames, hid_S 16
            case "enc16x64" -> { xs = new int[] {160, 16, 64, 64}; ws = new int[] {16, 16, 3, 3}; pad = 1; dil = 1; groups = 1; }
            case "enc16to64x32" -> { xs = new int[] {160, 16, 32, 32}; ws = new int[] {64, 16, 3, 3}; pad = 1; dil = 1; groups = 1; }
            default -> throw new IllegalArgumentException("unknown shape " + shape);
        }
        stride = new int[] {1};
        padding = new int[] {pad};
        dilation = new int[] {dil};
        x = Tensor.randn(1, xs);
        w = Tensor.randn(2, ws).mul(0.05);
        b = Tensor.randn(3, ws[0]);
        g = Tensor.randn(4, ConvOps.conv2d(Var.constant(x), Var.constant(w), Var.constant(b), stride, padding, dilation, groups).value().shape().toArray());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        Backends.use("cpu");
    }

    @Benchmark
    public Tensor forward() {
        return ConvOps.conv2d(Var.constant(x), Var.constant(w), Var.constant(b), stride, padding, dilation, groups).value();
    }

    /** Returns the weight gradient so the JIT keeps the whole backward. */
    @Benchmark
    public Tensor forwardBackward() {
        Var xv = Var.param(x), wv = Var.param(w), bv = Var.param(b);
        ConvOps.conv2d(xv, wv, bv, stride, padding, dilation, groups).backward(g, false);
        return wv.grad();
    }
}
