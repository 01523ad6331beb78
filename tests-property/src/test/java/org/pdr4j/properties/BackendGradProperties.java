package org.pdr4j.properties;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.pdr4j.autograd.Var;
import org.pdr4j.tensor.DType;
import org.pdr4j.tensor.Tensor;

/**
 * Backward passes in float32 on the cpu backend agree with the same passes in float64 on ref.
 * The gradient checks ({@code *GradProperties}) run in float64, i.e. only on ref; this class
 * covers the cpu kernels that backward rules call (broadcast sums, masks, scatter-add,
 * sliceScatter, transposed matmuls) on strided float32 inputs.
 *
 * <p>Both runs see the same float32 input values and the same float32 upstream gradient.
 * Tolerance: {@code |g32 - g64| <= 1e-5 + 1e-4 |g64|} per element.
 */
class BackendGradProperties {
    private static final int TRIES = 150;

    @Provide
    Arbitrary<int[]> shapes() {
        return Gen.shapes(0, 4, 4, 128);
    }

    /** A two-input function built from the case number and the random source, for inputs of shape s and ys. */
    private static BiFunction<Var, Var, Var> function(int which, SplittableRandom r, int[] s, int[] ys) {
        int rank = s.length;
        int[] axes = Gen.axes(r, rank);
        boolean keep = r.nextBoolean();
        int d = rank == 0 ? 0 : r.nextInt(rank);
        return switch (which) {
            case 0 -> (x, y) -> x.mul(y).sum(axes, keep);
            case 1 -> (x, y) -> x.div(y.abs().add(0.5));
            case 2 -> (x, y) -> x.maximum(y).add(x.minimum(y.mul(0.5)));
            case 3 -> (x, y) -> x.sub(y).pow(2.0).mean();
            case 4 -> (x, y) -> x.exp().mul(y.sigmoid());
            case 5 -> (x, y) -> x.tanh().add(y.gelu()).mul(x.silu()).add(y.erf());
            case 6 -> {
                Tensor cond = Gen.uniform(r, ys, -1, 1).gt(0).to(DType.F32);
                yield (x, y) -> Var.where(cond, x.sin(), y.cos());
            }
            case 7 -> {
                int[] p = Gen.permutation(r, rank);
                yield (x, y) -> x.permute(p).contiguous().mul(x.permute(p).abs()).add(y.sum());
            }
            case 8 -> {
                int[] pads = new int[2 * Math.min(rank, 2)];
                for (int i = 0; i < pads.length; i++) pads[i] = r.nextInt(3) - (s[rank - 1 - i / 2] > 1 ? 1 : 0);
                yield (x, y) -> x.pad(pads, 0.25).sin().sum().add(y.mul(y).sum());
            }
            case 9 -> (x, y) -> rank == 0 ? x.add(y.sum()) : x.slice(d, 0, Integer.MAX_VALUE, 2).relu().sum().mul(y.sum());
            case 10 -> {
                int[] yAxes = Gen.axes(r, ys.length);
                yield (x, y) -> x.max(axes, keep).add(y.min(yAxes, false).sum());
            }
            case 11 -> {
                int n = 1;
                for (int a : axes) n *= s[a < 0 ? a + rank : a];
                Assume.that(n > 1);
                yield (x, y) -> x.var(axes, keep, 1).add(y.mean());
            }
            case 12 -> {
                Assume.that(rank > 0);
                int[] is = s.clone();
                for (int i = 0; i < rank; i++) is[i] = i == d ? 1 + r.nextInt(5) : 1 + r.nextInt(s[i]);
                Tensor idx = Gen.index(r, is, s[d]);
                yield (x, y) -> x.gather(d, idx).mul(y.sum());
            }
            case 13 -> {
                Assume.that(rank > 0);
                Tensor idx = Gen.index(r, new int[] {r.nextInt(6)}, s[d]);
                yield (x, y) -> x.indexSelect(d, idx).abs().sum().add(y.sum());
            }
            case 14 -> (x, y) -> {
                Var a = rank == 0 ? x.reshape(1, 1) : x.reshape(-1, s[rank - 1]);
                Var b = y.reshape(1, -1);
                return a.matmul(a.transpose(0, 1)).sum().mul(b.matmul(b.transpose(0, 1)).sum());
            };
            default -> (x, y) -> Var.concat(List.of(x.flatten(), y.flatten().mul(2.0)), 0).mul(Var.stack(List.of(x.flatten().sum(), y.sum()), 0).sum());
        };
    }

    private static Tensor[] grads(BiFunction<Var, Var, Var> f, Tensor x, Tensor y, Tensor upstream) {
        Var vx = Var.param(x), vy = Var.param(y);
        Var out = f.apply(vx, vy);
        out.backward(upstream.to(out.dtype()), false);
        return new Tensor[] {vx.grad(), vy.grad()};
    }

    @Property(tries = TRIES)
    void backwardOnCpuMatchesRef(@ForAll("shapes") int[] s, @ForAll long seed, @ForAll @IntRange(min = 0, max = 15) int which) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] ys = Gen.broadcastable(r, s, 1)[0];
        BiFunction<Var, Var, Var> f = function(which, r, s, ys);
        Tensor x32 = Gen.strided(r, Gen.uniform(r, s, -1.5, 1.5)), y32 = Gen.strided(r, Gen.uniform(r, ys, -1.5, 1.5));
        Tensor x64 = x32.to(DType.F64), y64 = y32.to(DType.F64);
        // Constants record nothing: this only learns the output's shape for the upstream gradient.
        Tensor out64 = f.apply(Var.constant(x64), Var.constant(y64)).value();
        Tensor up = Gen.uniform(r, out64.shape().toArray(), -1, 1).to(DType.F32);
        Tensor[] g32 = grads(f, x32, y32, up), g64 = grads(f, x64, y64, up.to(DType.F64));
        String what = "case " + which + " on" + Gen.describe(x32, y32);
        for (int i = 0; i < 2; i++) {
            if ((g32[i] == null) != (g64[i] == null)) throw new AssertionError(what + ": gradient " + i + " present in one run only");
            if (g32[i] == null) continue;
            if (g32[i].dtype() != DType.F32) throw new AssertionError(what + ": F32 run gave an " + g32[i].dtype() + " gradient");
            Gen.assertClose(what + " gradient of input " + i, g32[i], g64[i], 1e-4, 1e-5);
        }
    }
}
