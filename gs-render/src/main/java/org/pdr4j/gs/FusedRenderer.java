package org.pdr4j.gs;

import org.pdr4j.gs.kernel.cpu.SplatBwd;
import org.pdr4j.gs.kernel.cpu.SplatFwd;
import org.pdr4j.gs.ref.RefDirectRenderer;
import org.pdr4j.tensor.DType;
import org.pdr4j.tensor.Shape;
import org.pdr4j.tensor.Storage;
import org.pdr4j.tensor.Tensor;

/**
 * The renderer everything uses: O(N K^2 C) per frame on the Vector API ({@link SplatFwd},
 * {@link SplatBwd}), parallel over frames and image bands. F64 inputs (gradient checks) run
 * the same algorithm in scalar double precision ({@link RefDirectRenderer}).
 */
public final class FusedRenderer implements Renderer {
    private static final Renderer DOUBLE = new RefDirectRenderer();

    @Override
    public String name() {
        return "fused";
    }

    /** The array of a freshly allocated (contiguous, offset 0) output. */
    private static float[] data(Tensor fresh) {
        return ((Storage.F32) fresh.storage()).array();
    }

    /** A contiguous offset-0 array of the input's values (the input's own array when it is one). */
    private static float[] dataAt0(Tensor t) {
        Tensor c = t.contiguous();
        float[] a = ((Storage.F32) c.storage()).array();
        return c.offset() == 0 && a.length == c.numel() ? a : c.toFloatArray();
    }

    @Override
    public Tensor forward(Gaussians g, RenderSpec spec) {
        if (g.dtype() == DType.F64) return DOUBLE.forward(g, spec);
        int p = g.frames(), n = g.count(), c = g.channels();
        Tensor out = Tensor.zeros(DType.F32, Shape.of(p, c, spec.height(), spec.width()));
        SplatFwd.forward(dataAt0(g.coords()), dataAt0(g.scale()), dataAt0(g.rotation()), dataAt0(g.amplitudes()),
                p, n, c, spec, data(out));
        return out;
    }

    @Override
    public GaussianGrads backward(Gaussians g, RenderSpec spec, Tensor gradImage) {
        Renderer.checkGradImage(g, spec, gradImage);
        if (g.dtype() == DType.F64) return DOUBLE.backward(g, spec, gradImage);
        int p = g.frames(), n = g.count(), c = g.channels();
        Tensor gCo = Tensor.zeros(p, n, 2), gSc = Tensor.zeros(p, n, 2), gRo = Tensor.zeros(p, n), gAm = Tensor.zeros(p, n, c);
        SplatBwd.backward(dataAt0(g.coords()), dataAt0(g.scale()), dataAt0(g.rotation()), dataAt0(g.amplitudes()),
                p, n, c, spec, dataAt0(gradImage.to(DType.F32)), data(gCo), data(gSc), data(gRo), data(gAm));
        return new GaussianGrads(gCo, gSc, gRo, gAm);
    }
}
