package org.pdr4j.render;

import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.pdr4j.autograd.GradCheck;
import org.pdr4j.gs.RenderFunction;
import org.pdr4j.gs.RenderSpec;
import org.pdr4j.gs.Renderers;
import org.pdr4j.tensor.Tensor;

/**
 * Float64 gradient checks of the renderer through its autograd op: for random frames, kernel
 * sizes (odd and even), channel counts and Gaussians (some partly off the frame), the analytic
 * gradients of all four inputs equal central differences (eps 1e-6) within atol 1e-6 +
 * rtol 1e-4. Scales stay above the 1e-6 clamp and rotations inside (-pi/2, pi/2), where the
 * image is smooth; bilinear kinks at integer shifts are hit with probability ~1e-6.
 */
class RenderGradProperties {
    record Case(int h, int w, int k, int c, int p, int n, long seed) {}

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<Integer> k = Arbitraries.integers().between(1, 9);
        return Combinators.combine(k, Arbitraries.integers().between(0, 6), Arbitraries.integers().between(0, 6),
                        Arbitraries.integers().between(1, 4), Arbitraries.integers().between(1, 2),
                        Arbitraries.integers().between(1, 5), Arbitraries.longs())
                .as((kk, dh, dw, c, p, n, seed) -> new Case(kk + dh, kk + dw, kk, c, p, n, seed));
    }

    @Property(tries = 40)
    void renderGradientsMatchCentralDifferences(@ForAll("cases") Case cs) {
        long s = cs.seed();
        Tensor co = Tensor.rand(s, cs.p(), cs.n(), 2).mul(2.4).sub(1.2);
        Tensor sc = Tensor.rand(s + 1, cs.p(), cs.n(), 2).mul(0.9).add(0.1);
        Tensor ro = Tensor.rand(s + 2, cs.p(), cs.n()).sub(0.5).mul(3.0);
        Tensor am = Tensor.randn(s + 3, cs.p(), cs.n(), cs.c());
        RenderSpec spec = new RenderSpec(cs.h(), cs.w(), cs.k());
        GradCheck.Result r = GradCheck.check(v -> RenderFunction.render(Renderers.fused(), v[0], v[1], v[2], v[3], spec),
                new Tensor[] {co, sc, ro, am}, null, 1e-6, 1e-6, 1e-4);
        assertTrue(r.passed(), cs + ": " + r);
    }
}
