package org.pdr4j.nn.optim;

import java.util.List;
import org.pdr4j.nn.Parameter;
import org.pdr4j.tensor.Storage;
import org.pdr4j.tensor.Tensor;

/** Gradient clipping as torch.nn.utils.clip_grad_norm_. */
public final class GradClip {
    private GradClip() {}

    /**
     * Computes the global L2 norm of all gradients (parameters without one are skipped) and, when
     * it exceeds {@code maxNorm}, scales every gradient in place by {@code maxNorm / (norm + 1e-6)}.
     * Returns the norm before clipping.
     */
    public static double clipGradNorm(List<Parameter> ps, double maxNorm) {
        if (!(maxNorm >= 0)) throw new IllegalArgumentException("clipGradNorm: maxNorm must be >= 0, got " + maxNorm);
        double sq = 0;
        for (Parameter p : ps) {
            Tensor g = p.grad();
            if (g == null) continue;
            if (g.storage() instanceof Storage.F32 s && g.isContiguous() && g.offset() == 0) {
                float[] a = s.array();
                for (int i = 0, n = g.numel(); i < n; i++) sq += (double) a[i] * a[i];
            } else {
                for (double x : g.toDoubleArray()) sq += x * x;
            }
        }
        double norm = Math.sqrt(sq);
        if (norm > maxNorm) {
            double scale = maxNorm / (norm + 1e-6);
            for (Parameter p : ps) {
                Tensor g = p.grad();
                if (g == null) continue;
                if (g.storage() instanceof Storage.F32 s && g.isContiguous() && g.offset() == 0) {
                    float[] a = s.array();
                    float f = (float) scale;
                    for (int i = 0, n = g.numel(); i < n; i++) a[i] *= f;
                } else {
                    g.assign(g.mul(scale));
                }
            }
        }
        return norm;
    }
}
