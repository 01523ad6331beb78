package org.pdr4j.nn.loss;

import java.util.List;
import org.pdr4j.autograd.Function;
import org.pdr4j.autograd.Var;
import org.pdr4j.tensor.DType;
import org.pdr4j.tensor.Shape;
import org.pdr4j.tensor.ShapeException;
import org.pdr4j.tensor.Tensor;
import org.pdr4j.tensor.backend.Backends;
import org.pdr4j.tensor.backend.cpu.norm.BlurKernel;

/**
 * Differentiable SSIM with a Gaussian window (11 x 11, sigma 1.5, normalised), per channel,
 * 'valid' windows only (no padding, as pytorch-msssim), data range 1 ({@code C1 = 0.01^2},
 * {@code C2 = 0.03^2}), averaged over every window of every channel and image. Inputs are
 * {@code [N, C, H, W]} or {@code [B, T, C, H, W]} (read as N = B*T), H and W at least the window.
 */
public final class Ssim {
    private Ssim() {}

    /** Window side. */
    public static final int WINDOW = 11;
    /** Window standard deviation. */
    public static final double SIGMA = 1.5;
    static final double C1 = 0.01 * 0.01, C2 = 0.03 * 0.03;

    /** The normalised 1-D Gaussian {@code exp(-(i - size/2)^2 / (2 sigma^2))}, summing to 1. */
    public static double[] gaussian(int size, double sigma) {
        if (size <= 0 || sigma <= 0) throw new IllegalArgumentException("gaussian: size and sigma must be > 0, got " + size + ", " + sigma);
        double[] g = new double[size];
        double s = 0;
        for (int i = 0; i < size; i++) {
            double c = i - size / 2;
            g[i] = Math.exp(-c * c / (2 * sigma * sigma));
            s += g[i];
        }
        for (int i = 0; i < size; i++) g[i] /= s;
        return g;
    }

    /** Mean SSIM of x and y (same shape), differentiable in both. */
    public static Var ssim(Var x, Var y) {
        return ssim(x, y, WINDOW, SIGMA);
    }

    /** Mean SSIM with a {@code window x window} Gaussian of {@code sigma}. */
    public static Var ssim(Var x, Var y, int window, double sigma) {
        Shape s = x.shape();
        if (!s.equals(y.shape())) throw new ShapeException("ssim: x " + s + " and y " + y.shape() + " differ");
        if (s.rank() != 4 && s.rank() != 5) throw new ShapeException("ssim: inputs must be [N, C, H, W] or [B, T, C, H, W], got " + s);
        int h = s.dim(s.rank() - 2), w = s.dim(s.rank() - 1), p = s.numel() / (h * w);
        if (h < window || w < window) throw new ShapeException("ssim: H and W must be >= the " + window + "x" + window + " window, got " + s);
        Var a = x.reshape(p, h, w), b = y.reshape(p, h, w);
        // One blur over the five maps stacked on the plane axis.
        Var m = blur(Var.concat(List.of(a, b, a.mul(a), b.mul(b), a.mul(b)), 0), gaussian(window, sigma));
        Var mx = m.narrow(0, 0, p), my = m.narrow(0, p, p);
        Var mxx = mx.mul(mx), myy = my.mul(my), mxy = mx.mul(my);
        Var sxx = m.narrow(0, 2 * p, p).sub(mxx), syy = m.narrow(0, 3 * p, p).sub(myy), sxy = m.narrow(0, 4 * p, p).sub(mxy);
        Var lum = mxy.mul(2).add(C1).div(mxx.add(myy).add(C1));
        Var cs = sxy.mul(2).add(C2).div(sxx.add(syy).add(C2));
        return lum.mul(cs).mean();
    }

    /** {@code 1 - ssim(x, y)}. */
    public static Var loss(Var x, Var y) {
        return ssim(x, y).rsub(1);
    }

    /**
     * Separable 'valid' blur of planes {@code x [P, H, W]} with the 1-D {@code kernel} along
     * both axes: {@code [P, H-K+1, W-K+1]}; its gradient is the transposed blur.
     */
    public static Var blur(Var x, double[] kernel) {
        Shape s = x.shape();
        if (s.rank() != 3) throw new ShapeException("blur: x must be [P, H, W], got " + s);
        if (s.dim(1) < kernel.length || s.dim(2) < kernel.length)
            throw new ShapeException("blur: planes " + s + " are smaller than the kernel (" + kernel.length + ")");
        return new Blur(kernel).apply(x);
    }

    /** The separable blur as one autograd op (kernels behind {@link org.pdr4j.tensor.backend.Backend#blur}; the CPU's are {@link BlurKernel}). */
    static final class Blur extends Function {
        private final double[] k;
        private int P, H, W;

        Blur(double[] k) {
            this.k = k.clone();
        }

        @Override
        public String name() { return "blur"; }

        @Override
        protected Tensor forward(Tensor... in) {
            Tensor x = in[0].contiguous();
            P = x.size(0);
            H = x.size(1);
            W = x.size(2);
            Shape out = Shape.of(P, H - k.length + 1, W - k.length + 1);
            Tensor o = Tensor.zeros(x.dtype(), out);
            Backends.forOperands(x).blur(x, kernel(x.dtype()), o);
            return o;
        }

        /** The 1-D kernel {@code [K]} in the operands' dtype. */
        private Tensor kernel(DType dt) {
            return Tensor.of(k, k.length).to(dt);
        }

        @Override
        protected Tensor[] backward(Tensor grad, boolean[] needsGrad) {
            Tensor d = Tensor.zeros(grad.dtype(), Shape.of(P, H, W));
            Backends.forOperands(grad).blurBackward(grad, kernel(grad.dtype()), d);
            return new Tensor[] {d};
        }
    }
}
