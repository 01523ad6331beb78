#!/usr/bin/python3
"""PyTorch golden values for pdr4j's normalisation, softmax, loss and metric ops.

Run from the repository root with Debian's python3 (python3-torch):

    /usr/bin/python3 tests-property/scripts/make_golden_norm.py

It rewrites tests-property/src/test/resources/golden/norm/*.txt and MANIFEST.txt; the Java test
org.pdr4j.golden.GoldenNormTest reads them (no Python at test time). CPU, single thread.

Same file format as make_golden.py (case / expr / inputs / consts header lines, then
"tensor <key> <dtype> <dims> : <values>"). For a per-case seed (crc32 of the name) a case draws
float32 inputs (differentiable) and consts (not differentiable), and an upstream gradient u of
the output's shape. Then for float32 and float64 (inputs cast up) it records 'out', the input
gradients 'grad.<name>' of <u, out>, and any extra tensors the case returns (e.g. the BatchNorm
running statistics after the step, 'running_mean.after'). Cases without inputs record no
gradients and no upstream.

SSIM here is the reference definition pdr4j follows: an 11x11 Gaussian window (sigma 1.5, the
normalised 1-D Gaussian's outer product), per channel (F.conv2d with groups=C), 'valid' windows
only, C1 = 0.01^2, C2 = 0.03^2, mean over everything.
"""

import math
import os
import zlib

import torch
import torch.nn.functional as F

torch.set_num_threads(1)

HERE = os.path.dirname(os.path.abspath(__file__))
OUT_DIR = os.path.join(HERE, "..", "src", "test", "resources", "golden", "norm")

CASES = []


def case(name, expr, gen, fn):
    """gen(g) -> (inputs dict, consts dict) of float32 tensors; fn(*inputs, *consts) -> out or (out, extras dict)."""
    CASES.append((name, expr, gen, fn))


def randn(g, *shape, scale=1.0, shift=0.0):
    return torch.randn(*shape, generator=g, dtype=torch.float32) * scale + shift


def rand(g, *shape):
    return torch.rand(*shape, generator=g, dtype=torch.float32)


# ---------------------------------------------------------------- reference SSIM, losses, metrics

def gaussian(size=11, sigma=1.5, dtype=torch.float64):
    c = torch.arange(size, dtype=dtype) - size // 2
    g = torch.exp(-(c ** 2) / (2 * sigma ** 2))
    return g / g.sum()


def ssim(x, y):
    """x, y [N, C, H, W] or [B, T, C, H, W]."""
    if x.dim() == 5:
        x = x.reshape(-1, *x.shape[2:])
        y = y.reshape(-1, *y.shape[2:])
    c = x.shape[1]
    g = gaussian(dtype=x.dtype)
    win = (g[:, None] * g[None, :]).expand(c, 1, 11, 11).contiguous()
    blur = lambda t: F.conv2d(t, win, groups=c)
    mx, my = blur(x), blur(y)
    sxx = blur(x * x) - mx * mx
    syy = blur(y * y) - my * my
    sxy = blur(x * y) - mx * my
    c1, c2 = 0.01 ** 2, 0.03 ** 2
    m = ((2 * mx * my + c1) * (2 * sxy + c2)) / ((mx * mx + my * my + c1) * (sxx + syy + c2))
    return m.mean()


def diff_div_reg(pred, target, tau=0.1, eps=1e-12):
    b, t = pred.shape[:2]
    gp = (pred[:, 1:] - pred[:, :-1]).reshape(b, t - 1, -1)
    gt = (target[:, 1:] - target[:, :-1]).reshape(b, t - 1, -1)
    p = F.softmax(gp / tau, -1)
    q = F.softmax(gt / tau, -1)
    return (p * torch.log(p / (q + eps) + eps)).mean()


def metrics(pred, target):
    """OpenSTL-style metrics on [B, T, C, H, W]; pred clipped to [0, 1] for PSNR and SSIM."""
    err = pred - target
    mse = (err ** 2).mean(dim=(0, 1)).sum()
    mae = err.abs().mean(dim=(0, 1)).sum()
    pc = pred.clamp(0, 1)
    b, t = pred.shape[:2]
    psnr, ss = 0.0, 0.0
    for i in range(b):
        for j in range(t):
            m = ((pc[i, j] - target[i, j]) ** 2).mean()
            psnr += float(20 * torch.log10(1 / torch.sqrt(m)))
            ss += float(ssim(pc[i, j][None], target[i, j][None]))
    f = b * t
    scalar = lambda v: torch.tensor(v, dtype=pred.dtype)
    extras = {"mse": mse, "mae": mae, "rmse": torch.sqrt(mse), "psnr": scalar(psnr / f), "ssim": scalar(ss / f),
              "mse_pixel": (err ** 2).mean(), "mae_pixel": err.abs().mean()}
    return mse, extras


# ---------------------------------------------------------------- cases

case("group_norm", "F.group_norm(x, 3, w, b, 1e-5), x [2,6,3,4]",
     lambda g: ({"x": randn(g, 2, 6, 3, 4, scale=2.0, shift=0.5), "w": randn(g, 6), "b": randn(g, 6)}, {}),
     lambda x, w, b: F.group_norm(x, 3, w, b, 1e-5))
case("group_norm_noaffine", "F.group_norm(x, 2, eps=1e-5), x [3,4,5]",
     lambda g: ({"x": randn(g, 3, 4, 5, scale=1.5, shift=-1.0)}, {}),
     lambda x: F.group_norm(x, 2, eps=1e-5))
case("group_norm_large", "F.group_norm(x, 2, w, b, 1e-5), x [2,4,9,9] (vector path and tails)",
     lambda g: ({"x": randn(g, 2, 4, 9, 9, scale=3.0, shift=2.0), "w": randn(g, 4), "b": randn(g, 4)}, {}),
     lambda x, w, b: F.group_norm(x, 2, w, b, 1e-5))


def _bn(training):
    def fn(x, w, b, rm, rv):
        rm, rv = rm.clone(), rv.clone()
        y = F.batch_norm(x, rm, rv, w, b, training=training, momentum=0.1, eps=1e-5)
        return y, {"running_mean.after": rm, "running_var.after": rv}
    return fn


case("batch_norm_train", "F.batch_norm(x, rm, rv, w, b, training=True, momentum=0.1, eps=1e-5), x [4,3,5,5]",
     lambda g: ({"x": randn(g, 4, 3, 5, 5, scale=1.5, shift=1.0), "w": randn(g, 3), "b": randn(g, 3)},
                {"running_mean": randn(g, 3, scale=0.1), "running_var": rand(g, 3) + 0.5}),
     _bn(True))
case("batch_norm_train_2d", "F.batch_norm(x, rm, rv, w, b, training=True, momentum=0.1, eps=1e-5), x [6,4]",
     lambda g: ({"x": randn(g, 6, 4, scale=2.0), "w": randn(g, 4), "b": randn(g, 4)},
                {"running_mean": randn(g, 4, scale=0.1), "running_var": rand(g, 4) + 0.5}),
     _bn(True))
case("batch_norm_eval", "F.batch_norm(x, rm, rv, w, b, training=False, eps=1e-5), x [3,3,4,4]",
     lambda g: ({"x": randn(g, 3, 3, 4, 4, scale=1.5, shift=0.3), "w": randn(g, 3), "b": randn(g, 3)},
                {"running_mean": randn(g, 3, scale=0.5), "running_var": rand(g, 3) + 0.5}),
     _bn(False))
case("layer_norm", "F.layer_norm(x, [4,5], w, b, 1e-5), x [3,4,5]",
     lambda g: ({"x": randn(g, 3, 4, 5, scale=2.0, shift=1.0), "w": randn(g, 4, 5), "b": randn(g, 4, 5)}, {}),
     lambda x, w, b: F.layer_norm(x, [4, 5], w, b, 1e-5))
case("layer_norm_last", "F.layer_norm(x, [37], w, b, 1e-5), x [2,3,37]",
     lambda g: ({"x": randn(g, 2, 3, 37, scale=0.5, shift=-2.0), "w": randn(g, 37), "b": randn(g, 37)}, {}),
     lambda x, w, b: F.layer_norm(x, [37], w, b, 1e-5))
case("softmax_dim1", "F.softmax(x, 1), x [2,5,3]",
     lambda g: ({"x": randn(g, 2, 5, 3, scale=3.0)}, {}), lambda x: F.softmax(x, 1))
case("softmax_last", "F.softmax(x, -1), x [3,37]",
     lambda g: ({"x": randn(g, 3, 37, scale=3.0)}, {}), lambda x: F.softmax(x, -1))
case("log_softmax_last", "F.log_softmax(x, -1), x [3,37]",
     lambda g: ({"x": randn(g, 3, 37, scale=3.0)}, {}), lambda x: F.log_softmax(x, -1))
case("log_softmax_dim0", "F.log_softmax(x, 0), x [4,3]",
     lambda g: ({"x": randn(g, 4, 3, scale=3.0)}, {}), lambda x: F.log_softmax(x, 0))


def _pair(*shape):
    def gen(g):
        x = rand(g, *shape)
        y = (0.7 * x + 0.3 * rand(g, *shape)).clamp(0, 1)
        return {"x": x, "y": y}, {}
    return gen


case("ssim", "ssim(x, y), x y [2,3,16,16]", _pair(2, 3, 16, 16), ssim)
case("ssim_5d", "ssim(x, y), x y [2,2,1,12,13]", _pair(2, 2, 1, 12, 13), ssim)
case("l1_ssim", "0.5 * l1 + 0.5 * (1 - ssim), pred target [2,3,1,16,16]", _pair(2, 3, 1, 16, 16),
     lambda x, y: 0.5 * (x - y).abs().mean() + 0.5 * (1 - ssim(x, y)))
case("diff_div_reg", "diff_div_reg(pred, target, tau=0.1, eps=1e-12), [2,4,2,3,3]",
     lambda g: ({"pred": rand(g, 2, 4, 2, 3, 3), "target": rand(g, 2, 4, 2, 3, 3)}, {}), diff_div_reg)


def _metrics_gen(g):
    t = rand(g, 2, 3, 1, 16, 16)
    p = t + 0.1 * randn(g, 2, 3, 1, 16, 16)  # a few values leave [0, 1]: exercises the clipping
    return {}, {"pred": p, "target": t}


case("metrics", "OpenSTL mse/mae (mean over B,T, sum over C,H,W), psnr, ssim per frame, [2,3,1,16,16]", _metrics_gen, metrics)


# ---------------------------------------------------------------- writing

def fmt(t, dtype):
    vals = t.detach().reshape(-1).tolist()
    for v in vals:
        assert math.isfinite(v), "non-finite value in fixture"
    if dtype == "f32":
        return " ".join("%.9g" % v for v in vals)
    return " ".join(repr(float(v)) for v in vals)


def line(key, t, dtype):
    dims = " ".join(str(d) for d in t.shape)
    head = "tensor %s %s %s" % (key, dtype, dims) if dims else "tensor %s %s" % (key, dtype)
    return head.rstrip() + " : " + fmt(t, dtype)


def split(r):
    return r if isinstance(r, tuple) else (r, {})


def run(name, expr, gen, fn):
    g = torch.Generator().manual_seed(zlib.crc32(name.encode()))
    xs, cs = gen(g)
    with torch.no_grad():
        probe, _ = split(fn(*xs.values(), *cs.values()))
    lines = ["# pdr4j golden fixture, generated by tests-property/scripts/make_golden_norm.py (torch %s)" % torch.__version__,
             "case " + name, "expr " + expr, ("inputs " + " ".join(xs)).rstrip(), ("consts " + " ".join(cs)).rstrip()]
    lines += [line(k, v, "f32") for k, v in xs.items()]
    lines += [line(k, v, "f32") for k, v in cs.items()]
    u = None
    if xs:
        u = torch.randn(tuple(probe.shape), generator=g, dtype=torch.float32)
        lines.append(line("upstream", u, "f32"))
    for dtype, tdt in (("f32", torch.float32), ("f64", torch.float64)):
        leaves = [v.to(tdt).clone().requires_grad_(True) for v in xs.values()]
        y, extras = split(fn(*leaves, *[c.to(tdt) for c in cs.values()]))
        assert y.dtype == tdt
        lines.append(line("out", y, dtype))
        if xs:
            grads = torch.autograd.grad(y, leaves, u.to(tdt))
            for k, gr in zip(xs, grads):
                lines.append(line("grad." + k, gr, dtype))
        for k, v in extras.items():
            lines.append(line(k, v.to(tdt), dtype))
    with open(os.path.join(OUT_DIR, name + ".txt"), "w") as f:
        f.write("\n".join(lines) + "\n")


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    for fn in os.listdir(OUT_DIR):
        if fn.endswith(".txt"):
            os.remove(os.path.join(OUT_DIR, fn))
    names = [c[0] for c in CASES]
    assert len(set(names)) == len(names), "duplicate case names"
    for c in CASES:
        run(*c)
    with open(os.path.join(OUT_DIR, "MANIFEST.txt"), "w") as f:
        f.write("# cases written by make_golden_norm.py (torch %s), one per line\n" % torch.__version__)
        f.write("\n".join(names) + "\n")
    print("wrote %d cases to %s" % (len(names), os.path.normpath(OUT_DIR)))


if __name__ == "__main__":
    main()
