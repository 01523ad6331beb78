package org.pdr4j.gs.kernel.cuda;

import java.util.List;
import org.pdr4j.gs.RenderSpec;
import org.pdr4j.gs.SplatGeometry;
import org.pdr4j.tensor.backend.cuda.KernelArgs;
import org.pdr4j.tensor.backend.cuda.KernelArgs.Kind;
import org.pdr4j.tensor.backend.cuda.LaunchGeometry;

/**
 * How the CUDA rasterizer ({@code src/main/cuda/predgsplat.cu}) is launched: its PTX resource,
 * its two entries ({@link #FWD}, {@link #BWD}) with their parameter lists, and the launch
 * geometry for a rendering. Pure Java, so all of it is tested without a GPU.
 *
 * <p>Geometry: one Gaussian per block column ({@code gridX = P*N}), one thread per footprint
 * pixel ({@code (K+1)^2} of them, in {@code gridY} blocks of {@link #blockSize} threads, a
 * multiple of the warp because the backward reduces over whole warps), no shared memory.
 */
public final class CudaSplat {
    private CudaSplat() {}

    /** The PTX, built from predgsplat.cu by nvcc (profile "nvcc") or the committed copy. */
    public static final String PTX_RESOURCE = "/org/pdr4j/gs/cuda/predgsplat.ptx";

    public static final String FWD = "predgsplat_fwd", BWD = "predgsplat_bwd";

    /** {@code predgsplat_fwd(co, sc, ro, am, grid, out, n, c, h, w, k)}. */
    public static final List<Kind> FWD_SIGNATURE = List.of(Kind.PTR, Kind.PTR, Kind.PTR, Kind.PTR, Kind.PTR, Kind.PTR,
            Kind.I32, Kind.I32, Kind.I32, Kind.I32, Kind.I32);

    /** {@code predgsplat_bwd(co, sc, ro, am, grid, gout, gco, gsc, gro, gam, n, c, h, w, k)}. */
    public static final List<Kind> BWD_SIGNATURE = List.of(Kind.PTR, Kind.PTR, Kind.PTR, Kind.PTR, Kind.PTR, Kind.PTR,
            Kind.PTR, Kind.PTR, Kind.PTR, Kind.PTR, Kind.I32, Kind.I32, Kind.I32, Kind.I32, Kind.I32);

    /** Largest block used: 256 threads. */
    public static final int MAX_BLOCK = 256;

    /** Threads per block for kernel size {@code k}: the footprint rounded up to a warp, at most {@link #MAX_BLOCK}. */
    public static int blockSize(int k) {
        long footprint = (long) (k + 1) * (k + 1);
        long warps = LaunchGeometry.ceilDiv(footprint, LaunchGeometry.WARP);
        return (int) Math.min(MAX_BLOCK, warps * LaunchGeometry.WARP);
    }

    /**
     * The launch for {@code gaussians} (P*N) Gaussians of kernel size {@code k}; the forward and
     * backward use the same one.
     *
     * @throws IllegalArgumentException when P*N or K exceed the grid limits (P*N < 2^31, (K+1)^2 / 256 <= 65535)
     */
    public static LaunchGeometry geometry(long gaussians, int k) {
        if (gaussians < 1) throw new IllegalArgumentException("at least one Gaussian is needed for a launch, got " + gaussians);
        if (gaussians > LaunchGeometry.MAX_GRID_X) {
            throw new IllegalArgumentException("P*N = " + gaussians + " Gaussians exceed one launch (" + LaunchGeometry.MAX_GRID_X + ")");
        }
        int block = blockSize(k);
        long gy = LaunchGeometry.ceilDiv((long) (k + 1) * (k + 1), block);
        if (gy > LaunchGeometry.MAX_GRID_YZ) {
            throw new IllegalArgumentException("K = " + k + " needs " + gy + " blocks per Gaussian, more than " + LaunchGeometry.MAX_GRID_YZ);
        }
        return new LaunchGeometry((int) gaussians, (int) gy, 1, block, 1, 1, 0);
    }

    /** The K local grid coordinates as float32, exactly as the CPU renderers use them ({@link SplatGeometry#grid}). */
    public static float[] grid(int k) {
        double[] g = SplatGeometry.grid(k);
        float[] f = new float[k];
        for (int i = 0; i < k; i++) f[i] = (float) g[i];
        return f;
    }

    /** Device addresses of the inputs: {@code [P,N,2], [P,N,2], [P,N], [P,N,C], [K]}. */
    public record Inputs(long coords, long scale, long rotation, long amplitudes, long grid) {}

    /** Arguments of {@link #FWD}: the inputs, the zeroed {@code [P, C, H, W]} output, and the sizes. */
    public static KernelArgs forwardArgs(Inputs in, long out, int n, int c, RenderSpec spec) {
        return inputs(in).ptr(out).i32(n).i32(c).i32(spec.height()).i32(spec.width()).i32(spec.kernel());
    }

    /** Arguments of {@link #BWD}: the inputs, dL/dimage, the four zeroed gradients, and the sizes. */
    public static KernelArgs backwardArgs(Inputs in, long gradImage, long gradCoords, long gradScale, long gradRotation,
                                          long gradAmplitudes, int n, int c, RenderSpec spec) {
        return inputs(in).ptr(gradImage).ptr(gradCoords).ptr(gradScale).ptr(gradRotation).ptr(gradAmplitudes)
                .i32(n).i32(c).i32(spec.height()).i32(spec.width()).i32(spec.kernel());
    }

    private static KernelArgs inputs(Inputs in) {
        return new KernelArgs().ptr(in.coords()).ptr(in.scale()).ptr(in.rotation()).ptr(in.amplitudes()).ptr(in.grid());
    }
}
