package org.pdr4j.gs.ref;

import java.util.ArrayList;
import java.util.List;
import org.pdr4j.gs.GaussianGrads;
import org.pdr4j.gs.Gaussians;
import org.pdr4j.gs.RenderSpec;
import org.pdr4j.gs.Renderer;
import org.pdr4j.tensor.Tensor;

/**
 * Runs a materialising baseline a few frames at a time, so its [P*N, C, H, W] stacks stay
 * under a memory budget (a batch of 16 frames at 256x256 with N = 400 would need ~5 GB per
 * stack). Frames are independent, so the result and the work per frame are unchanged.
 */
public final class FrameChunked implements Renderer {
    private final Renderer inner;
    private final long budgetFloats;

    /** @param budgetFloats most elements one [frames*N, C, H, W] stack may hold (at least one frame runs) */
    public FrameChunked(Renderer inner, long budgetFloats) {
        this.inner = inner;
        this.budgetFloats = budgetFloats;
    }

    @Override
    public String name() {
        return inner.name();
    }

    private int framesPerChunk(Gaussians g, RenderSpec spec) {
        long perFrame = (long) g.count() * g.channels() * spec.height() * spec.width();
        return (int) Math.max(1, Math.min(g.frames(), budgetFloats / Math.max(1, perFrame)));
    }

    private static Gaussians frames(Gaussians g, int start, int len) {
        return new Gaussians(g.coords().narrow(0, start, len), g.scale().narrow(0, start, len),
                g.rotation().narrow(0, start, len), g.amplitudes().narrow(0, start, len));
    }

    @Override
    public Tensor forward(Gaussians g, RenderSpec spec) {
        int chunk = framesPerChunk(g, spec);
        if (chunk >= g.frames()) return inner.forward(g, spec);
        List<Tensor> parts = new ArrayList<>();
        for (int s = 0; s < g.frames(); s += chunk) parts.add(inner.forward(frames(g, s, Math.min(chunk, g.frames() - s)), spec));
        return Tensor.concat(parts, 0);
    }

    @Override
    public GaussianGrads backward(Gaussians g, RenderSpec spec, Tensor gradImage) {
        Renderer.checkGradImage(g, spec, gradImage);
        int chunk = framesPerChunk(g, spec);
        if (chunk >= g.frames()) return inner.backward(g, spec, gradImage);
        List<Tensor> co = new ArrayList<>(), sc = new ArrayList<>(), ro = new ArrayList<>(), am = new ArrayList<>();
        for (int s = 0; s < g.frames(); s += chunk) {
            int len = Math.min(chunk, g.frames() - s);
            GaussianGrads part = inner.backward(frames(g, s, len), spec, gradImage.narrow(0, s, len));
            co.add(part.gradCoords());
            sc.add(part.gradScale());
            ro.add(part.gradRotation());
            am.add(part.gradAmplitudes());
        }
        return new GaussianGrads(Tensor.concat(co, 0), Tensor.concat(sc, 0), Tensor.concat(ro, 0), Tensor.concat(am, 0));
    }
}
