package org.pdr4j.tensor.backend.cpu.conv;

import org.pdr4j.tensor.DType;
import org.pdr4j.tensor.Parallel;
import org.pdr4j.tensor.Shape;
import org.pdr4j.tensor.Storage;
import org.pdr4j.tensor.Tensor;

/**
 * Average pooling over rectangular windows of {@code [N, C, H, W]} tensors, float32 or float64.
 * A {@link Windows} lists, per output row and column, the half-open input range it averages, so
 * the same kernels serve plain pooling (fixed kernel and stride, no padding, floor mode) and
 * adaptive pooling (PyTorch's {@code floor(i*H/oh)} .. {@code ceil((i+1)*H/oh)}).
 */
public final class Pool2d {
    private Pool2d() {}

    /** Input ranges {@code [start[i], end[i])} of each output index along one axis. */
    public record Windows(int[] start, int[] end) {
        public int size() { return start.length; }

        /** Windows of {@code kernel} at {@code stride} over {@code in} positions, no padding, floor mode. */
        public static Windows fixed(int in, int kernel, int stride) {
            if (kernel < 1 || stride < 1) throw new IllegalArgumentException("avg_pool2d: kernel and stride must be >= 1, got " + kernel + ", " + stride);
            if (kernel > in) throw new IllegalArgumentException("avg_pool2d: kernel " + kernel + " is larger than the input size " + in);
            int out = (in - kernel) / stride + 1;
            int[] s = new int[out], e = new int[out];
            for (int i = 0; i < out; i++) {
                s[i] = i * stride;
                e[i] = s[i] + kernel;
            }
            return new Windows(s, e);
        }

        /** PyTorch's adaptive windows of {@code in} positions into {@code out}. */
        public static Windows adaptive(int in, int out) {
            if (out < 1) throw new IllegalArgumentException("adaptive_avg_pool2d: output size must be >= 1, got " + out);
            int[] s = new int[out], e = new int[out];
            for (int i = 0; i < out; i++) {
                s[i] = (int) ((long) i * in / out);
                e[i] = (int) (((long) (i + 1) * in + out - 1) / out);
            }
            return new Windows(s, e);
        }
    }

    /** {@code y [n, c, rows.size, cols.size]}: each output the mean of its window of {@code x [n, c, h, w]}. */
    public static Tensor forward(Tensor x, Windows rows, Windows cols) {
        check(x);
        Tensor xc = x.contiguous();
        int n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3), oh = rows.size(), ow = cols.size();
        Tensor y = Tensor.zeros(x.dtype(), Shape.of(n, c, oh, ow));
        Storage src = xc.storage(), dst = y.storage();
        boolean f32 = x.dtype() == DType.F32;
        float[] xf = f32 ? ((Storage.F32) src).array() : null, yf = f32 ? ((Storage.F32) dst).array() : null;
        Parallel.forRange(n * c, Math.max(1, (1 << 14) / Math.max(1, h * w)), (p0, p1) -> {
            for (int p = p0; p < p1; p++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double acc = 0;
                        for (int r = rows.start[i]; r < rows.end[i]; r++) {
                            int base = (p * h + r) * w;
                            if (f32) for (int q = cols.start[j]; q < cols.end[j]; q++) acc += xf[base + q];
                            else for (int q = cols.start[j]; q < cols.end[j]; q++) acc += src.getDouble(base + q);
                        }
                        double v = acc / ((rows.end[i] - rows.start[i]) * (cols.end[j] - cols.start[j]));
                        int o = (p * oh + i) * ow + j;
                        if (f32) yf[o] = (float) v;
                        else dst.setDouble(o, v);
                    }
                }
            }
        });
        return y;
    }

    /** Gradient of the input {@code [n, c, h, w]}: each output gradient spread evenly over its window. */
    public static Tensor backward(Tensor gy, int h, int w, Windows rows, Windows cols) {
        check(gy);
        int n = gy.size(0), c = gy.size(1), oh = rows.size(), ow = cols.size();
        if (gy.size(2) != oh || gy.size(3) != ow) {
            throw new IllegalArgumentException("avg_pool2d backward: gradient must be [" + n + ", " + c + ", " + oh + ", " + ow + "], got " + gy.shape());
        }
        Tensor g = gy.contiguous();
        Tensor dx = Tensor.zeros(gy.dtype(), Shape.of(n, c, h, w));
        Storage src = g.storage(), dst = dx.storage();
        Parallel.forRange(n * c, Math.max(1, (1 << 14) / Math.max(1, h * w)), (p0, p1) -> {
            for (int p = p0; p < p1; p++) {
                // windows may overlap (stride < kernel): each plane is added to in one fixed order
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double v = src.getDouble((p * oh + i) * ow + j) / ((rows.end[i] - rows.start[i]) * (cols.end[j] - cols.start[j]));
                        for (int r = rows.start[i]; r < rows.end[i]; r++) {
                            int base = (p * h + r) * w;
                            for (int q = cols.start[j]; q < cols.end[j]; q++) dst.setDouble(base + q, dst.getDouble(base + q) + v);
                        }
                    }
                }
            }
        });
        return dx;
    }

    private static void check(Tensor x) {
        if (x.rank() != 4) throw new IllegalArgumentException("avg_pool2d: input must be [N, C, H, W], got " + x.shape());
    }
}
