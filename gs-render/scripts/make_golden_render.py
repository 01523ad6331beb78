#!/usr/bin/python3
"""PyTorch golden values for pdr4j's predgsplat renderer (gs-render).

How to run (from the repository root; needs Debian's python3-torch, so use /usr/bin/python3,
not a pyenv python that may come first on PATH):

    /usr/bin/python3 gs-render/scripts/make_golden_render.py

It rewrites gs-render/src/test/resources/golden/render/*.txt and golden/render/MANIFEST.txt.
The fixtures are committed; the Java test (org.pdr4j.gs.golden.GoldenRenderTest) reads them and
never needs Python. Generated with torch 1.13.0a0 (Debian python3-torch), CPU, single thread.

The renderer's definition is not copied here: the script imports the executable reference,
reference/predgsplat_ref.py of the shared folder next to the repository (repo/../shared/reference),
and records what its render_base_grid gives, with one substitution: the module's torch.linspace
is correctly rounded (see _ExactLinspace: torch 1.13's float32 linspace puts the centre sample of
the K x K grid at ~1e-7 instead of 0, which decides the result at scales 1e-7 and 1e-4).

What a case holds. For a fixed per-case seed (crc32 of the case name) the script draws float32
inputs coords [P,N,2], scale [P,N,2], rotation [P,N], amplitudes [P,N,C] (then overrides some of
them by hand: Gaussians off the frame, scales near 0, rotations at exactly +-pi/2) and a float32
upstream gradient u [P,C,H,W] (N(0,1) rounded to multiples of 1/64, so that it prints short).
For float32, and for float64 (the float32 inputs and u cast up, as Java's .to(DType.F64)), it
records the forward image y = render_base_grid(inputs, H, W, K) and the gradients d<u, y>/dx of
the four inputs that torch autograd gives through render_base_grid.

Before a case is written the script asserts that
  * render_base, render_base_grid and render_direct agree on it to 1e-5 (float32 forward);
  * no Gaussian sits on a kink: the fractional part of each shift d = coords * (W/2, H/2) is
    at least 0.05 from an integer (grid_sample rounds base_grid + coords per pixel, so at an
    integer shift each pixel could take a different one-sided derivative), and no scale is
    within a factor 2 of the 1e-6 clamp (torch passes the gradient at exactly 1e-6);
  * the float64 gradients of render_base_grid equal those of render_direct (per-Gaussian floor)
    to 1e-9, i.e. the per-pixel grid and the per-Gaussian shift give one answer;
  * the float32 results are within a quarter of the Java test's tolerance of the float64 ones,
    so a correct implementation (in float or in double) passes without luck;
  * each coverage word the case claims holds (e.g. 'off' means some Gaussian misses the frame).

File format (plain text, one case per file, '#' lines are comments; the reader is
org.pdr4j.gs.golden.GoldenRenderFixture):

    case <name>
    spec <H> <W> <K>
    covers <words: what the case exercises>
    tensor <key> <dtype> <dim0> <dim1> ... : <v0> <v1> ...

Keys: coords, scale, rotation, amplitudes and upstream (stored once, f32), then 'out' and
'grad.coords', 'grad.scale', 'grad.rotation', 'grad.amplitudes' for f32 and for f64. Values are
row-major; f32 values are written as the shortest decimal that reads back as the same float
(Float.parseFloat), f64 values with Python's repr (Double.parseDouble reads them back exactly).
"""

import importlib.util
import math
import os
import zlib

import numpy as np
import torch

torch.set_num_threads(1)

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, ".."))          # gs-render
REPO = os.path.normpath(os.path.join(REPO, ".."))          # the repository root
REF_PATH = os.path.join(REPO, "..", "shared", "reference", "predgsplat_ref.py")
OUT_DIR = os.path.join(HERE, "..", "src", "test", "resources", "golden", "render")

_spec = importlib.util.spec_from_file_location("predgsplat_ref", REF_PATH)
ref = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ref)


class _ExactLinspace:
    """torch, except that linspace is correctly rounded: the exact value -5 + 10 i / (K - 1)
    rounded once to the dtype.

    torch 1.13's vectorised float32 linspace rounds with FMA and chunking, so the centre sample
    of linspace(-5, 5, K) is 1.19e-7 (K = 7), -1.19e-7 (K = 15) or 7.45e-8 (K = 51), not 0 (and
    that depends on the CPU and build). Only at the smallest scales does that matter, but there it
    dominates: at the clamped scale 1e-6 the centre sample becomes exp(-0.5 (1.2e-7 / 1e-6)^2) =
    0.986 instead of 1, and at scale 1e-4 the scale gradient of a delta-like kernel becomes
    ~1e-2 instead of 0. The renderer's definition is the exact grid (DESIGN.md: a grid spanning
    [-5, 5]; SplatGeometry.gridCoord), so the reference module sees this linspace; everything
    else it computes is torch's own.
    """

    def __getattr__(self, name):
        return getattr(torch, name)

    @staticmethod
    def linspace(start, end, steps, dtype=None):
        from fractions import Fraction
        a, b = Fraction(start), Fraction(end)
        vals = [float(a + (b - a) * i / (steps - 1)) if steps > 1 else float(a) for i in range(steps)]
        return torch.tensor(vals, dtype=torch.float64).to(dtype or torch.get_default_dtype())


ref.torch = _ExactLinspace()

# The Java test's tolerances (GoldenRenderTest): forward |a-b| <= FWD_ATOL; gradients
# |a-b| <= GRAD_RTOL * |b| + GRAD_MTOL * max|b| over the tensor.
FWD_ATOL = 1e-5
GRAD_RTOL = 1e-4
GRAD_MTOL = 1e-5

HALF_PI = float(np.float32(math.pi / 2))   # the float32 nearest pi/2 (1.57079637...), as Java's (float) (Math.PI / 2)

CASES = []


def case(name, H, W, K, P, N, C, covers, edit=None):
    """Registers a case. edit(co, sc, ro, am) changes the drawn float32 inputs in place."""
    CASES.append(dict(name=name, H=H, W=W, K=K, P=P, N=N, C=C, covers=covers.split(), edit=edit))


def set_(t, idx, values):
    t[idx] = torch.tensor(values, dtype=torch.float32)


# ---------------------------------------------------------------- cases

# K = 7
case("k7_h7_w7_c1", 7, 7, 7, 1, 3, 1, "square odd frame=K partly-off")


def _k7_even(co, sc, ro, am):
    set_(co, (1, 0), [2.3, 0.1])        # wholly off to the right
    set_(co, (1, 1), [0.6, -0.7])       # partly off
    set_(co, (0, 4), [-0.1, 1.9])       # wholly off below


case("k7_h8_w12_c2", 8, 12, 7, 2, 5, 2, "even-H even-W non-square partly-off off", _k7_even)


def _k7_tiny(co, sc, ro, am):
    # scale near 0, both axes or one, at generic and at +-pi/2 rotations
    set_(sc, (0, 0), [1e-7, 1e-7])
    set_(sc, (0, 1), [1e-4, 1e-4])
    set_(sc, (0, 2), [1e-4, 0.6])
    set_(sc, (0, 3), [0.45, 1e-4])
    set_(sc, (0, 4), [0.3, 1e-7])
    set_(ro, (0, 2), HALF_PI)
    set_(ro, (0, 3), -HALF_PI)
    set_(ro, (0, 1), -HALF_PI)


case("k7_h13_w10_c3_tiny_scale", 13, 10, 7, 1, 6, 3, "odd-H even-W non-square scale-1e-7 scale-1e-4 rot+pi/2 rot-pi/2",
     _k7_tiny)


def _k7_clamped_rot(co, sc, ro, am):
    # s1 below the clamp at exactly pi/2: the clamped 1e-6 meets cos(pi/2) = -4.37e-8, so the
    # rotation gradient is large (~1e4); alone in its case so that it sets no other entry's scale.
    set_(sc, (0, 0), [1e-7, 0.5])
    set_(ro, (0, 0), HALF_PI)


case("k7_h9_w11_c2_clamped_pi2", 9, 11, 7, 1, 1, 2, "odd-H odd-W non-square scale-1e-7 rot+pi/2", _k7_clamped_rot)

# K = 15
case("k15_h15_w15_c5", 15, 15, 15, 1, 5, 5, "square odd frame=K partly-off")


def _k15_rot(co, sc, ro, am):
    set_(ro, (0, 0), HALF_PI)
    set_(ro, (0, 1), -HALF_PI)
    set_(ro, (1, 2), HALF_PI)
    set_(ro, (1, 3), -HALF_PI)
    set_(co, (1, 4), [-1.2, 0.3])       # partly off to the left
    set_(co, (0, 5), [0.2, -2.4])       # wholly off above


case("k15_h16_w23_c3_rot", 16, 23, 15, 2, 8, 3, "even-H odd-W non-square rot+pi/2 rot-pi/2 partly-off off", _k15_rot)


def _k15_edge(co, sc, ro, am):
    set_(co, (0, 0), [1.5, -0.2])       # partly off (right)
    set_(co, (0, 1), [-3.1, 0.4])       # wholly off (left)
    set_(co, (0, 2), [0.3, 1.93])       # wholly off (below)
    set_(co, (0, 3), [-0.95, 0.97])     # corner, partly off
    set_(co, (0, 4), [9.7, -11.3])      # far away
    set_(co, (0, 5), [1.36, 1.18])      # corner, partly off
    set_(sc, (0, 6), [1e-4, 0.7])
    set_(ro, (0, 6), -HALF_PI)


case("k15_h20_w17_c2_edges", 20, 17, 15, 1, 9, 2,
     "even-H odd-W non-square partly-off off scale-1e-4 rot-pi/2", _k15_edge)


def _k15_tiny(co, sc, ro, am):
    set_(sc, (0, 0), [1e-7, 1e-4])
    set_(sc, (0, 1), [1e-4, 1e-7])
    set_(sc, (1, 0), [0.8, 1e-7])
    set_(ro, (0, 1), HALF_PI)
    set_(ro, (1, 0), -HALF_PI)


case("k15_h18_w15_c1_tiny_scale", 18, 15, 15, 2, 4, 1,
     "even-H odd-W non-square scale-1e-7 scale-1e-4 rot+pi/2 rot-pi/2", _k15_tiny)

# K = 51
case("k51_h51_w51_c1", 51, 51, 51, 1, 3, 1, "square odd frame=K partly-off")


def _k51_mixed(co, sc, ro, am):
    set_(ro, (0, 0), HALF_PI)
    set_(ro, (0, 1), -HALF_PI)
    set_(sc, (0, 2), [1e-4, 0.35])
    set_(sc, (0, 3), [1e-7, 1e-7])
    set_(co, (0, 4), [1.62, -0.4])      # partly off (right)
    set_(co, (0, 5), [-0.3, -3.3])      # wholly off (above)


case("k51_h52_w57_c2", 52, 57, 51, 1, 6, 2,
     "even-H odd-W non-square rot+pi/2 rot-pi/2 scale-1e-4 scale-1e-7 partly-off off", _k51_mixed)


def _k51_frames(co, sc, ro, am):
    set_(co, (1, 0), [0.05, 2.3])       # wholly off (below)


case("k51_h60_w53_c1_p2", 60, 53, 51, 2, 3, 1, "even-H odd-W non-square partly-off off", _k51_frames)

# beyond the list: an even K and K = 1 (torch.linspace(-5, 5, 1) = [-5])
case("k8_h9_w8_c2_even_k", 9, 8, 8, 1, 4, 2, "odd-H even-W non-square even-K partly-off")
case("k1_h3_w4_c2", 3, 4, 1, 1, 3, 2, "odd-H even-W non-square K=1")


# ---------------------------------------------------------------- drawing and checks

def draw(c):
    g = torch.Generator().manual_seed(zlib.crc32(c["name"].encode()))
    P, N, C, H, W = c["P"], c["N"], c["C"], c["H"], c["W"]
    f = torch.float32
    co = torch.rand(P, N, 2, generator=g, dtype=f) * 1.6 - 0.8
    sc = torch.rand(P, N, 2, generator=g, dtype=f) * 0.9 + 0.1
    ro = (torch.rand(P, N, generator=g, dtype=f) - 0.5) * math.pi * 0.98
    am = torch.randn(P, N, C, generator=g, dtype=f)
    if c["edit"] is not None:
        c["edit"](co, sc, ro, am)
    # keep every shift off an integer: nudge drawn coords, reject hand-set ones
    for p in range(P):
        for i in range(N):
            for a, size in ((0, W), (1, H)):
                for _ in range(20):
                    d = float(co[p, i, a]) * size / 2
                    if abs(d - round(d)) >= 0.05:
                        break
                    co[p, i, a] = float(co[p, i, a]) + 0.3 / (size / 2)
                d = float(co[p, i, a]) * size / 2
                assert abs(d - round(d)) >= 0.05, (c["name"], "shift on an integer", p, i, a, d)
    assert not bool(((sc > 0.5e-6) & (sc < 2e-6)).any()), (c["name"], "scale at the clamp")
    u = torch.round(torch.randn(P, C, H, W, generator=g, dtype=f) * 64) / 64
    return co, sc, ro, am, u


def grads(fn, xs, u, dtype, H, W, K):
    leaves = [x.to(dtype).clone().requires_grad_(True) for x in xs]
    y = fn(*leaves, H, W, K)
    assert y.dtype == dtype
    gs = torch.autograd.grad(y, leaves, u.to(dtype))
    return y.detach(), [g_.detach() for g_ in gs]


def footprint(co, H, W, K):
    """Per Gaussian: 'in' (whole footprint in the frame), 'partly' or 'off'."""
    out = []
    left, top = (W - K) // 2, (H - K) // 2
    for x, y in co.reshape(-1, 2).tolist():
        fx, fy = math.floor(x * W / 2), math.floor(y * H / 2)
        x0, y0 = left - fx - 1, top - fy - 1
        if x0 >= W or x0 + K + 1 <= 0 or y0 >= H or y0 + K + 1 <= 0:
            out.append("off")
        elif x0 >= 0 and y0 >= 0 and x0 + K + 1 <= W and y0 + K + 1 <= H:
            out.append("in")
        else:
            out.append("partly")
    return out


def check_covers(c, co, sc, ro):
    H, W, K = c["H"], c["W"], c["K"]
    where = footprint(co, H, W, K)
    words = {
        "square": H == W, "non-square": H != W,
        "odd-H": H % 2 == 1, "even-H": H % 2 == 0, "odd-W": W % 2 == 1, "even-W": W % 2 == 0,
        "odd": H % 2 == 1 and W % 2 == 1, "frame=K": H == K and W == K, "even-K": K % 2 == 0, "K=1": K == 1,
        "partly-off": "partly" in where, "off": "off" in where,
        "scale-1e-7": bool((sc == np.float32(1e-7)).any()), "scale-1e-4": bool((sc == np.float32(1e-4)).any()),
        "rot+pi/2": bool((ro == HALF_PI).any()), "rot-pi/2": bool((ro == -HALF_PI).any()),
    }
    for w in c["covers"]:
        assert words[w], (c["name"], "does not cover " + w)


def within(a, b, frac):
    """a within frac of the Java gradient tolerance around b."""
    m = float(b.abs().max()) if b.numel() else 0.0
    return bool(((a - b).abs() <= frac * (GRAD_RTOL * b.abs() + GRAD_MTOL * m)).all())


def compute(c):
    H, W, K = c["H"], c["W"], c["K"]
    co, sc, ro, am, u = draw(c)
    check_covers(c, co, sc, ro)
    xs = [co, sc, ro, am]
    with torch.no_grad():
        b = ref.render_base(*xs, H, W, K)
        bg = ref.render_base_grid(*xs, H, W, K)
        d = ref.render_direct(*xs, H, W, K)
    assert torch.allclose(b, bg, rtol=0, atol=1e-5), (c["name"], "base vs base_grid", float((b - bg).abs().max()))
    assert torch.allclose(d, bg, rtol=0, atol=1e-5), (c["name"], "direct vs base_grid", float((d - bg).abs().max()))
    y32, g32 = grads(ref.render_base_grid, xs, u, torch.float32, H, W, K)
    y64, g64 = grads(ref.render_base_grid, xs, u, torch.float64, H, W, K)
    _, gd64 = grads(ref.render_direct, xs, u, torch.float64, H, W, K)
    keys = ["coords", "scale", "rotation", "amplitudes"]
    for k, a, bb in zip(keys, gd64, g64):
        m = float(bb.abs().max())
        assert bool(((a - bb).abs() <= 1e-9 * (bb.abs() + m)).all()), (c["name"], "direct vs base_grid f64 grad." + k)
    assert bool(((y32.double() - y64).abs() <= 0.25 * FWD_ATOL).all()), (c["name"], "f32 forward ill-conditioned")
    for k, a, bb in zip(keys, g32, g64):
        assert within(a.double(), bb, 0.25), (c["name"], "f32 grad." + k + " ill-conditioned",
                                               float((a.double() - bb).abs().max()))
    return xs, u, (y32, g32), (y64, g64)


# ---------------------------------------------------------------- writing

def fmt(t, dtype):
    vals = t.detach().reshape(-1).tolist()
    for v in vals:
        assert math.isfinite(v), "non-finite value in fixture"
    if dtype == "f32":
        out = []
        for v in vals:
            s = str(np.float32(v))
            assert float(np.float32(float(s))) == v, (s, v)
            out.append(s)
        return " ".join(out)
    return " ".join(repr(float(v)) for v in vals)


def line(key, t, dtype):
    dims = " ".join(str(d) for d in t.shape)
    return "tensor %s %s %s : %s" % (key, dtype, dims, fmt(t, dtype))


def write(c, xs, u, r32, r64):
    lines = ["# pdr4j golden fixture, generated by gs-render/scripts/make_golden_render.py (torch %s)"
             % torch.__version__,
             "# render_base_grid of reference/predgsplat_ref.py; grads of <upstream, out> by torch autograd",
             "case " + c["name"],
             "spec %d %d %d" % (c["H"], c["W"], c["K"]),
             "covers " + " ".join(c["covers"])]
    for k, x in zip(["coords", "scale", "rotation", "amplitudes"], xs):
        lines.append(line(k, x, "f32"))
    lines.append(line("upstream", u, "f32"))
    for dtype, (y, gs) in (("f32", r32), ("f64", r64)):
        lines.append(line("out", y, dtype))
        for k, g_ in zip(["coords", "scale", "rotation", "amplitudes"], gs):
            lines.append(line("grad." + k, g_, dtype))
    with open(os.path.join(OUT_DIR, c["name"] + ".txt"), "w") as f:
        f.write("\n".join(lines) + "\n")


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    for fn in os.listdir(OUT_DIR):
        if fn.endswith(".txt"):
            os.remove(os.path.join(OUT_DIR, fn))
    names = [c["name"] for c in CASES]
    assert len(set(names)) == len(names), "duplicate case names"
    for c in CASES:
        write(c, *compute(c))
    with open(os.path.join(OUT_DIR, "MANIFEST.txt"), "w") as f:
        f.write("# cases written by make_golden_render.py (torch %s), one per line\n" % torch.__version__)
        f.write("\n".join(names) + "\n")
    total = sum(os.path.getsize(os.path.join(OUT_DIR, n)) for n in os.listdir(OUT_DIR))
    print("wrote %d cases to %s (%d bytes)" % (len(names), os.path.normpath(OUT_DIR), total))


if __name__ == "__main__":
    main()
