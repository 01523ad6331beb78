package org.pdr4j.gs.opencl;

import org.pdr4j.gs.GaussianGrads;
import org.pdr4j.gs.Gaussians;
import org.pdr4j.gs.RenderSpec;
import org.pdr4j.gs.Renderer;
import org.pdr4j.gs.SplatGeometry;
import org.pdr4j.gs.ref.RefDirectRenderer;
import org.pdr4j.tensor.DType;
import org.pdr4j.tensor.Storage;
import org.pdr4j.tensor.Tensor;
import org.pdr4j.tensor.backend.opencl.ClBuffer;
import org.pdr4j.tensor.backend.opencl.ClContext;
import org.pdr4j.tensor.backend.opencl.ClKernel;
import org.pdr4j.tensor.backend.opencl.ClProgram;
import org.pdr4j.tensor.backend.opencl.OpenCl;

/**
 * The predgsplat renderer on an OpenCL device ({@code opencl}), forward and backward in
 * {@code predgsplat.cl}: the same image and gradients as {@link org.pdr4j.gs.FusedRenderer} to
 * float32 rounding. Deterministic (no atomics):
 * <ul>
 *   <li>{@code splat_geom} and {@code splat_samples}: per Gaussian its placement, then its K x K
 *       kernel samples, one work-item each;</li>
 *   <li>forward {@code splat_fwd}: a gather over 8 x 8 pixel tiles, one work-item per (frame,
 *       block of 4 channels, pixel); each tile first keeps the Gaussians whose footprint meets
 *       it, then each pixel adds those covering it, in Gaussian order;</li>
 *   <li>backward {@code splat_bwd}: one work-group per Gaussian reducing over its own (K+1)^2
 *       footprint with fixed-order tree sums.</li>
 * </ul>
 * Inputs are copied to the device and results back on every call (the {@link Renderer} contract
 * works on host tensors). F64 inputs (gradient checks) run {@link RefDirectRenderer}, as in
 * {@code fused}. Uses the default device of {@link OpenCl#context()}.
 */
public final class OpenClRenderer implements Renderer {
    /** The kernels' source, on the classpath. */
    static final String SOURCE = "/org/pdr4j/gs/opencl/predgsplat.cl";

    /** Work-group size of {@code splat_bwd} (the {@code LS} of the source). */
    static final int BWD_GROUP = 64;

    /** Work-group size of the other kernels. */
    private static final int GROUP = 64;

    /** {@code splat_fwd} tiles are TILE x TILE pixels (the {@code TS} of the source). */
    private static final int TILE = 8;

    /** Channels one {@code splat_fwd} work-item accumulates (the {@code CB} of the source). */
    private static final int CHANNEL_BLOCK = 4;

    private static final Renderer DOUBLE = new RefDirectRenderer();

    private final ClContext cl;
    private final ClProgram program;

    /**
     * On the default OpenCL device.
     *
     * @throws IllegalStateException naming the reason (one line) when no OpenCL device exists
     */
    public OpenClRenderer() {
        this(defaultContext());
    }

    private static ClContext defaultContext() {
        if (!OpenCl.available()) {
            throw new IllegalStateException("renderer 'opencl' unavailable: " + OpenCl.unavailableReason());
        }
        return OpenCl.context();
    }

    /** On the device of {@code cl} ({@code --device opencl:N}). */
    public OpenClRenderer(ClContext cl) {
        this.cl = cl;
        this.program = cl.program(OpenClRenderer.class, SOURCE, "-D LS=" + BWD_GROUP);
        if (cl.device().maxWorkGroupSize() < BWD_GROUP) {
            throw new IllegalStateException("renderer 'opencl' needs work-groups of " + BWD_GROUP + " on " + cl.device()
                    + ", which allows " + cl.device().maxWorkGroupSize());
        }
    }

    @Override
    public String name() {
        return "opencl";
    }

    /** The device it runs on, one line. */
    public String device() {
        return cl.device().toString();
    }

    private static float[] values(Tensor t) {
        Tensor c = t.contiguous();
        float[] a = ((Storage.F32) c.storage()).array();
        return c.offset() == 0 && a.length == c.numel() ? a : c.toFloatArray();
    }

    private static float[] grid(int k) {
        float[] g = new float[k];
        for (int i = 0; i < k; i++) g[i] = (float) SplatGeometry.gridCoord(i, k);
        return g;
    }

    /** The Gaussians on the device with their placement and kernel samples; close to give the buffers back. */
    private final class Placed implements AutoCloseable {
        final ClBuffer scale, amplitudes, gx, geom, par, samples;

        Placed(Gaussians g, RenderSpec spec) {
            int pn = g.frames() * g.count(), k = spec.kernel();
            ClBuffer co = null, ro = null, sc = null, am = null, x = null, ge = null, pa = null, ks = null;
            try {
                co = cl.upload(values(g.coords()));
                sc = cl.upload(values(g.scale()));
                ro = cl.upload(values(g.rotation()));
                am = cl.upload(values(g.amplitudes()));
                x = cl.upload(grid(k));
                ge = cl.buffer(4L * pn);
                pa = cl.buffer(4L * pn);
                ks = cl.buffer((long) pn * k * k);
                try (ClKernel geo = program.kernel("splat_geom")) {
                    geo.arg(0, co).arg(1, sc).arg(2, ro).arg(3, pn).arg(4, spec.height()).arg(5, spec.width()).arg(6, k)
                            .arg(7, ge).arg(8, pa).launch1d(pn, GROUP);
                }
                try (ClKernel smp = program.kernel("splat_samples")) {
                    smp.arg(0, ge).arg(1, pa).arg(2, x).arg(3, pn).arg(4, k).arg(5, ks).launch1d((long) pn * k * k, GROUP);
                }
            } catch (RuntimeException e) {
                for (ClBuffer b : new ClBuffer[] {sc, am, x, ge, pa, ks}) if (b != null) b.close();
                throw e;
            } finally {
                // Released after the launches that read them (in-order queue).
                if (co != null) co.close();
                if (ro != null) ro.close();
            }
            scale = sc;
            amplitudes = am;
            gx = x;
            geom = ge;
            par = pa;
            samples = ks;
        }

        @Override
        public void close() {
            for (ClBuffer b : new ClBuffer[] {scale, amplitudes, gx, geom, par, samples}) b.close();
        }
    }

    /** {@code [P, C, H, W]} in the Gaussians' dtype. */
    @Override
    public Tensor forward(Gaussians g, RenderSpec spec) {
        if (g.dtype() == DType.F64) return DOUBLE.forward(g, spec);
        int p = g.frames(), n = g.count(), c = g.channels(), h = spec.height(), w = spec.width();
        float[] image = new float[p * c * h * w];
        if (p * n > 0) {
            long[] global = {w, h, (long) p * ((c + CHANNEL_BLOCK - 1) / CHANNEL_BLOCK)};
            try (Placed pl = new Placed(g, spec); ClBuffer out = cl.buffer(image.length);
                 ClKernel fwd = program.kernel("splat_fwd")) {
                fwd.arg(0, pl.geom).arg(1, pl.samples).arg(2, pl.amplitudes).arg(3, p).arg(4, n).arg(5, c).arg(6, h).arg(7, w)
                        .arg(8, spec.kernel()).arg(9, out).launch(global, new long[] {TILE, TILE, 1});
                cl.read(out, 0, image, 0, image.length);
            }
        }
        return Tensor.of(image, p, c, h, w);
    }

    @Override
    public GaussianGrads backward(Gaussians g, RenderSpec spec, Tensor gradImage) {
        Renderer.checkGradImage(g, spec, gradImage);
        if (g.dtype() == DType.F64) return DOUBLE.backward(g, spec, gradImage);
        int p = g.frames(), n = g.count(), c = g.channels(), h = spec.height(), w = spec.width(), k = spec.kernel();
        int pn = p * n;
        float[] gCo = new float[2 * pn], gSc = new float[2 * pn], gRo = new float[pn], gAm = new float[pn * c];
        if (pn > 0) {
            try (Placed pl = new Placed(g, spec); ClBuffer up = cl.upload(values(gradImage.to(DType.F32)));
                 ClBuffer scratch = cl.buffer((long) pn * (k + 1) * (k + 1));
                 ClBuffer co = cl.buffer(gCo.length); ClBuffer sc = cl.buffer(gSc.length);
                 ClBuffer ro = cl.buffer(gRo.length); ClBuffer am = cl.buffer(gAm.length);
                 ClKernel bwd = program.kernel("splat_bwd")) {
                bwd.arg(0, pl.geom).arg(1, pl.par).arg(2, pl.samples).arg(3, pl.gx).arg(4, pl.scale).arg(5, pl.amplitudes)
                        .arg(6, up).arg(7, n).arg(8, c).arg(9, h).arg(10, w).arg(11, k).arg(12, scratch)
                        .arg(13, co).arg(14, sc).arg(15, ro).arg(16, am).launch1d((long) pn * BWD_GROUP, BWD_GROUP);
                cl.read(co, 0, gCo, 0, gCo.length);
                cl.read(sc, 0, gSc, 0, gSc.length);
                cl.read(ro, 0, gRo, 0, gRo.length);
                cl.read(am, 0, gAm, 0, gAm.length);
            }
        }
        return new GaussianGrads(Tensor.of(gCo, p, n, 2), Tensor.of(gSc, p, n, 2), Tensor.of(gRo, p, n), Tensor.of(gAm, p, n, c));
    }
}
