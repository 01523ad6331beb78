package org.pdr4j.properties;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.pdr4j.nn.layers.MultiheadAttention;
import org.pdr4j.tensor.Tensor;

/**
 * Gradients of {@link MultiheadAttention#attention} (the module's computation on explicit
 * weights) equal float64 central differences for queries, keys, values and all four weights, on
 * random batch, lengths, heads and head widths, with and without an additive mask, and as
 * self-attention (one input used as query, key and value).
 *
 * <p>Tolerance: {@code GradCheck} with eps = 1e-6, atol = 1e-5, rtol = 1e-4.
 */
class AttentionGradProperties {
    @Property(tries = 25)
    void multiheadAttention(@ForAll long seed, @ForAll @IntRange(min = 1, max = 2) int batch,
                            @ForAll @IntRange(min = 1, max = 3) int l, @ForAll @IntRange(min = 1, max = 3) int s,
                            @ForAll @IntRange(min = 1, max = 2) int heads, @ForAll @IntRange(min = 1, max = 2) int d,
                            @ForAll boolean masked, @ForAll boolean self) {
        SplittableRandom r = new SplittableRandom(seed);
        int e = heads * d, len = self ? l : s;
        Tensor mask = masked ? Gen.uniform(r, new int[] {l, len}, -2, 0) : null;
        Tensor inW = Gen.uniform(r, new int[] {3 * e, e}, -1, 1), inB = Gen.uniform(r, new int[] {3 * e}, -0.5, 0.5);
        Tensor outW = Gen.uniform(r, new int[] {e, e}, -1, 1), outB = Gen.uniform(r, new int[] {e}, -0.5, 0.5);
        Tensor q = Gen.uniform(r, new int[] {batch, l, e}, -1, 1);
        String what = "mha B" + batch + " L" + l + " S" + len + " heads " + heads + " d " + d + (masked ? " masked" : "") + (self ? " self" : "");
        if (self) {
            Gen.assertGrad(what, v -> MultiheadAttention.attention(v[0], v[0], v[0], v[1], v[2], v[3], v[4], heads, mask, a -> a),
                    q, inW, inB, outW, outB);
        } else {
            Tensor k = Gen.uniform(r, new int[] {batch, s, e}, -1, 1), val = Gen.uniform(r, new int[] {batch, s, e}, -1, 1);
            Gen.assertGrad(what, v -> MultiheadAttention.attention(v[0], v[1], v[2], v[3], v[4], v[5], v[6], heads, mask, a -> a),
                    q, k, val, inW, inB, outW, outB);
        }
    }
}
