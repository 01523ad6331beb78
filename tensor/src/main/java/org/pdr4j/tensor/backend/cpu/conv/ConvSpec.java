package org.pdr4j.tensor.backend.cpu.conv;

import java.util.Arrays;

/**
 * Geometry of one 2-D convolution in PyTorch's terms: input {@code [n, cin, h, w]}, weight
 * {@code [cout, cin/groups, kh, kw]}, output {@code [n, cout, oh, ow]} with
 * {@code oh = (h + 2*padH - dilH*(kh-1) - 1) / strideH + 1} (floor), likewise for the width.
 *
 * <p>A transposed convolution is described by the convolution it is the adjoint of: its output
 * is this spec's input and its input is this spec's output.
 */
public record ConvSpec(int n, int cin, int h, int w, int cout, int kh, int kw,
        int strideH, int strideW, int padH, int padW, int dilH, int dilW, int groups) {

    /** Checks every argument; messages name the offending values. */
    public ConvSpec {
        if (n < 0 || cin < 1 || h < 1 || w < 1 || cout < 1 || kh < 1 || kw < 1) {
            throw new IllegalArgumentException("conv2d: sizes must be positive: input [" + n + ", " + cin + ", " + h + ", " + w
                    + "], weight [" + cout + ", ?, " + kh + ", " + kw + "]");
        }
        if (strideH < 1 || strideW < 1) throw new IllegalArgumentException("conv2d: stride must be >= 1, got [" + strideH + ", " + strideW + "]");
        if (padH < 0 || padW < 0) throw new IllegalArgumentException("conv2d: padding must be >= 0, got [" + padH + ", " + padW + "]");
        if (dilH < 1 || dilW < 1) throw new IllegalArgumentException("conv2d: dilation must be >= 1, got [" + dilH + ", " + dilW + "]");
        if (groups < 1 || cin % groups != 0 || cout % groups != 0) {
            throw new IllegalArgumentException("conv2d: groups " + groups + " must divide in_channels " + cin + " and out_channels " + cout);
        }
        int oh = (h + 2 * padH - dilH * (kh - 1) - 1), ow = (w + 2 * padW - dilW * (kw - 1) - 1);
        if (oh < 0 || ow < 0) {
            throw new IllegalArgumentException("conv2d: kernel [" + kh + ", " + kw + "] with dilation [" + dilH + ", " + dilW
                    + "] is larger than the padded input [" + (h + 2 * padH) + ", " + (w + 2 * padW) + "]");
        }
    }

    /** The spec of {@code x [n,cin,h,w]} convolved with {@code weight [cout,cin/groups,kh,kw]}. */
    public static ConvSpec of(int[] x, int[] weight, int[] stride, int[] padding, int[] dilation, int groups) {
        if (x.length != 4) throw new IllegalArgumentException("conv2d: input must be [N, C, H, W], got " + Arrays.toString(x));
        if (weight.length != 4) throw new IllegalArgumentException("conv2d: weight must be [Cout, Cin/groups, kH, kW], got " + Arrays.toString(weight));
        int[] s = pair("stride", stride), p = pair("padding", padding), d = pair("dilation", dilation);
        if (groups < 1 || x[1] % groups != 0 || weight[1] * groups != x[1]) {
            throw new IllegalArgumentException("conv2d: input " + Arrays.toString(x) + " and weight " + Arrays.toString(weight)
                    + " do not match with groups " + groups + " (need weight[1] * groups == input channels)");
        }
        return new ConvSpec(x[0], x[1], x[2], x[3], weight[0], weight[2], weight[3], s[0], s[1], p[0], p[1], d[0], d[1], groups);
    }

    /** {@code v} as a pair: one value means the same for height and width. */
    public static int[] pair(String what, int[] v) {
        if (v == null || (v.length != 1 && v.length != 2)) {
            throw new IllegalArgumentException(what + " must have 1 or 2 values, got " + Arrays.toString(v));
        }
        return v.length == 1 ? new int[] {v[0], v[0]} : v.clone();
    }

    public int oh() { return (h + 2 * padH - dilH * (kh - 1) - 1) / strideH + 1; }

    public int ow() { return (w + 2 * padW - dilW * (kw - 1) - 1) / strideW + 1; }

    /** Input channels per group. */
    public int cinG() { return cin / groups; }

    /** Output channels per group. */
    public int coutG() { return cout / groups; }

    /** Rows of the im2col matrix of one group: {@code cinG * kh * kw}. */
    public int kdim() { return cinG() * kh * kw; }

    /** A 1x1 kernel at stride 1 without padding: a plain matrix product per sample. */
    public boolean isPointwise() {
        return kh == 1 && kw == 1 && strideH == 1 && strideW == 1 && padH == 0 && padW == 0;
    }

    /** One input and one output channel per group. */
    public boolean isDepthwise() {
        return groups == cin && groups == cout;
    }

    public int[] inputShape() { return new int[] {n, cin, h, w}; }

    public int[] weightShape() { return new int[] {cout, cinG(), kh, kw}; }

    public int[] outputShape() { return new int[] {n, cout, oh(), ow()}; }
}
