package org.pdr4j.tensor.backend.cpu.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Transcendentals on float vectors in plain Vector API arithmetic (FMAs, a shift, a blend),
 * so that C2 keeps them in registers. {@code lanewise(EXP)} and friends are calls into a
 * library per vector (or scalar loops where the JDK has no vector math library), several
 * times slower than this on the activations that dominate a training step.
 *
 * <p>Accuracy: exp within 2 ulp of the correctly rounded value over its whole float range
 * (results below the smallest normal are flushed towards 0 less exactly); the others are
 * built on it and stay within a few ulp, except erf (and so GELU), whose Abramowitz-Stegun
 * form is good to 1.5e-7 absolute.
 */
public final class SimdMath {
    private SimdMath() {}

    private static final VectorSpecies<Float> F = SimdSpecies.F;

    // Cephes expf: exp(x) = 2^n * exp(r), n = round(x / ln 2), r = x - n ln 2 (in two parts).
    private static final float LOG2E = 1.44269504088896341f, LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;
    private static final float E0 = 1.9875691500e-4f, E1 = 1.3981999507e-3f, E2 = 8.3334519073e-3f,
            E3 = 4.1665795894e-2f, E4 = 1.6666665459e-1f, E5 = 5.0000001201e-1f;
    /** 1.5 * 2^23: adding it rounds a float in (-2^22, 2^22) to an integer held in the low mantissa bits. */
    private static final float ROUND = 12582912f;
    private static final float EXP_HI = 88.72283905206835f, EXP_LO = -103.972084f;

    /** e^x; +inf above 88.72, NaN for NaN. */
    public static FloatVector exp(FloatVector x) {
        FloatVector xc = x.min(EXP_HI).max(EXP_LO);
        FloatVector t = xc.fma(LOG2E, ROUND);
        FloatVector n = t.sub(ROUND);
        FloatVector r = n.fma(FloatVector.broadcast(F, -LN2_HI), xc).add(n.mul(-LN2_LO));
        FloatVector p = r.fma(E0, E1).fma(r, FloatVector.broadcast(F, E2)).fma(r, FloatVector.broadcast(F, E3))
                .fma(r, FloatVector.broadcast(F, E4)).fma(r, FloatVector.broadcast(F, E5));
        FloatVector y = p.mul(r.mul(r)).add(r).add(1f);
        // 2^n as two factors 2^(n>>1) * 2^(n - n>>1): n spans [-150, 128], each half stays normal.
        IntVector ni = t.reinterpretAsInts().sub(Float.floatToRawIntBits(ROUND));
        IntVector n1 = ni.lanewise(VectorOperators.ASHR, 1), n2 = ni.sub(n1);
        FloatVector s1 = n1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = n2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector e = y.mul(s1).mul(s2);
        return e.blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.GT, EXP_HI));
    }

    /** 1 / (1 + e^-x). */
    public static FloatVector sigmoid(FloatVector x) {
        return FloatVector.broadcast(F, 1f).div(exp(x.neg()).add(1f));
    }

    /** x * sigmoid(x). */
    public static FloatVector silu(FloatVector x) {
        return x.div(exp(x.neg()).add(1f));
    }

    // Cephes tanhf: odd polynomial below 0.625, 1 - 2 / (e^2|x| + 1) above.
    private static final float T0 = -5.70498872745e-3f, T1 = 2.06390887954e-2f, T2 = -5.37397155531e-2f,
            T3 = 1.33314422036e-1f, T4 = -3.33332819422e-1f;

    /** tanh(x). */
    public static FloatVector tanh(FloatVector x) {
        FloatVector z = x.mul(x);
        FloatVector small = z.fma(T0, T1).fma(z, FloatVector.broadcast(F, T2)).fma(z, FloatVector.broadcast(F, T3))
                .fma(z, FloatVector.broadcast(F, T4)).mul(z).fma(x, x);
        FloatVector a = x.abs();
        FloatVector big = FloatVector.broadcast(F, 1f).sub(FloatVector.broadcast(F, 2f).div(exp(a.add(a)).add(1f)));
        big = big.blend(big.neg(), x.compare(VectorOperators.LT, 0f));
        return big.blend(small, a.compare(VectorOperators.LT, 0.625f));
    }

    // Abramowitz-Stegun 7.1.26 for erf: |error| < 1.5e-7, below float32 resolution near 1.
    private static final float P = 0.3275911f, A1 = 0.254829592f, A2 = -0.284496736f, A3 = 1.421413741f,
            A4 = -1.453152027f, A5 = 1.061405429f;
    // erf(x) = 2/sqrt(pi) * (x - x^3/3 + x^5/10 - x^7/42 + x^9/216 - x^11/1320 ...), error < 2e-8 below 0.5.
    private static final double C = 2 / Math.sqrt(Math.PI);
    private static final float S1 = (float) C, S2 = (float) (-C / 3), S3 = (float) (C / 10), S4 = (float) (-C / 42),
            S5 = (float) (C / 216), S6 = (float) (-C / 1320);

    /** erf(x). */
    public static FloatVector erf(FloatVector x) {
        FloatVector z = x.abs();
        FloatVector t = FloatVector.broadcast(F, 1f).div(z.fma(P, 1f));
        FloatVector poly = t.fma(A5, A4).mul(t).add(A3).mul(t).add(A2).mul(t).add(A1).mul(t);
        FloatVector erfAbs = FloatVector.broadcast(F, 1f).sub(poly.mul(exp(z.mul(z).neg())));
        FloatVector far = erfAbs.blend(erfAbs.neg(), x.compare(VectorOperators.LT, 0f));
        // Near 0 the formula above cancels (absolute, not relative, accuracy): use the series.
        FloatVector x2 = x.mul(x);
        FloatVector series = x2.fma(S6, S5).fma(x2, FloatVector.broadcast(F, S4)).fma(x2, FloatVector.broadcast(F, S3))
                .fma(x2, FloatVector.broadcast(F, S2)).fma(x2, FloatVector.broadcast(F, S1)).mul(x);
        return far.blend(series, z.compare(VectorOperators.LT, 0.5f));
    }

    private static final float INV_SQRT2 = (float) (1 / Math.sqrt(2)), INV_SQRT_2PI = (float) (1 / Math.sqrt(2 * Math.PI));

    /** GELU, erf form: x * Phi(x). */
    public static FloatVector gelu(FloatVector x) {
        return x.mul(0.5f).mul(erf(x.mul(INV_SQRT2)).add(1f));
    }

    /** d GELU / dx = Phi(x) + x * phi(x). */
    public static FloatVector geluDerivative(FloatVector x) {
        FloatVector phi = exp(x.mul(x).mul(-0.5f)).mul(INV_SQRT_2PI);
        return erf(x.mul(INV_SQRT2)).add(1f).mul(0.5f).add(x.mul(phi));
    }

    /** d SiLU / dx = s * (1 + x * (1 - s)), s = sigmoid(x). */
    public static FloatVector siluDerivative(FloatVector x) {
        FloatVector s = sigmoid(x);
        return s.mul(FloatVector.broadcast(F, 1f).sub(s).fma(x, FloatVector.broadcast(F, 1f)));
    }
}
