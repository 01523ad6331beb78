package org.pdr4j.autograd.ops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.pdr4j.autograd.Function;
import org.pdr4j.autograd.Var;
import org.pdr4j.tensor.DType;
import org.pdr4j.tensor.Shape;
import org.pdr4j.tensor.ShapeException;
import org.pdr4j.tensor.Storage;
import org.pdr4j.tensor.Tensor;
import org.pdr4j.tensor.backend.Backends;
import org.pdr4j.tensor.backend.cpu.norm.GroupNormKernel;

/**
 * Normalisation and softmax, each one {@link Function} with a closed-form backward for the
 * input, weight and bias (PyTorch's semantics). The kernels are in
 * {@code org.pdr4j.tensor.backend.cpu.norm}: float32 runs in vectors, float64 exactly.
 * Weight and bias may be null (scale 1, shift 0); they are used in the input's dtype and their
 * gradients come back in their own.
 */
public final class NormOps {
    private NormOps() {}

    /**
     * GroupNorm: {@code x [N, C, ...]} split into {@code groups} groups of {@code C/groups}
     * channels, each (sample, group) normalised by its mean and biased variance; then
     * {@code * weight[c] + bias[c]} ({@code [C]}, nullable).
     */
    public static Var groupNorm(Var x, int groups, Var weight, Var bias, double eps) {
        Shape s = x.shape();
        if (s.rank() < 2) throw new ShapeException("groupNorm: x must be [N, C, ...], got " + s);
        int n = s.dim(0), c = s.dim(1);
        if (groups <= 0 || c % groups != 0) throw new IllegalArgumentException("groupNorm: " + c + " channels of x " + s + " do not split into " + groups + " groups");
        checkParam("groupNorm", "weight", weight, Shape.of(c), s);
        checkParam("groupNorm", "bias", bias, Shape.of(c), s);
        int spatial = s.numel() / Math.max(1, n * c);
        return new BlockNorm("groupNorm", n * groups, c / groups, spatial, groups, eps, weight != null, bias != null).apply(args(x, weight, bias));
    }

    /**
     * LayerNorm over the trailing dims {@code normalizedShape} of x, with elementwise
     * {@code weight}, {@code bias} of shape {@code normalizedShape} (nullable).
     */
    public static Var layerNorm(Var x, int[] normalizedShape, Var weight, Var bias, double eps) {
        Shape s = x.shape();
        int r = s.rank(), k = normalizedShape.length;
        boolean fits = k >= 1 && k <= r;
        for (int i = 0; fits && i < k; i++) fits = s.dim(r - k + i) == normalizedShape[i];
        if (!fits) throw new ShapeException("layerNorm: normalizedShape " + Arrays.toString(normalizedShape) + " is not the trailing dims of x " + s);
        Shape ps = Shape.of(normalizedShape);
        checkParam("layerNorm", "weight", weight, ps, s);
        checkParam("layerNorm", "bias", bias, ps, s);
        int d = ps.numel(), rows = d == 0 ? 0 : s.numel() / d;
        return new BlockNorm("layerNorm", rows, d, 1, 1, eps, weight != null, bias != null).apply(args(x, weight, bias));
    }

    /**
     * BatchNorm on {@code x [N, C]} or {@code [N, C, ...]} (statistics per channel over every other
     * dim). In training it normalises with the batch's mean and biased variance and, when the
     * running tensors ({@code [C]}) are given, updates them in place as PyTorch does:
     * {@code running = (1 - momentum) * running + momentum * batchStat}, with the unbiased
     * variance for {@code runningVar}. In eval it normalises with the running statistics (then
     * required) and the gradient treats them as constants.
     */
    public static Var batchNorm(Var x, Var weight, Var bias, Tensor runningMean, Tensor runningVar,
                                boolean training, double momentum, double eps) {
        Shape s = x.shape();
        if (s.rank() < 2) throw new ShapeException("batchNorm: x must be [N, C] or [N, C, ...], got " + s);
        int n = s.dim(0), c = s.dim(1);
        checkParam("batchNorm", "weight", weight, Shape.of(c), s);
        checkParam("batchNorm", "bias", bias, Shape.of(c), s);
        for (Tensor t : new Tensor[] {runningMean, runningVar}) {
            if (t != null && !t.shape().equals(Shape.of(c)))
                throw new ShapeException("batchNorm: running statistics must be [" + c + "] for x " + s + ", got " + t.shape());
        }
        if (!training && (runningMean == null || runningVar == null))
            throw new IllegalArgumentException("batchNorm: eval mode needs runningMean and runningVar");
        int spatial = s.numel() / Math.max(1, n * c);
        if (training && n * spatial <= 1)
            throw new IllegalArgumentException("batchNorm: training needs more than 1 value per channel, got x " + s);
        return new BatchNorm(n, c, spatial, training, runningMean, runningVar, momentum, eps, weight != null, bias != null)
                .apply(args(x, weight, bias));
    }

    /** Softmax along {@code dim}, stable (the maximum is subtracted first). */
    public static Var softmax(Var x, int dim) {
        return new Softmax(dim, false).apply(x);
    }

    /** Log-softmax along {@code dim}: {@code x - max - log(sum(exp(x - max)))}. */
    public static Var logSoftmax(Var x, int dim) {
        return new Softmax(dim, true).apply(x);
    }

    // ---------------------------------------------------------------- helpers

    private static void checkParam(String op, String name, Var p, Shape want, Shape x) {
        if (p != null && !p.shape().equals(want))
            throw new ShapeException(op + ": " + name + " must be " + want + " for x " + x + ", got " + p.shape());
    }

    private static Var[] args(Var x, Var w, Var b) {
        List<Var> a = new ArrayList<>(3);
        a.add(x);
        if (w != null) a.add(w);
        if (b != null) a.add(b);
        return a.toArray(new Var[0]);
    }

    static float[] f32(Tensor t) {
        return ((Storage.F32) t.to(DType.F32).contiguous().storage()).array();
    }

    static double[] f64(Tensor t) {
        return ((Storage.F64) t.to(DType.F64).contiguous().storage()).array();
    }

    static Tensor wrap(float[] a, Shape s) { return Tensor.wrap(new Storage.F32(a), s); }

    static Tensor wrap(double[] a, Shape s) { return Tensor.wrap(new Storage.F64(a), s); }

    /** {@link GroupNormKernel#reduceParts} of a dense {@code [B, K]} partials tensor, in its dtype. */
    private static double[] parts(Tensor part, int B, int K, int period) {
        return part.dtype() == DType.F32 ? GroupNormKernel.reduceParts(f32(part), B, K, period) : GroupNormKernel.reduceParts(f64(part), B, K, period);
    }

    // ---------------------------------------------------------------- GroupNorm / LayerNorm

    /** Normalisation over blocks of {@code [B, K, S]}; see {@link GroupNormKernel}. */
    static final class BlockNorm extends Function {
        private final String op;
        private final int B, K, S, period;
        private final double eps;
        private final boolean hasW, hasB;
        private Tensor x, w;
        private Shape wShape;
        private DType wType, bType;
        private double[] mean, rstd;

        BlockNorm(String op, int B, int K, int S, int period, double eps, boolean hasW, boolean hasB) {
            this.op = op;
            this.B = B;
            this.K = K;
            this.S = S;
            this.period = period;
            this.eps = eps;
            this.hasW = hasW;
            this.hasB = hasB;
        }

        @Override
        public String name() { return op; }

        @Override
        protected Tensor forward(Tensor... in) {
            x = in[0].contiguous();
            int np = period * K, i = 1;
            Tensor wt = hasW ? in[i++] : null, bt = hasB ? in[i] : null;
            if (wt != null) { wShape = wt.shape(); wType = wt.dtype(); }
            if (bt != null) { wShape = bt.shape(); bType = bt.dtype(); }
            mean = new double[B];
            rstd = new double[B];
            DType dt = x.dtype();
            w = wt != null ? wt.to(dt).contiguous().reshape(np) : Tensor.full(dt, Shape.of(np), 1);
            Tensor bb = bt != null ? bt.to(dt).contiguous().reshape(np) : Tensor.zeros(dt, Shape.of(np));
            Tensor y = Tensor.zeros(dt, x.shape());
            if (x.numel() > 0) Backends.forOperands(x).groupNorm(x.reshape(B, K, S), period, w, bb, eps, y.reshape(B, K, S), mean, rstd);
            return y;
        }

        @Override
        protected Tensor[] backward(Tensor g, boolean[] needsGrad) {
            int iw = 1, ib = hasW ? 2 : 1, n = x.numel();
            boolean nx = needsGrad[0], nw = hasW && needsGrad[iw], nb = hasB && needsGrad[ib];
            Tensor[] out = new Tensor[needsGrad.length];
            double[] dw = null, db = null;
            DType dt = x.dtype();
            Tensor dx = nx ? Tensor.zeros(dt, x.shape()) : null;
            Tensor pw = nw ? Tensor.zeros(dt, Shape.of(B, K)) : null, pb = nb ? Tensor.zeros(dt, Shape.of(B, K)) : null;
            if (n > 0) {
                Tensor gc = g.to(dt);
                Backends.forOperands(x, gc).groupNormBackward(x.reshape(B, K, S), gc.reshape(B, K, S), period, w, mean, rstd,
                        nx ? dx.reshape(B, K, S) : null, pw, pb);
            }
            if (nx) out[0] = dx;
            if (nw) dw = parts(pw, B, K, period);
            if (nb) db = parts(pb, B, K, period);
            if (nw) out[iw] = Tensor.of(dw, wShape.toArray()).to(wType);
            if (nb) out[ib] = Tensor.of(db, wShape.toArray()).to(bType);
            return out;
        }
    }

    // ---------------------------------------------------------------- BatchNorm

    /** BatchNorm over {@code [N, C, S]}; see {@code BatchNormKernel} (the CPU's kernels). */
    static final class BatchNorm extends Function {
        private final int N, C, S;
        private final boolean training, hasW, hasB;
        private final Tensor runningMean, runningVar;
        private final double momentum, eps;
        private Tensor x, w;
        private DType wType, bType;
        private double[] mean, var;

        BatchNorm(int N, int C, int S, boolean training, Tensor runningMean, Tensor runningVar, double momentum, double eps,
                  boolean hasW, boolean hasB) {
            this.N = N;
            this.C = C;
            this.S = S;
            this.training = training;
            this.runningMean = runningMean;
            this.runningVar = runningVar;
            this.momentum = momentum;
            this.eps = eps;
            this.hasW = hasW;
            this.hasB = hasB;
        }

        @Override
        public String name() { return "batchNorm"; }

        @Override
        protected Tensor forward(Tensor... in) {
            x = in[0].contiguous();
            int i = 1;
            Tensor wt = hasW ? in[i++] : null, bt = hasB ? in[i] : null;
            if (wt != null) wType = wt.dtype();
            if (bt != null) bType = bt.dtype();
            DType dt = x.dtype();
            Tensor x3 = x.reshape(N, C, S);
            if (training) {
                mean = new double[C];
                var = new double[C];
                Backends.forOperands(x).batchNormStats(x3, mean, var);
                updateRunning();
            } else {
                mean = runningMean.toDoubleArray();
                var = runningVar.toDoubleArray();
            }
            w = wt != null ? wt.to(dt).contiguous() : Tensor.full(dt, Shape.of(C), 1);
            Tensor bb = bt != null ? bt.to(dt).contiguous() : Tensor.zeros(dt, Shape.of(C));
            Tensor y = Tensor.zeros(dt, x.shape());
            Backends.forOperands(x).batchNormNormalise(x3, mean, var, eps, w, bb, y.reshape(N, C, S));
            return y;
        }

        private void updateRunning() {
            long m = (long) N * S;
            if (runningMean != null) {
                double[] r = runningMean.toDoubleArray();
                for (int c = 0; c < C; c++) r[c] = (1 - momentum) * r[c] + momentum * mean[c];
                runningMean.assign(Tensor.of(r, C));
            }
            if (runningVar != null) {
                double[] r = runningVar.toDoubleArray();
                for (int c = 0; c < C; c++) r[c] = (1 - momentum) * r[c] + momentum * var[c] * m / (m - 1);
                runningVar.assign(Tensor.of(r, C));
            }
        }

        @Override
        protected Tensor[] backward(Tensor g, boolean[] needsGrad) {
            int iw = 1, ib = hasW ? 2 : 1;
            boolean nx = needsGrad[0], nw = hasW && needsGrad[iw], nb = hasB && needsGrad[ib];
            Tensor[] out = new Tensor[needsGrad.length];
            double[] dw = nw ? new double[C] : null, db = nb ? new double[C] : null;
            DType dt = x.dtype();
            Tensor gc = g.to(dt), dx = nx ? Tensor.zeros(dt, x.shape()) : null;
            Backends.forOperands(x, gc).batchNormBackward(x.reshape(N, C, S), gc.reshape(N, C, S), mean, var, eps, w, training,
                    nx ? dx.reshape(N, C, S) : null, dw, db);
            if (nx) out[0] = dx;
            if (nw) out[iw] = Tensor.of(dw, C).to(wType);
            if (nb) out[ib] = Tensor.of(db, C).to(bType);
            return out;
        }
    }

    // ---------------------------------------------------------------- softmax

    /** Softmax or log-softmax along one dim; the backward uses the saved output. */
    static final class Softmax extends Function {
        private final int dimArg;
        private final boolean log;
        private Tensor y;
        private int outer, D, inner;

        Softmax(int dim, boolean log) {
            this.dimArg = dim;
            this.log = log;
        }

        @Override
        public String name() { return log ? "logSoftmax" : "softmax"; }

        @Override
        protected Tensor forward(Tensor... in) {
            Tensor x = in[0].contiguous();
            Shape s = x.shape();
            if (s.rank() == 0) x = x.reshape(1);
            int d = Shape.axis(dimArg, Math.max(1, s.rank()), name());
            outer = 1;
            inner = 1;
            for (int i = 0; i < d; i++) outer *= x.size(i);
            for (int i = d + 1; i < x.rank(); i++) inner *= x.size(i);
            D = x.size(d);
            y = Tensor.zeros(x.dtype(), s);
            Backends.forOperands(x).softmax(x.reshape(outer, D, inner), log, y.reshape(outer, D, inner));
            return y;
        }

        @Override
        protected Tensor[] backward(Tensor g, boolean[] needsGrad) {
            Tensor gc = g.to(y.dtype()), dx = Tensor.zeros(y.dtype(), y.shape());
            Backends.forOperands(y, gc).softmaxBackward(y.reshape(outer, D, inner), gc.reshape(outer, D, inner), log, dx.reshape(outer, D, inner));
            return new Tensor[] {dx};
        }
    }
}
