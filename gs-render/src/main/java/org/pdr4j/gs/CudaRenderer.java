package org.pdr4j.gs;

import java.util.logging.Logger;
import org.pdr4j.gs.kernel.cuda.CudaSplat;
import org.pdr4j.gs.ref.RefDirectRenderer;
import org.pdr4j.tensor.DType;
import org.pdr4j.tensor.Tensor;
import org.pdr4j.tensor.backend.BackendUnavailableException;
import org.pdr4j.tensor.backend.cuda.CudaContext;
import org.pdr4j.tensor.backend.cuda.CudaDriver;
import org.pdr4j.tensor.backend.cuda.CudaException;
import org.pdr4j.tensor.backend.cuda.CudaModule;
import org.pdr4j.tensor.backend.cuda.DeviceBuffer;
import org.pdr4j.tensor.backend.cuda.LaunchGeometry;
import org.pdr4j.tensor.backend.cuda.Ptx;

/**
 * The predgsplat renderer on an NVIDIA GPU ({@code cuda}): the kernels of
 * {@code src/main/cuda/predgsplat.cu}, loaded as PTX through the driver API
 * ({@link org.pdr4j.tensor.backend.cuda}). Each call uploads the Gaussians, zeroes the output
 * (or the four gradients) on the device, launches one kernel ({@link CudaSplat#geometry}),
 * synchronises and downloads; device memory lives only for the call. Same semantics as
 * {@link FusedRenderer}; float atomics make the last bits vary between runs. F64 inputs
 * (gradient checks) run {@link RefDirectRenderer} on the CPU, as in {@link FusedRenderer}.
 *
 * <p><b>Not run on a real GPU</b>: written on a machine without a CUDA driver. What is tested
 * there: the launch plan, the argument packing and the call sequence against a fake driver,
 * the PTX (its entries, and that ptxas assembles it for sm_80 and sm_90), and the kernels'
 * arithmetic in a host build of the same C functions compared with this module's CPU
 * renderer. The comparison on a device ({@code CudaRendererTest}) runs only where a driver exists.
 *
 * <p>Calls are serialised (one context, made current on the calling thread each time).
 */
public final class CudaRenderer implements Renderer {
    private static final Logger LOG = Logger.getLogger(CudaRenderer.class.getName());
    private static final Renderer DOUBLE = new RefDirectRenderer();

    private final CudaContext context;
    private final CudaModule module;

    /** A renderer on {@code context} (device 0 of the system driver, or a fake in tests). */
    public CudaRenderer(CudaContext context) {
        this.context = context;
        String ptx = Ptx.resource(CudaRenderer.class, CudaSplat.PTX_RESOURCE);
        try {
            this.module = context.load("predgsplat", ptx);
            module.function(CudaSplat.FWD);
            module.function(CudaSplat.BWD);
        } catch (CudaException e) {
            String hint = e.status().contains("PTX") ? " (the PTX is ISA " + ptxVersion(ptx)
                    + " from CUDA 13's nvcc; the driver must support it)" : "";
            throw new BackendUnavailableException("the predgsplat CUDA module does not load: " + e.getMessage() + hint,
                    e.status(), e);
        }
    }

    private static String ptxVersion(String ptx) {
        var m = java.util.regex.Pattern.compile("\\.version\\s+(\\S+)").matcher(ptx);
        return m.find() ? m.group(1) : "?";
    }

    private static final class Shared {
        static final Object RESULT = open();

        private static Object open() {
            try {
                return new CudaRenderer(CudaContext.open(CudaDriver.system(), 0));
            } catch (BackendUnavailableException e) {
                // CudaDriver reports a missing driver once itself; report only what failed after it.
                if (CudaDriver.available()) LOG.warning("cuda renderer unavailable: " + e.getMessage());
                return e;
            } catch (RuntimeException e) {
                BackendUnavailableException u = new BackendUnavailableException("cuda renderer could not start: " + e, null, e);
                LOG.warning(u.getMessage());
                return u;
            }
        }
    }

    /**
     * The process-wide renderer on device 0 (its context and module are made once).
     *
     * @throws BackendUnavailableException always the same one, with the one-line reason, when
     *         there is no driver, no device, or the module does not load
     */
    public static CudaRenderer shared() {
        if (Shared.RESULT instanceof CudaRenderer r) return r;
        throw (BackendUnavailableException) Shared.RESULT;
    }

    /** True when {@link #shared()} gives a renderer (probes the driver on first use; never throws). */
    public static boolean available() {
        return Shared.RESULT instanceof CudaRenderer;
    }

    /** Why {@link #shared()} fails (one line), or null when it does not. */
    public static String unavailableReason() {
        return Shared.RESULT instanceof BackendUnavailableException e ? e.getMessage() : null;
    }

    @Override
    public String name() {
        return "cuda";
    }

    /** The device this renderer runs on, e.g. {@code NVIDIA H100 (sm_90)}. */
    public String device() {
        return context.toString();
    }

    @Override
    public synchronized Tensor forward(Gaussians g, RenderSpec spec) {
        if (g.dtype() == DType.F64) return DOUBLE.forward(g, spec);
        int p = g.frames(), n = g.count(), c = g.channels(), h = spec.height(), w = spec.width();
        float[] out = new float[p * c * h * w];
        if (p * n == 0) return Tensor.of(out, p, c, h, w);
        LaunchGeometry geo = CudaSplat.geometry((long) p * n, spec.kernel());
        context.bind();
        try (Uploaded in = new Uploaded(context, g, spec); DeviceBuffer dOut = context.alloc((long) out.length * Float.BYTES)) {
            dOut.zero();
            module.launch(CudaSplat.FWD, geo, CudaSplat.forwardArgs(in.addresses(), dOut.ptr(), n, c, spec));
            context.synchronize();
            dOut.download(out);
        }
        return Tensor.of(out, p, c, h, w);
    }

    @Override
    public synchronized GaussianGrads backward(Gaussians g, RenderSpec spec, Tensor gradImage) {
        Renderer.checkGradImage(g, spec, gradImage);
        if (g.dtype() == DType.F64) return DOUBLE.backward(g, spec, gradImage);
        int p = g.frames(), n = g.count(), c = g.channels();
        float[] gCo = new float[p * n * 2], gSc = new float[p * n * 2], gRo = new float[p * n], gAm = new float[p * n * c];
        if (p * n > 0) {
            LaunchGeometry geo = CudaSplat.geometry((long) p * n, spec.kernel());
            context.bind();
            try (Uploaded in = new Uploaded(context, g, spec);
                 DeviceBuffer dGout = context.upload(gradImage.to(DType.F32).contiguous().toFloatArray());
                 DeviceBuffer dCo = zeroed(gCo.length); DeviceBuffer dSc = zeroed(gSc.length);
                 DeviceBuffer dRo = zeroed(gRo.length); DeviceBuffer dAm = zeroed(gAm.length)) {
                module.launch(CudaSplat.BWD, geo, CudaSplat.backwardArgs(in.addresses(), dGout.ptr(), dCo.ptr(), dSc.ptr(),
                        dRo.ptr(), dAm.ptr(), n, c, spec));
                context.synchronize();
                dCo.download(gCo);
                dSc.download(gSc);
                dRo.download(gRo);
                dAm.download(gAm);
            }
        }
        return new GaussianGrads(Tensor.of(gCo, p, n, 2), Tensor.of(gSc, p, n, 2), Tensor.of(gRo, p, n), Tensor.of(gAm, p, n, c));
    }

    private DeviceBuffer zeroed(int floats) {
        DeviceBuffer b = context.alloc((long) floats * Float.BYTES);
        try {
            b.zero();
            return b;
        } catch (RuntimeException e) {
            b.close();
            throw e;
        }
    }

    /** The five input arrays on the device, freed together. */
    private static final class Uploaded implements AutoCloseable {
        private final DeviceBuffer[] buffers = new DeviceBuffer[5];

        Uploaded(CudaContext ctx, Gaussians g, RenderSpec spec) {
            float[][] host = {g.coords().contiguous().toFloatArray(), g.scale().contiguous().toFloatArray(),
                    g.rotation().contiguous().toFloatArray(), g.amplitudes().contiguous().toFloatArray(),
                    CudaSplat.grid(spec.kernel())};
            try {
                for (int i = 0; i < host.length; i++) buffers[i] = ctx.upload(host[i]);
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        }

        CudaSplat.Inputs addresses() {
            return new CudaSplat.Inputs(buffers[0].ptr(), buffers[1].ptr(), buffers[2].ptr(), buffers[3].ptr(), buffers[4].ptr());
        }

        @Override
        public void close() {
            for (DeviceBuffer b : buffers) if (b != null) b.close();
        }
    }
}
