package org.pdr4j.gs.ref;

import java.util.Arrays;
import org.pdr4j.gs.Gaussians;
import org.pdr4j.gs.RenderSpec;
import org.pdr4j.tensor.DType;
import org.pdr4j.tensor.Parallel;
import org.pdr4j.tensor.Shape;
import org.pdr4j.tensor.Storage;
import org.pdr4j.tensor.Tensor;

/**
 * The pieces of the literal Algorithm-1 baselines ({@link BaseRenderer}, {@link BaseGridRenderer}),
 * each with its adjoint, on row-major float32 arrays:
 *
 * <ul>
 *   <li>{@link #sample}/{@link #sampleBackward}: {@code F.grid_sample(input, grid, mode="bilinear",
 *       padding_mode="zeros", align_corners=False)} and its gradients with respect to both the
 *       input and the grid;
 *   <li>{@link #affineGrid}/{@link #affineGridBackward}: {@code F.affine_grid(theta, size,
 *       align_corners=False)} and the gradient of theta; {@link #baseGrid}, the pixel centres;
 *   <li>{@link #kernels}/{@link #kernelsBackward} and {@link #padded}/{@link #paddedBackward}:
 *       the K x K Gaussian kernels and the padded {@code [P*N, C, H, W]} stack of
 *       {@code reference/predgsplat_ref.py}'s {@code _padded};
 *   <li>{@link #sumOverGaussians}: the final {@code reshape(P, N, C, H, W).sum(1)}.
 * </ul>
 *
 * <p>Everything is materialised as in PyTorch: these are the baselines the fused renderer is
 * measured against, so they do the O(P*N*C*H*W) work on purpose. Loops run in parallel over the
 * batch (one Gaussian's canvas per item), each item writing only its own slices.
 */
public final class GridSample {
    /** The scale clamp, {@code clamp_min(1e-6)} on float32. */
    static final float EPS = 1e-6f;

    private GridSample() {}

    // ------------------------------------------------------------------ checks shared by the baselines

    /** Throws unless every input is float32: the baselines compute in float32 only. */
    static void requireF32(Gaussians g, String renderer) {
        if (g.dtype() != DType.F32) {
            throw new IllegalArgumentException(renderer + ": base renderers compute F32, got " + g.dtype()
                    + "; convert with Gaussians.to(DType.F32)");
        }
    }

    /** {@code a * b * c * d} as an int, or an exception naming {@code what} when no Java array can hold it. */
    static int numel(String what, int a, int b, int c, int d) {
        long n = (long) a * b * c * d;
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("base renderers materialise " + what + " [" + a + ", " + b + ", " + c + ", " + d
                    + "] = " + n + " elements, more than one Java array holds; render fewer frames or Gaussians at a time");
        }
        return (int) n;
    }

    /** Wraps {@code data} (no copy) as a float32 tensor. */
    static Tensor wrap(float[] data, int... shape) {
        return Tensor.wrap(new Storage.F32(data), Shape.of(shape));
    }

    // ------------------------------------------------------------------ grids

    /** {@code torch.linspace(a, b, n)} evaluated in float32 as torch does (symmetric halves). */
    public static float[] linspace(float a, float b, int n) {
        float[] v = new float[n];
        if (n == 1) v[0] = a;
        if (n <= 1) return v;
        float step = (b - a) / (n - 1);
        int half = n / 2;
        for (int i = 0; i < n; i++) v[i] = i < half ? a + step * i : b - step * (n - 1 - i);
        return v;
    }

    /**
     * The align_corners=False pixel centres, {@code [H, W, 2]} of (x, y):
     * {@code x_j = (2j + 1) / W - 1}, {@code y_i = (2i + 1) / H - 1}.
     */
    public static float[] baseGrid(int h, int w) {
        float[] g = new float[numel("the base grid", 1, h, w, 2)];
        for (int i = 0; i < h; i++) {
            float y = (2f * i + 1f) / h - 1f;
            for (int j = 0; j < w; j++) {
                g[2 * (i * w + j)] = (2f * j + 1f) / w - 1f;
                g[2 * (i * w + j) + 1] = y;
            }
        }
        return g;
    }

    /** affine_grid's pixel centres along one axis: {@code linspace(-1, 1, n) * (n - 1) / n}. */
    private static float[] affineAxis(int n) {
        float[] r = linspace(-1f, 1f, n);
        for (int i = 0; i < n; i++) r[i] = r[i] * (n - 1) / n;
        return r;
    }

    /**
     * {@code F.affine_grid(theta, (M, C, H, W), align_corners=False)}.
     *
     * @param theta [M, 2, 3]
     * @return [M, H, W, 2]: {@code (x, y) = theta @ (x_j, y_i, 1)}
     */
    public static float[] affineGrid(float[] theta, int m, int h, int w) {
        float[] xs = affineAxis(w), ys = affineAxis(h);
        float[] grid = new float[numel("the sampling grid", m, h, w, 2)];
        int plane = h * w;
        Parallel.forRange(m, 1, (s, e) -> {
            for (int b = s; b < e; b++) {
                int t = 6 * b, o = 2 * plane * b;
                float t00 = theta[t], t01 = theta[t + 1], t02 = theta[t + 2];
                float t10 = theta[t + 3], t11 = theta[t + 4], t12 = theta[t + 5];
                for (int i = 0; i < h; i++) {
                    float y = ys[i];
                    for (int j = 0; j < w; j++, o += 2) {
                        float x = xs[j];
                        grid[o] = x * t00 + y * t01 + t02;
                        grid[o + 1] = x * t10 + y * t11 + t12;
                    }
                }
            }
        });
        return grid;
    }

    /**
     * The adjoint of {@link #affineGrid}: {@code gradTheta[b] = gradGrid[b]^T @ (x_j, y_i, 1)}.
     *
     * @param gradGrid [M, H, W, 2]
     * @return [M, 2, 3]
     */
    public static float[] affineGridBackward(float[] gradGrid, int m, int h, int w) {
        float[] xs = affineAxis(w), ys = affineAxis(h);
        float[] gradTheta = new float[6 * m];
        int plane = h * w;
        Parallel.forRange(m, 1, (s, e) -> {
            for (int b = s; b < e; b++) {
                double a00 = 0, a01 = 0, a02 = 0, a10 = 0, a11 = 0, a12 = 0;
                int o = 2 * plane * b;
                for (int i = 0; i < h; i++) {
                    double y = ys[i];
                    for (int j = 0; j < w; j++, o += 2) {
                        double gx = gradGrid[o], gy = gradGrid[o + 1], x = xs[j];
                        a00 += gx * x;
                        a01 += gx * y;
                        a02 += gx;
                        a10 += gy * x;
                        a11 += gy * y;
                        a12 += gy;
                    }
                }
                int t = 6 * b;
                gradTheta[t] = (float) a00;
                gradTheta[t + 1] = (float) a01;
                gradTheta[t + 2] = (float) a02;
                gradTheta[t + 3] = (float) a10;
                gradTheta[t + 4] = (float) a11;
                gradTheta[t + 5] = (float) a12;
            }
        });
        return gradTheta;
    }

    // ------------------------------------------------------------------ grid_sample

    /** align_corners=False: {@code ((coord + 1) * size - 1) / 2}. */
    private static float unnormalize(float coord, int size) {
        return ((coord + 1f) * size - 1f) / 2f;
    }

    /**
     * {@code F.grid_sample(input, grid, mode="bilinear", padding_mode="zeros", align_corners=False)}.
     *
     * @param input [M, C, inH, inW]
     * @param grid  [M, outH, outW, 2] of (x, y) in [-1, 1] (outside reads zeros)
     * @return [M, C, outH, outW]
     */
    public static float[] sample(float[] input, float[] grid, int m, int c, int inH, int inW, int outH, int outW) {
        float[] out = new float[numel("the sampled stack", m, c, outH, outW)];
        int inPlane = inH * inW, outPlane = outH * outW;
        Parallel.forRange(m, 1, (s, e) -> {
            for (int b = s; b < e; b++) {
                int inBase = b * c * inPlane, outBase = b * c * outPlane, g = 2 * outPlane * b;
                for (int q = 0; q < outPlane; q++, g += 2) {
                    float ix = unnormalize(grid[g], inW), iy = unnormalize(grid[g + 1], inH);
                    int x0 = (int) Math.floor(ix), y0 = (int) Math.floor(iy), x1 = x0 + 1, y1 = y0 + 1;
                    boolean inX0 = x0 >= 0 && x0 < inW, inX1 = x1 >= 0 && x1 < inW;
                    boolean inY0 = y0 >= 0 && y0 < inH, inY1 = y1 >= 0 && y1 < inH;
                    int o = outBase + q;
                    if (!((inX0 || inX1) && (inY0 || inY1))) continue; // all four corners are padding
                    float wx0 = x1 - ix, wx1 = ix - x0, wy0 = y1 - iy, wy1 = iy - y0;
                    float nw = wx0 * wy0, ne = wx1 * wy0, sw = wx0 * wy1, se = wx1 * wy1;
                    int r0 = y0 * inW, r1 = y1 * inW;
                    for (int ch = 0; ch < c; ch++, o += outPlane) {
                        int base = inBase + ch * inPlane;
                        float v = 0f;
                        if (inY0 && inX0) v += input[base + r0 + x0] * nw;
                        if (inY0 && inX1) v += input[base + r0 + x1] * ne;
                        if (inY1 && inX0) v += input[base + r1 + x0] * sw;
                        if (inY1 && inX1) v += input[base + r1 + x1] * se;
                        out[o] = v;
                    }
                }
            }
        });
        return out;
    }

    /**
     * The gradients of {@link #sample} with respect to its input and its grid.
     *
     * <p>{@code gradOut} is {@code [M / group, C, outH, outW]}: batch item {@code b} reads slice
     * {@code b / group}. That is the gradient of a sum over consecutive groups of {@code group}
     * items (sum's backward is a broadcast, which is read here rather than copied); pass 1 for a
     * plain {@code [M, C, outH, outW]} gradient.
     *
     * @param gradInput [M, C, inH, inW], zero on entry; receives the input gradient
     * @param gradGrid  [M, outH, outW, 2]; receives the grid gradient
     */
    public static void sampleBackward(float[] gradOut, int group, float[] input, float[] grid, int m, int c, int inH, int inW,
                                      int outH, int outW, float[] gradInput, float[] gradGrid) {
        if (group < 1 || m % group != 0) throw new IllegalArgumentException("group must divide M = " + m + ", got " + group);
        int inPlane = inH * inW, outPlane = outH * outW;
        float multX = inW / 2f, multY = inH / 2f;
        Parallel.forRange(m, 1, (s, e) -> {
            for (int b = s; b < e; b++) {
                int inBase = b * c * inPlane, goBase = (b / group) * c * outPlane, g = 2 * outPlane * b;
                for (int q = 0; q < outPlane; q++, g += 2) {
                    float ix = unnormalize(grid[g], inW), iy = unnormalize(grid[g + 1], inH);
                    int x0 = (int) Math.floor(ix), y0 = (int) Math.floor(iy), x1 = x0 + 1, y1 = y0 + 1;
                    boolean inX0 = x0 >= 0 && x0 < inW, inX1 = x1 >= 0 && x1 < inW;
                    boolean inY0 = y0 >= 0 && y0 < inH, inY1 = y1 >= 0 && y1 < inH;
                    if (!((inX0 || inX1) && (inY0 || inY1))) {
                        gradGrid[g] = 0f;
                        gradGrid[g + 1] = 0f;
                        continue;
                    }
                    float wx0 = x1 - ix, wx1 = ix - x0, wy0 = y1 - iy, wy1 = iy - y0;
                    float nw = wx0 * wy0, ne = wx1 * wy0, sw = wx0 * wy1, se = wx1 * wy1;
                    int r0 = y0 * inW, r1 = y1 * inW;
                    float gix = 0f, giy = 0f;
                    for (int ch = 0; ch < c; ch++) {
                        int base = inBase + ch * inPlane;
                        float go = gradOut[goBase + ch * outPlane + q];
                        if (inY0 && inX0) {
                            int i = base + r0 + x0;
                            float v = input[i];
                            gradInput[i] += nw * go;
                            gix -= v * wy0 * go;
                            giy -= v * wx0 * go;
                        }
                        if (inY0 && inX1) {
                            int i = base + r0 + x1;
                            float v = input[i];
                            gradInput[i] += ne * go;
                            gix += v * wy0 * go;
                            giy -= v * wx1 * go;
                        }
                        if (inY1 && inX0) {
                            int i = base + r1 + x0;
                            float v = input[i];
                            gradInput[i] += sw * go;
                            gix -= v * wy1 * go;
                            giy += v * wx0 * go;
                        }
                        if (inY1 && inX1) {
                            int i = base + r1 + x1;
                            float v = input[i];
                            gradInput[i] += se * go;
                            gix += v * wy1 * go;
                            giy += v * wx1 * go;
                        }
                    }
                    gradGrid[g] = gix * multX;
                    gradGrid[g + 1] = giy * multY;
                }
            }
        });
    }

    // ------------------------------------------------------------------ kernels and the padded stack

    /**
     * The peak-normalised kernels of {@code reference/predgsplat_ref.py}'s {@code kernels}: K x K
     * samples of {@code linspace(-5, 5, K)} (row = y, column = x), value
     * {@code exp(-((u/s1)^2 + (v/s2)^2) / 2)} with {@code u = cos*x + sin*y}, {@code v = -sin*x + cos*y},
     * scales clamped to {@code >= 1e-6}.
     *
     * @param scale    [M, 2]
     * @param rotation [M]
     * @return [M, K, K]
     */
    public static float[] kernels(float[] scale, float[] rotation, int m, int k) {
        float[] ax = linspace(-5f, 5f, k);
        float[] out = new float[numel("the kernels", 1, m, k, k)];
        Parallel.forRange(m, 16, (s, e) -> {
            for (int b = s; b < e; b++) {
                float cs = (float) Math.cos(rotation[b]), sn = (float) Math.sin(rotation[b]);
                float s1 = Math.max(scale[2 * b], EPS), s2 = Math.max(scale[2 * b + 1], EPS);
                int o = b * k * k;
                for (int i = 0; i < k; i++) {
                    float gy = ax[i];
                    for (int j = 0; j < k; j++) {
                        float gx = ax[j];
                        float u = cs * gx + sn * gy, v = -sn * gx + cs * gy;
                        float a = u / s1, c = v / s2;
                        out[o++] = (float) Math.exp(-0.5f * (a * a + c * c));
                    }
                }
            }
        });
        return out;
    }

    /**
     * The adjoint of {@link #kernels}: {@code dk/ds1 = k u^2 / s1^3}, {@code dk/ds2 = k v^2 / s2^3},
     * {@code dk/dtheta = k u v (1/s2^2 - 1/s1^2)}; a scale below the clamp gets zero.
     *
     * @param gradKernels [M, K, K]
     * @param kernels     [M, K, K], the forward's values
     * @param gradScale   [M, 2], receives the scale gradient
     * @param gradRotation [M], receives the rotation gradient
     */
    public static void kernelsBackward(float[] gradKernels, float[] kernels, float[] scale, float[] rotation, int m, int k,
                                       float[] gradScale, float[] gradRotation) {
        float[] ax = linspace(-5f, 5f, k);
        Parallel.forRange(m, 16, (s, e) -> {
            for (int b = s; b < e; b++) {
                float cs = (float) Math.cos(rotation[b]), sn = (float) Math.sin(rotation[b]);
                double s1 = Math.max(scale[2 * b], EPS), s2 = Math.max(scale[2 * b + 1], EPS);
                double rot = 1 / (s2 * s2) - 1 / (s1 * s1);
                double g1 = 0, g2 = 0, gr = 0;
                int o = b * k * k;
                for (int i = 0; i < k; i++) {
                    float gy = ax[i];
                    for (int j = 0; j < k; j++, o++) {
                        double gk = (double) gradKernels[o] * kernels[o];
                        if (gk == 0) continue;
                        float gx = ax[j];
                        double u = cs * gx + sn * gy, v = -sn * gx + cs * gy;
                        double a = u / s1, c = v / s2;
                        g1 += gk * a * a / s1;
                        g2 += gk * c * c / s2;
                        gr += gk * u * v * rot;
                    }
                }
                gradScale[2 * b] = scale[2 * b] >= EPS ? (float) g1 : 0f;
                gradScale[2 * b + 1] = scale[2 * b + 1] >= EPS ? (float) g2 : 0f;
                gradRotation[b] = (float) gr;
            }
        });
    }

    /**
     * {@code F.pad((kernels * amplitudes).reshape(M, C, K, K), (pw//2, pw - pw//2, ph//2, ph - ph//2))}:
     * each Gaussian's patch, one plane per channel, on its own H x W canvas at
     * ({@link RenderSpec#left()}, {@link RenderSpec#top()}).
     *
     * @param kernels    [M, K, K]
     * @param amplitudes [M, C]
     * @return [M, C, H, W]
     */
    public static float[] padded(float[] kernels, float[] amplitudes, int m, int c, RenderSpec spec) {
        int h = spec.height(), w = spec.width(), k = spec.kernel(), left = spec.left(), top = spec.top();
        float[] out = new float[numel("the padded stack", m, c, h, w)];
        Parallel.forRange(m, 1, (s, e) -> {
            for (int b = s; b < e; b++) {
                for (int ch = 0; ch < c; ch++) {
                    float amp = amplitudes[b * c + ch];
                    int kb = b * k * k, ob = ((b * c + ch) * h + top) * w + left;
                    for (int i = 0; i < k; i++) {
                        for (int j = 0; j < k; j++) out[ob + i * w + j] = kernels[kb + i * k + j] * amp;
                    }
                }
            }
        });
        return out;
    }

    /**
     * The adjoint of {@link #padded}: crop the patch out of each canvas, then
     * {@code gradKernels = sum_c amplitude_c * gradPatch_c} and {@code gradAmplitudes_c = sum gradPatch_c * k}.
     *
     * @param gradPadded     [M, C, H, W]
     * @param gradKernels    [M, K, K], receives the kernel gradient
     * @param gradAmplitudes [M, C], receives the amplitude gradient
     */
    public static void paddedBackward(float[] gradPadded, float[] kernels, float[] amplitudes, int m, int c, RenderSpec spec,
                                      float[] gradKernels, float[] gradAmplitudes) {
        int h = spec.height(), w = spec.width(), k = spec.kernel(), left = spec.left(), top = spec.top();
        Parallel.forRange(m, 1, (s, e) -> {
            double[] gk = new double[k * k];
            for (int b = s; b < e; b++) {
                Arrays.fill(gk, 0);
                int kb = b * k * k;
                for (int ch = 0; ch < c; ch++) {
                    double amp = amplitudes[b * c + ch], ga = 0;
                    int gb = ((b * c + ch) * h + top) * w + left;
                    for (int i = 0; i < k; i++) {
                        for (int j = 0; j < k; j++) {
                            double gp = gradPadded[gb + i * w + j];
                            gk[i * k + j] += amp * gp;
                            ga += gp * kernels[kb + i * k + j];
                        }
                    }
                    gradAmplitudes[b * c + ch] = (float) ga;
                }
                for (int i = 0; i < k * k; i++) gradKernels[kb + i] = (float) gk[i];
            }
        });
    }

    // ------------------------------------------------------------------ the sum over Gaussians

    /**
     * {@code stack.reshape(P, N, L).sum(1)}, summed in order of n.
     *
     * @param stack [P, N, L]
     * @return [P, L]
     */
    public static float[] sumOverGaussians(float[] stack, int p, int n, int len) {
        float[] out = new float[numel("the output", 1, 1, p, len)];
        Parallel.forRange(p * len, 4096, (s, e) -> {
            for (int i = s; i < e; ) {
                int f = i / len, r0 = i - f * len, r1 = Math.min(len, r0 + (e - i)), ob = f * len;
                for (int j = 0; j < n; j++) {
                    int sb = (f * n + j) * len;
                    for (int r = r0; r < r1; r++) out[ob + r] += stack[sb + r];
                }
                i += r1 - r0;
            }
        });
        return out;
    }
}
