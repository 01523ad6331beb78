package org.pdr4j.gs;

import org.pdr4j.tensor.DType;
import org.pdr4j.tensor.Shape;
import org.pdr4j.tensor.ShapeException;
import org.pdr4j.tensor.Tensor;

/**
 * N 2D Gaussians for each of P frames, as the renderer takes them.
 *
 * @param coords     [P, N, 2] centres (x, y) in [-1, 1] (the frame spans [-1, 1]; outside is allowed)
 * @param scale      [P, N, 2] (s1, s2) in (0, 1], clamped to >= 1e-6 when rendered
 * @param rotation   [P, N] angle in [-pi/2, pi/2]
 * @param amplitudes [P, N, C] per-channel amplitude, any C >= 1
 */
public record Gaussians(Tensor coords, Tensor scale, Tensor rotation, Tensor amplitudes) {
    /** Checks shapes, dtypes and finiteness; messages name the input, the expected and the actual shape. */
    public Gaussians {
        if (coords == null || scale == null || rotation == null || amplitudes == null) {
            throw new IllegalArgumentException("Gaussians: coords, scale, rotation and amplitudes are all required");
        }
        if (amplitudes.rank() != 3) throw new ShapeException("amplitudes must be [P, N, C], got " + amplitudes.shape());
        int p = amplitudes.size(0), n = amplitudes.size(1), c = amplitudes.size(2);
        if (c == 0) throw new ShapeException("amplitudes must have at least one channel (C >= 1), got " + amplitudes.shape());
        expect("coords", coords, Shape.of(p, n, 2));
        expect("scale", scale, Shape.of(p, n, 2));
        expect("rotation", rotation, Shape.of(p, n));
        DType dt = amplitudes.dtype();
        for (Tensor t : new Tensor[] {coords, scale, rotation}) {
            if (t.dtype() != dt) {
                throw new IllegalArgumentException("Gaussians: all inputs must share one dtype, got " + coords.dtype() + ", "
                        + scale.dtype() + ", " + rotation.dtype() + ", " + amplitudes.dtype());
            }
        }
        checkFinite("coords", coords);
        checkFinite("scale", scale);
        checkFinite("rotation", rotation);
        checkFinite("amplitudes", amplitudes);
    }

    private static void expect(String name, Tensor t, Shape want) {
        if (!t.shape().equals(want)) {
            String dims = want.rank() == 3 ? "[P, N, " + want.dim(2) + "]" : "[P, N]";
            throw new ShapeException(name + " must be " + dims + " = " + want + " (P and N from amplitudes), got " + t.shape());
        }
    }

    private static void checkFinite(String name, Tensor t) {
        if (t.numel() == 0) return;
        if (t.isFinite().min(null, false).item() != 0) return;
        double[] v = t.toDoubleArray();
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) {
                throw new IllegalArgumentException(name + " has a non-finite value " + v[i] + " at " + index(t.shape(), i));
            }
        }
    }

    private static String index(Shape s, int linear) {
        int[] idx = new int[s.rank()];
        for (int d = s.rank() - 1; d >= 0; d--) {
            idx[d] = linear % s.dim(d);
            linear /= s.dim(d);
        }
        return java.util.Arrays.toString(idx);
    }

    /** P: frames. */
    public int frames() {
        return amplitudes.size(0);
    }

    /** N: Gaussians per frame. */
    public int count() {
        return amplitudes.size(1);
    }

    /** C: channels. */
    public int channels() {
        return amplitudes.size(2);
    }

    public DType dtype() {
        return amplitudes.dtype();
    }

    /** The same Gaussians with every input converted to {@code dtype} (contiguous). */
    public Gaussians to(DType dtype) {
        return new Gaussians(coords.to(dtype).contiguous(), scale.to(dtype).contiguous(),
                rotation.to(dtype).contiguous(), amplitudes.to(dtype).contiguous());
    }

    /**
     * {@code p} frames of {@code n} random Gaussians with {@code c} channels, drawn as the reference
     * script draws them for the paper's Table 9: coords U(-1, 1), scale U(0, 1), rotation
     * U(-pi/2, pi/2), amplitudes U(0, 1). For benchmarks.
     */
    public static Gaussians random(int p, int n, int c, long seed) {
        return new Gaussians(Tensor.rand(seed, p, n, 2).mul(2).sub(1), Tensor.rand(seed + 1, p, n, 2),
                Tensor.rand(seed + 2, p, n).sub(0.5).mul(Math.PI), Tensor.rand(seed + 3, p, n, c));
    }
}
