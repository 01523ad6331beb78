package org.pdr4j.models.pdr;

import java.util.SplittableRandom;
import org.pdr4j.autograd.Var;
import org.pdr4j.gs.RenderFunction;
import org.pdr4j.gs.RenderSpec;
import org.pdr4j.nn.Layer;
import org.pdr4j.nn.Module;
import org.pdr4j.nn.Sequential;
import org.pdr4j.nn.init.Init;
import org.pdr4j.nn.layers.Activation;
import org.pdr4j.nn.layers.AvgPool2d;
import org.pdr4j.nn.layers.Linear;
import org.pdr4j.tensor.Tensor;

/**
 * The PredGS adapter: per frame, the predictor's decoder features are average-pooled by
 * {@code pool}, flattened, and four MLP heads ({@code coords}, {@code scales}, {@code rotations},
 * {@code amplitudes}; Linear, GELU, Linear) give N Gaussians which predgsplat renders to a
 * [P, C, H, W] image. Head activations follow DESIGN.md: tanh for centres, sigmoid for scales and
 * amplitudes, tanh * pi/2 for rotations; the coords head starts with zero weights and a bias that
 * puts the centres on a uniform grid.
 */
public final class PredGS extends Module {
    /** Gaussian settings: count N, kernel K (odd or even, <= frame size), pooling factor, MLP width. */
    public record Spec(int gaussians, int kernel, int pool, int hidden) {
        public Spec {
            if (gaussians < 1 || kernel < 1 || pool < 1 || hidden < 1)
                throw new IllegalArgumentException("bad PredGS settings: N=" + gaussians + " K=" + kernel + " pool=" + pool + " hidden=" + hidden);
        }
    }

    private final Spec spec;
    private final int channels;
    private final RenderSpec render;
    private final AvgPool2d pool;
    private final Sequential coords, scales, rotations, amplitudes;

    /**
     * @param featC, featH, featW the decoder feature map per frame
     * @param channels, height, width the frames to render
     */
    public PredGS(SplittableRandom rng, Spec spec, int featC, int featH, int featW, int channels, int height, int width) {
        this.spec = spec;
        this.channels = channels;
        if (featH % spec.pool() != 0 || featW % spec.pool() != 0)
            throw new IllegalArgumentException("PredGS pool " + spec.pool() + " does not divide the feature map " + featH + "x" + featW);
        if (spec.kernel() > height || spec.kernel() > width)
            throw new IllegalArgumentException("Gaussian kernel " + spec.kernel() + " is larger than the frame " + height + "x" + width);
        this.render = new RenderSpec(height, width, spec.kernel());
        this.pool = spec.pool() == 1 ? null : new AvgPool2d(new int[] {spec.pool(), spec.pool()}, new int[] {spec.pool(), spec.pool()});
        int f = featC * (featH / spec.pool()) * (featW / spec.pool());
        int n = spec.gaussians();
        coords = module("coords", head(rng, f, spec.hidden(), 2 * n));
        scales = module("scales", head(rng, f, spec.hidden(), 2 * n));
        rotations = module("rotations", head(rng, f, spec.hidden(), n));
        amplitudes = module("amplitudes", head(rng, f, spec.hidden(), n * channels));
        Linear last = (Linear) coords.get(2);
        Init.zeros(last.weight().value());
        last.bias().set(gridBias(n));
    }

    private static Sequential head(SplittableRandom rng, int in, int hidden, int out) {
        return new Sequential(new Linear(in, hidden, true, rng.nextLong()), Activation.gelu(), new Linear(hidden, out, true, rng.nextLong()));
    }

    /** atanh of a uniform grid: ceil(sqrt N) cells per side, centres ((i + 0.5) / n) * 2 - 1, x then y. */
    static Tensor gridBias(int count) {
        int side = (int) Math.ceil(Math.sqrt(count));
        float[] b = new float[2 * count];
        for (int i = 0; i < count; i++) {
            double x = (i % side + 0.5) / side * 2 - 1, y = (i / side + 0.5) / side * 2 - 1;
            b[2 * i] = (float) atanh(x);
            b[2 * i + 1] = (float) atanh(y);
        }
        return Tensor.of(b, 2 * count);
    }

    private static double atanh(double v) { return 0.5 * Math.log((1 + v) / (1 - v)); }

    public Spec spec() { return spec; }

    /** The Gaussians for {@code features} [P, featC, featH, featW]. */
    public record Splats(Var coords, Var scale, Var rotation, Var amplitudes) {}

    public Splats gaussians(Var features) {
        Var h = pool == null ? features : pool.forward(features);
        int p = h.size(0), n = spec.gaussians();
        h = h.reshape(p, -1);
        Var c = coords.forward(h).tanh().reshape(p, n, 2);
        Var s = scales.forward(h).sigmoid().reshape(p, n, 2);
        Var r = rotations.forward(h).tanh().mul(Math.PI / 2);
        Var a = amplitudes.forward(h).sigmoid().reshape(p, n, channels);
        return new Splats(c, s, r, a);
    }

    /** Renders {@code features} [P, featC, featH, featW] to [P, C, H, W]. */
    public Var forward(Var features) {
        Splats g = gaussians(features);
        return RenderFunction.render(g.coords(), g.scale(), g.rotation(), g.amplitudes(), render);
    }
}
