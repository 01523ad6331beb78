package org.pdr4j.tensor.backend.cpu.norm;

import org.pdr4j.tensor.Storage;
import org.pdr4j.tensor.Tensor;

/**
 * The {@link org.pdr4j.tensor.backend.Backend} default methods for softmax, blur and GroupNorm:
 * they unwrap tensors into the arrays of {@link SoftmaxKernel}, {@link BlurKernel} and
 * {@link GroupNormKernel} (float32 in vectors, float64 exactly; all operands of one dtype).
 * Inputs may be any views (non-contiguous ones are copied first); an output that is not a
 * contiguous view at offset 0 is computed into a temporary and assigned.
 */
public final class NormKernels {
    private NormKernels() {}

    private static boolean f32(Tensor t, String op) {
        return switch (t.dtype()) {
            case F32 -> true;
            case F64 -> false;
            default -> throw new IllegalArgumentException(op + ": needs F32 or F64, got " + t.dtype());
        };
    }

    private static void sameType(String op, Tensor first, Tensor... rest) {
        for (Tensor t : rest) {
            if (t != null && t.dtype() != first.dtype())
                throw new IllegalArgumentException(op + ": operands must share " + first.dtype() + ", got " + t.dtype());
        }
    }

    private static float[] in32(Tensor t) { return ((Storage.F32) t.contiguous().storage()).array(); }

    private static double[] in64(Tensor t) { return ((Storage.F64) t.contiguous().storage()).array(); }

    private static boolean dense(Tensor t) { return t.isContiguous() && t.offset() == 0; }

    /** An array the kernel may write out's values into; {@link #done} moves them into out if it is a temporary. */
    private static Tensor target(Tensor out) { return dense(out) ? out : Tensor.zeros(out.dtype(), out.shape()); }

    private static void done(Tensor t, Tensor out) {
        if (t != out) out.assign(t);
    }

    private static float[] arr32(Tensor t) { return t == null ? null : ((Storage.F32) t.storage()).array(); }

    private static double[] arr64(Tensor t) { return t == null ? null : ((Storage.F64) t.storage()).array(); }

    /** {@link SoftmaxKernel#forward}: x and out are {@code [outer, D, inner]}. */
    public static void softmax(Tensor x, boolean log, Tensor out) {
        sameType("softmax", x, out);
        int outer = x.size(0), d = x.size(1), inner = x.size(2);
        Tensor o = target(out);
        if (f32(x, "softmax")) SoftmaxKernel.forward(in32(x), outer, d, inner, log, arr32(o));
        else SoftmaxKernel.forward(in64(x), outer, d, inner, log, arr64(o));
        done(o, out);
    }

    /** {@link SoftmaxKernel#backward}: y, g and dx are {@code [outer, D, inner]}. */
    public static void softmaxBackward(Tensor y, Tensor g, boolean log, Tensor dx) {
        sameType("softmaxBackward", y, g, dx);
        int outer = y.size(0), d = y.size(1), inner = y.size(2);
        Tensor o = target(dx);
        if (f32(y, "softmaxBackward")) SoftmaxKernel.backward(in32(y), in32(g), outer, d, inner, log, arr32(o));
        else SoftmaxKernel.backward(in64(y), in64(g), outer, d, inner, log, arr64(o));
        done(o, dx);
    }

    /** {@link BlurKernel#forward}: x {@code [P, H, W]}, kernel {@code [K]}, out {@code [P, H-K+1, W-K+1]}. */
    public static void blur(Tensor x, Tensor kernel, Tensor out) {
        sameType("blur", x, kernel, out);
        Tensor o = target(out);
        if (f32(x, "blur")) BlurKernel.forward(in32(x), x.size(0), x.size(1), x.size(2), in32(kernel), arr32(o));
        else BlurKernel.forward(in64(x), x.size(0), x.size(1), x.size(2), in64(kernel), arr64(o));
        done(o, out);
    }

    /** {@link BlurKernel#backward}: g {@code [P, H-K+1, W-K+1]}, kernel {@code [K]}, dx {@code [P, H, W]}. */
    public static void blurBackward(Tensor g, Tensor kernel, Tensor dx) {
        sameType("blurBackward", g, kernel, dx);
        Tensor o = target(dx);
        if (f32(g, "blurBackward")) BlurKernel.backward(in32(g), dx.size(0), dx.size(1), dx.size(2), in32(kernel), arr32(o));
        else BlurKernel.backward(in64(g), dx.size(0), dx.size(1), dx.size(2), in64(kernel), arr64(o));
        done(o, dx);
    }

    /** {@link GroupNormKernel#forward}: x and y {@code [B, K, S]}, weight and bias {@code [period * K]}. */
    public static void groupNorm(Tensor x, int period, Tensor weight, Tensor bias, double eps, Tensor y, double[] mean, double[] rstd) {
        sameType("groupNorm", x, weight, bias, y);
        int b = x.size(0), k = x.size(1), s = x.size(2);
        if (x.numel() == 0) return;
        Tensor o = target(y);
        if (f32(x, "groupNorm")) GroupNormKernel.forward(in32(x), b, k, s, period, in32(weight), in32(bias), eps, arr32(o), mean, rstd);
        else GroupNormKernel.forward(in64(x), b, k, s, period, in64(weight), in64(bias), eps, arr64(o), mean, rstd);
        done(o, y);
    }

    /** {@link GroupNormKernel#backward}: dx (nullable) {@code [B, K, S]}, dwPart and dbPart (nullable) {@code [B, K]}. */
    public static void groupNormBackward(Tensor x, Tensor dy, int period, Tensor weight, double[] mean, double[] rstd,
                                         Tensor dx, Tensor dwPart, Tensor dbPart) {
        sameType("groupNormBackward", x, dy, weight, dx, dwPart, dbPart);
        int b = x.size(0), k = x.size(1), s = x.size(2);
        if (x.numel() == 0) return;
        Tensor ox = dx == null ? null : target(dx), ow = dwPart == null ? null : target(dwPart), ob = dbPart == null ? null : target(dbPart);
        if (f32(x, "groupNormBackward"))
            GroupNormKernel.backward(in32(x), in32(dy), b, k, s, period, in32(weight), mean, rstd, arr32(ox), arr32(ow), arr32(ob));
        else
            GroupNormKernel.backward(in64(x), in64(dy), b, k, s, period, in64(weight), mean, rstd, arr64(ox), arr64(ow), arr64(ob));
        if (dx != null) done(ox, dx);
        if (dwPart != null) done(ow, dwPart);
        if (dbPart != null) done(ob, dbPart);
    }

    /** {@link BatchNormKernel#stats}: x {@code [N, C, S]}, mean and var {@code [C]}. */
    public static void batchNormStats(Tensor x, double[] mean, double[] var) {
        if (f32(x, "batchNormStats")) BatchNormKernel.stats(in32(x), x.size(0), x.size(1), x.size(2), mean, var);
        else BatchNormKernel.stats(in64(x), x.size(0), x.size(1), x.size(2), mean, var);
    }

    /** {@link BatchNormKernel#normalise}: x and y {@code [N, C, S]}, weight and bias {@code [C]}. */
    public static void batchNormNormalise(Tensor x, double[] mean, double[] var, double eps, Tensor weight, Tensor bias, Tensor y) {
        sameType("batchNormNormalise", x, weight, bias, y);
        Tensor o = target(y);
        if (f32(x, "batchNormNormalise"))
            BatchNormKernel.normalise(in32(x), x.size(0), x.size(1), x.size(2), mean, var, eps, in32(weight), in32(bias), arr32(o));
        else BatchNormKernel.normalise(in64(x), x.size(0), x.size(1), x.size(2), mean, var, eps, in64(weight), in64(bias), arr64(o));
        done(o, y);
    }

    /** {@link BatchNormKernel#backward}: dx (nullable) {@code [N, C, S]}, dw and db (nullable) {@code [C]}. */
    public static void batchNormBackward(Tensor x, Tensor dy, double[] mean, double[] var, double eps, Tensor weight, boolean training,
                                         Tensor dx, double[] dw, double[] db) {
        sameType("batchNormBackward", x, dy, weight, dx);
        Tensor o = dx == null ? null : target(dx);
        int n = x.size(0), c = x.size(1), s = x.size(2);
        if (f32(x, "batchNormBackward"))
            BatchNormKernel.backward(in32(x), in32(dy), n, c, s, mean, var, eps, in32(weight), training, arr32(o), dw, db);
        else BatchNormKernel.backward(in64(x), in64(dy), n, c, s, mean, var, eps, in64(weight), training, arr64(o), dw, db);
        if (dx != null) done(o, dx);
    }
}
