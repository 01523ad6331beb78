package org.pdr4j.properties;

import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.pdr4j.autograd.Var;
import org.pdr4j.autograd.ops.ConvOps;
import org.pdr4j.tensor.DType;
import org.pdr4j.tensor.Tensor;
import org.pdr4j.tensor.backend.cpu.conv.ConvKernels;
import org.pdr4j.tensor.backend.cpu.conv.ConvSpec;

/**
 * Gradients of the convolution family equal float64 central differences: conv2d over random
 * small shapes with stride, padding, dilation, groups and optional bias (general and
 * depthwise), conv_transpose2d with output padding, avg_pool2d, adaptive_avg_pool2d and
 * pixel_shuffle; inputs optionally seen through a permuted (non-contiguous) layout. One more
 * property fuzzes the fast float32 kernels against the float64 reference on random specs.
 *
 * <p>Tolerance: {@code GradCheck} with eps = 1e-6, atol = 1e-5, rtol = 1e-4.
 */
class ConvGradProperties {
    private static final int TRIES = 40;

    private static Tensor values(SplittableRandom r, int... s) {
        return Gen.uniform(r, s, -1.5, 1.5);
    }

    /** x stored as [N, H, W, C] when {@code permuted}; the lambda permutes it back to NCHW (a non-contiguous view). */
    private static Tensor input(SplittableRandom r, boolean permuted, int n, int c, int h, int w) {
        return permuted ? values(r, n, h, w, c) : values(r, n, c, h, w);
    }

    private static Var nchw(Var x, boolean permuted) {
        return permuted ? x.permute(0, 3, 1, 2) : x;
    }

    @Property(tries = TRIES)
    void conv2d(@ForAll long seed, @ForAll @IntRange(min = 1, max = 2) int n, @ForAll @IntRange(min = 1, max = 3) int groups,
            @ForAll @IntRange(min = 1, max = 2) int cinG, @ForAll @IntRange(min = 1, max = 2) int coutG,
            @ForAll @IntRange(min = 1, max = 3) int kh, @ForAll @IntRange(min = 1, max = 3) int kw,
            @ForAll @IntRange(min = 1, max = 2) int stride, @ForAll @IntRange(min = 0, max = 2) int pad,
            @ForAll @IntRange(min = 1, max = 2) int dil, @ForAll @IntRange(min = 1, max = 6) int h,
            @ForAll @IntRange(min = 1, max = 6) int w, @ForAll boolean bias, @ForAll boolean permuted) {
        Assume.that(h + 2 * pad >= dil * (kh - 1) + 1 && w + 2 * pad >= dil * (kw - 1) + 1);
        SplittableRandom r = new SplittableRandom(seed);
        int cin = groups * cinG, cout = groups * coutG;
        int[] st = {stride, 1 + (stride + 1) % 2}, pd = {pad, (pad + 1) % 3}, dl = {dil, 1};
        Assume.that(w + 2 * pd[1] >= (kw - 1) + 1);
        Tensor x = input(r, permuted, n, cin, h, w), wt = values(r, cout, cinG, kh, kw);
        String what = "conv2d x [" + n + ", " + cin + ", " + h + ", " + w + "] w " + Arrays.toString(wt.shape().toArray())
                + " stride " + Arrays.toString(st) + " pad " + Arrays.toString(pd) + " dil " + Arrays.toString(dl) + " groups " + groups
                + (permuted ? " permuted" : "");
        if (bias) {
            Gen.assertGrad(what + " bias", v -> ConvOps.conv2d(nchw(v[0], permuted), v[1], v[2], st, pd, dl, groups), x, wt, values(r, cout));
        } else {
            Gen.assertGrad(what, v -> ConvOps.conv2d(nchw(v[0], permuted), v[1], null, st, pd, dl, groups), x, wt);
        }
    }

    /** groups == channels, larger kernels and dilations (the TAU attention's shapes, shrunk). */
    @Property(tries = TRIES)
    void depthwise(@ForAll long seed, @ForAll @IntRange(min = 1, max = 2) int n, @ForAll @IntRange(min = 1, max = 3) int c,
            @ForAll @IntRange(min = 1, max = 5) int k, @ForAll @IntRange(min = 1, max = 3) int dil,
            @ForAll @IntRange(min = 0, max = 4) int pad, @ForAll @IntRange(min = 2, max = 6) int h,
            @ForAll @IntRange(min = 2, max = 6) int w, @ForAll boolean permuted) {
        Assume.that(h + 2 * pad >= dil * (k - 1) + 1 && w + 2 * pad >= dil * (k - 1) + 1);
        SplittableRandom r = new SplittableRandom(seed);
        int[] one = {1}, pd = {pad}, dl = {dil};
        Gen.assertGrad("depthwise x [" + n + ", " + c + ", " + h + ", " + w + "] k " + k + " dil " + dil + " pad " + pad,
                v -> ConvOps.conv2d(nchw(v[0], permuted), v[1], v[2], one, pd, dl, c),
                input(r, permuted, n, c, h, w), values(r, c, 1, k, k), values(r, c));
    }

    @Property(tries = TRIES)
    void convTranspose2d(@ForAll long seed, @ForAll @IntRange(min = 1, max = 2) int n, @ForAll @IntRange(min = 1, max = 2) int groups,
            @ForAll @IntRange(min = 1, max = 2) int cinG, @ForAll @IntRange(min = 1, max = 2) int coutG,
            @ForAll @IntRange(min = 1, max = 3) int k, @ForAll @IntRange(min = 1, max = 3) int stride,
            @ForAll @IntRange(min = 0, max = 2) int pad, @ForAll @IntRange(min = 0, max = 2) int outPad,
            @ForAll @IntRange(min = 1, max = 2) int dil, @ForAll @IntRange(min = 1, max = 4) int h,
            @ForAll @IntRange(min = 1, max = 4) int w, @ForAll boolean bias, @ForAll boolean permuted) {
        Assume.that(outPad < stride);
        int oh = (h - 1) * stride - 2 * pad + dil * (k - 1) + outPad + 1, ow = (w - 1) * stride - 2 * pad + dil * (k - 1) + outPad + 1;
        Assume.that(oh >= 1 && ow >= 1);
        SplittableRandom r = new SplittableRandom(seed);
        int cin = groups * cinG, cout = groups * coutG;
        int[] st = {stride}, pd = {pad}, op = {outPad}, dl = {dil};
        Tensor x = input(r, permuted, n, cin, h, w), wt = values(r, cin, coutG, k, k);
        String what = "conv_transpose2d x [" + n + ", " + cin + ", " + h + ", " + w + "] w " + Arrays.toString(wt.shape().toArray())
                + " stride " + stride + " pad " + pad + " out_pad " + outPad + " dil " + dil + " groups " + groups;
        if (bias) {
            Gen.assertGrad(what + " bias", v -> ConvOps.convTranspose2d(nchw(v[0], permuted), v[1], v[2], st, pd, op, dl, groups), x, wt, values(r, cout));
        } else {
            Gen.assertGrad(what, v -> ConvOps.convTranspose2d(nchw(v[0], permuted), v[1], null, st, pd, op, dl, groups), x, wt);
        }
    }

    @Property(tries = TRIES)
    void avgPool2d(@ForAll long seed, @ForAll @IntRange(min = 1, max = 2) int n, @ForAll @IntRange(min = 1, max = 2) int c,
            @ForAll @IntRange(min = 1, max = 3) int kh, @ForAll @IntRange(min = 1, max = 3) int kw,
            @ForAll @IntRange(min = 1, max = 3) int sh, @ForAll @IntRange(min = 1, max = 3) int sw,
            @ForAll @IntRange(min = 1, max = 6) int h, @ForAll @IntRange(min = 1, max = 6) int w, @ForAll boolean permuted) {
        Assume.that(h >= kh && w >= kw);
        SplittableRandom r = new SplittableRandom(seed);
        int[] k = {kh, kw}, s = {sh, sw};
        Gen.assertGrad("avg_pool2d [" + n + ", " + c + ", " + h + ", " + w + "] kernel " + Arrays.toString(k) + " stride " + Arrays.toString(s),
                v -> ConvOps.avgPool2d(nchw(v[0], permuted), k, s), input(r, permuted, n, c, h, w));
    }

    @Property(tries = TRIES)
    void adaptiveAvgPool2d(@ForAll long seed, @ForAll @IntRange(min = 1, max = 2) int n, @ForAll @IntRange(min = 1, max = 2) int c,
            @ForAll @IntRange(min = 1, max = 7) int h, @ForAll @IntRange(min = 1, max = 7) int w,
            @ForAll @IntRange(min = 1, max = 4) int oh, @ForAll @IntRange(min = 1, max = 4) int ow, @ForAll boolean permuted) {
        SplittableRandom r = new SplittableRandom(seed);
        Gen.assertGrad("adaptive_avg_pool2d [" + n + ", " + c + ", " + h + ", " + w + "] -> " + oh + "x" + ow,
                v -> ConvOps.adaptiveAvgPool2d(nchw(v[0], permuted), oh, ow), input(r, permuted, n, c, h, w));
    }

    @Property(tries = TRIES)
    void pixelShuffle(@ForAll long seed, @ForAll @IntRange(min = 1, max = 2) int n, @ForAll @IntRange(min = 1, max = 2) int c,
            @ForAll @IntRange(min = 1, max = 3) int rr, @ForAll @IntRange(min = 1, max = 3) int h,
            @ForAll @IntRange(min = 1, max = 3) int w, @ForAll boolean permuted) {
        SplittableRandom r = new SplittableRandom(seed);
        Gen.assertGrad("pixel_shuffle [" + n + ", " + c * rr * rr + ", " + h + ", " + w + "] r " + rr,
                v -> ConvOps.pixelShuffle(nchw(v[0], permuted), rr), input(r, permuted, n, c * rr * rr, h, w));
    }

    /** The float32 kernels (whichever fast path the spec takes) agree with the float64 reference loops. */
    @Property(tries = 100)
    void fastKernelsMatchReference(@ForAll long seed, @ForAll @IntRange(min = 1, max = 3) int n, @ForAll @IntRange(min = 1, max = 4) int groups,
            @ForAll @IntRange(min = 1, max = 3) int cinG, @ForAll @IntRange(min = 1, max = 3) int coutG,
            @ForAll @IntRange(min = 1, max = 7) int k, @ForAll @IntRange(min = 1, max = 2) int stride,
            @ForAll @IntRange(min = 0, max = 4) int pad, @ForAll @IntRange(min = 1, max = 3) int dil,
            @ForAll @IntRange(min = 1, max = 24) int h, @ForAll @IntRange(min = 1, max = 40) int w, @ForAll boolean depthwise) {
        if (depthwise) {
            cinG = 1;
            coutG = 1;
        }
        Assume.that(h + 2 * pad >= dil * (k - 1) + 1 && w + 2 * pad >= dil * (k - 1) + 1);
        ConvSpec s = new ConvSpec(n, groups * cinG, h, w, groups * coutG, k, k, stride, stride, pad, pad, dil, dil, groups);
        SplittableRandom r = new SplittableRandom(seed);
        Tensor x = Tensor.randn(r.nextLong(), s.inputShape()), wt = Tensor.randn(r.nextLong(), s.weightShape());
        Tensor b = Tensor.randn(r.nextLong(), s.cout()), gy = Tensor.randn(r.nextLong(), s.outputShape());
        Tensor x64 = x.to(DType.F64), w64 = wt.to(DType.F64), gy64 = gy.to(DType.F64);
        String what = s + " path " + ConvKernels.path(s);
        near(what + " forward", ConvKernels.forward(x, wt, b, s), ConvKernels.forward(x64, w64, b.to(DType.F64), s));
        near(what + " grad input", ConvKernels.backwardInput(gy, wt, s), ConvKernels.backwardInput(gy64, w64, s));
        near(what + " grad weight", ConvKernels.backwardWeight(gy, x, s), ConvKernels.backwardWeight(gy64, x64, s));
    }

    /** |a - e| <= 1e-4 (|e| + mean |e|): float32 sums of randn products against exact ones. */
    private static void near(String what, Tensor a, Tensor e) {
        double mean = 0;
        double[] ev = e.toDoubleArray();
        for (double v : ev) mean += Math.abs(v);
        mean /= Math.max(1, ev.length);
        double[] av = a.toDoubleArray();
        for (int i = 0; i < ev.length; i++) {
            if (!(Math.abs(av[i] - ev[i]) <= 1e-4 * (Math.abs(ev[i]) + mean))) {
                throw new AssertionError(what + ": element " + i + " is " + av[i] + ", reference " + ev[i]);
            }
        }
    }
}
