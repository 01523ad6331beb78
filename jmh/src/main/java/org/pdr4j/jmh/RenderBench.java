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
import org.openjdk.jmh.annotations.Warmup;
import org.pdr4j.gs.GaussianGrads;
import org.pdr4j.gs.Gaussians;
import org.pdr4j.gs.RenderSpec;
import org.pdr4j.gs.Renderer;
import org.pdr4j.gs.Renderers;
import org.pdr4j.tensor.Tensor;

/**
 * The paper's Table 9: the four configurations, one frame and a batch of 16, forward and
 * forward + backward, the implementations side by side in one run ({@code opencl} on the default
 * OpenCL device, which fails its trial with the reason where there is none). Frames/s is
 * {@code frames / score}. Random Gaussians as in the reference script: coords U(-1, 1),
 * scale U(0, 1), rotation U(-pi/2, pi/2), amplitudes U(0, 1), C = 3.
 *
 * <pre>java --add-modules jdk.incubator.vector -jar jmh/target/benchmarks.jar RenderBench</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx16g"})
public class RenderBench {
    /** H x W / K / N of Table 9. */
    @Param({"32/15/300", "64/15/300", "128/51/400", "256/51/400"})
    String config;

    @Param({"1", "16"})
    int frames;

    @Param({"fused", "opencl", "base", "base_grid"})
    String impl;

    Renderer renderer;
    Gaussians gaussians;
    RenderSpec spec;
    Tensor upstream;

    @Setup(Level.Trial)
    public void setup() {
        String[] parts = config.split("/");
        int size = Integer.parseInt(parts[0]), k = Integer.parseInt(parts[1]), n = Integer.parseInt(parts[2]);
        renderer = Renderers.byName(impl);
        spec = new RenderSpec(size, size, k);
        gaussians = Gaussians.random(frames, n, 3, 0);
        upstream = Tensor.randn(4, frames, 3, size, size);
    }

    @Benchmark
    public Tensor forward() {
        return renderer.forward(gaussians, spec);
    }

    @Benchmark
    public GaussianGrads forwardBackward() {
        renderer.forward(gaussians, spec);
        return renderer.backward(gaussians, spec, upstream);
    }
}
