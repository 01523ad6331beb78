#!/usr/bin/python3
"""PyTorch golden values for pdr4j's tensor and autograd ops.

How to run (from the repository root; needs Debian's python3-torch, so use /usr/bin/python3,
not a pyenv python that may come first on PATH):

    /usr/bin/python3 tests-property/scripts/make_golden.py

It rewrites tests-property/src/test/resources/golden/ops/*.txt and golden/ops/MANIFEST.txt.
The fixtures are committed; the Java tests (org.pdr4j.golden.GoldenOpsTest) read them and never
need Python. Generated with torch 1.13.0a0 (Debian python3-torch), CPU, single thread.

What a case holds. For a fixed per-case seed (crc32 of the case name) the script draws float32
inputs and a float32 upstream gradient u, then for two precisions, float32 and float64 (the
float32 inputs and u cast up, as Java's .to(DType.F64)), records the forward output y = f(x)
and the input gradients d<u, y>/dx from autograd.

File format (plain text, one case per file, '#' lines are comments):

    case <name>
    expr <python expression, for the reader; the Java test has its own lambda per case>
    inputs <names of the differentiable inputs, in argument order>
    consts <names of non-differentiable tensors (indices, masks), or nothing>
    tensor <key> <dtype> <dim0> <dim1> ... : <v0> <v1> ...

Keys: each input name, each const name, 'upstream', 'out', and 'grad.<input>'. Inputs, consts and
upstream are stored once as f32 (both precisions start from them); 'out' and 'grad.*' appear once
per dtype (f32 and f64). Values are row-major; f32 values are written with 9 significant digits
and f64 values with Python's repr (17 significant digits at most), so both parse back exactly
with Float.parseFloat / Double.parseDouble. A rank-0 tensor has no dims. Index tensors hold
integral values as f32, as pdr4j takes them.
"""

import math
import os
import zlib

import torch
import torch.nn.functional as F

torch.set_num_threads(1)

HERE = os.path.dirname(os.path.abspath(__file__))
OUT_DIR = os.path.join(HERE, "..", "src", "test", "resources", "golden", "ops")

CASES = []


def case(name, expr, inputs, fn, consts=None):
    """Registers a case; inputs/consts: dict name -> generator(g) of float32 tensors."""
    CASES.append((name, expr, inputs, consts or {}, fn))


# ---------------------------------------------------------------- input generators

def randn(*shape, scale=1.0):
    return lambda g: torch.randn(*shape, generator=g, dtype=torch.float32) * scale


def uniform(lo, hi, *shape):
    return lambda g: (torch.rand(*shape, generator=g, dtype=torch.float32) * (hi - lo) + lo)


def away_from_zero(*shape, lo=0.3):
    """|x| >= lo, random sign: for abs, relu, leaky_relu, division."""
    def gen(g):
        m = torch.rand(*shape, generator=g, dtype=torch.float32) * 1.5 + lo
        s = torch.where(torch.rand(*shape, generator=g) < 0.5, -1.0, 1.0).to(torch.float32)
        return m * s
    return gen


def index(bound, *shape):
    return lambda g: torch.randint(0, bound, shape, generator=g).to(torch.float32)


def fixed(values, *shape):
    return lambda g: torch.tensor(values, dtype=torch.float32).reshape(*shape)


def mask(*shape):
    return lambda g: (torch.rand(*shape, generator=g) < 0.5).to(torch.float32)


X = (2, 3, 4)

# ---------------------------------------------------------------- element-wise, unary

case("gelu", "F.gelu(x)  # exact erf form (torch default)", {"x": randn(*X, scale=1.5)}, lambda x: F.gelu(x))
case("silu", "F.silu(x)", {"x": randn(*X, scale=2.0)}, lambda x: F.silu(x))
case("sigmoid", "torch.sigmoid(x)", {"x": randn(*X, scale=2.0)}, lambda x: torch.sigmoid(x))
case("tanh", "torch.tanh(x)", {"x": randn(*X, scale=1.5)}, lambda x: torch.tanh(x))
case("exp", "torch.exp(x)", {"x": randn(*X)}, lambda x: torch.exp(x))
case("log", "torch.log(x), x in [0.1, 3]", {"x": uniform(0.1, 3.0, *X)}, lambda x: torch.log(x))
case("erf", "torch.erf(x)", {"x": randn(*X, scale=1.2)}, lambda x: torch.erf(x))
case("sqrt", "torch.sqrt(x), x in [0.1, 3]", {"x": uniform(0.1, 3.0, *X)}, lambda x: torch.sqrt(x))
case("rsqrt", "torch.rsqrt(x), x in [0.1, 3]", {"x": uniform(0.1, 3.0, *X)}, lambda x: torch.rsqrt(x))
case("reciprocal", "torch.reciprocal(x), |x| >= 0.3", {"x": away_from_zero(*X)}, lambda x: torch.reciprocal(x))
case("sin", "torch.sin(x)", {"x": randn(*X, scale=2.0)}, lambda x: torch.sin(x))
case("cos", "torch.cos(x)", {"x": randn(*X, scale=2.0)}, lambda x: torch.cos(x))
case("neg", "-x", {"x": randn(*X)}, lambda x: -x)
case("abs", "torch.abs(x), |x| >= 0.3", {"x": away_from_zero(*X)}, lambda x: torch.abs(x))
case("relu", "F.relu(x), |x| >= 0.3", {"x": away_from_zero(*X)}, lambda x: F.relu(x))
case("leaky_relu", "F.leaky_relu(x, 0.1), |x| >= 0.3", {"x": away_from_zero(*X)}, lambda x: F.leaky_relu(x, 0.1))
case("pow_scalar", "x ** 2.5, x in [0.2, 2.2]", {"x": uniform(0.2, 2.2, *X)}, lambda x: x ** 2.5)
case("clamp", "torch.clamp(x, -0.5, 0.7)  # no element on a bound", {"x": randn(*X)},
     lambda x: torch.clamp(x, -0.5, 0.7))
case("square", "x * x (one Var used twice)", {"x": randn(*X)}, lambda x: x * x)
case("affine", "(x * 1.5 + 0.25 - 2.0) / 4.0, then 3.0 - that", {"x": randn(*X)},
     lambda x: 3.0 - ((x * 1.5 + 0.25 - 2.0) / 4.0))

# ---------------------------------------------------------------- element-wise, binary (broadcast)

B = (3, 1)
case("add_bcast", "a + b, a [2,3,4], b [3,1]", {"a": randn(*X), "b": randn(*B)}, lambda a, b: a + b)
case("sub_bcast", "a - b, a [2,3,4], b [4]", {"a": randn(*X), "b": randn(4)}, lambda a, b: a - b)
case("mul_bcast", "a * b, a [2,3,4], b [3,1]", {"a": randn(*X), "b": randn(*B)}, lambda a, b: a * b)
case("div_bcast", "a / b, a [3,1], b [2,3,4], |b| >= 0.3", {"a": randn(*B), "b": away_from_zero(*X)},
     lambda a, b: a / b)
case("pow_tensor", "a ** b, a in [0.3, 2] [2,3,4], b [3,1]", {"a": uniform(0.3, 2.0, *X), "b": randn(*B)},
     lambda a, b: a ** b)
case("maximum", "torch.maximum(a, b), no ties", {"a": randn(*X), "b": randn(*X)}, lambda a, b: torch.maximum(a, b))
case("maximum_bcast", "torch.maximum(a, b), a [2,3,4], b [3,1], no ties", {"a": randn(*X), "b": randn(*B)},
     lambda a, b: torch.maximum(a, b))
case("minimum_bcast", "torch.minimum(a, b), a [2,3,4], b [4], no ties", {"a": randn(*X), "b": randn(4)},
     lambda a, b: torch.minimum(a, b))
case("where", "torch.where(c != 0, a, b), b [4] broadcast", {"a": randn(*X), "b": randn(4)},
     lambda a, b, c: torch.where(c != 0, a, b), consts={"c": mask(*X)})

# ---------------------------------------------------------------- linear algebra

case("matmul_2d", "a @ b, [3,4] @ [4,5]", {"a": randn(3, 4), "b": randn(4, 5)}, lambda a, b: a @ b)
case("matmul_bcast", "a @ b, [2,1,3,4] @ [5,4,2] -> [2,5,3,2]", {"a": randn(2, 1, 3, 4), "b": randn(5, 4, 2)},
     lambda a, b: a @ b)
case("matmul_vec_mat", "a @ b, [4] @ [2,4,3] -> [2,3]", {"a": randn(4), "b": randn(2, 4, 3)}, lambda a, b: a @ b)
case("matmul_mat_vec", "a @ b, [2,3,4] @ [4] -> [2,3]", {"a": randn(*X), "b": randn(4)}, lambda a, b: a @ b)
case("matmul_dot", "a @ b, [4] @ [4] -> []", {"a": randn(4), "b": randn(4)}, lambda a, b: a @ b)

# ---------------------------------------------------------------- reductions

case("sum_axis1_keepdim", "x.sum(dim=(1,), keepdim=True)", {"x": randn(*X)}, lambda x: x.sum(dim=(1,), keepdim=True))
case("sum_axes02", "x.sum(dim=(0, 2))", {"x": randn(*X)}, lambda x: x.sum(dim=(0, 2)))
case("sum_all", "x.sum()", {"x": randn(*X)}, lambda x: x.sum())
case("mean_axis1_keepdim", "x.mean(dim=(1,), keepdim=True)", {"x": randn(*X)},
     lambda x: x.mean(dim=(1,), keepdim=True))
case("mean_axis_neg1", "x.mean(dim=(-1,))", {"x": randn(*X)}, lambda x: x.mean(dim=(-1,)))
case("mean_all", "x.mean()", {"x": randn(*X)}, lambda x: x.mean())
case("amax_axis2", "torch.amax(x, dim=2), no ties", {"x": randn(*X)}, lambda x: torch.amax(x, dim=2))
case("amax_axis1_keepdim", "torch.amax(x, dim=1, keepdim=True), no ties", {"x": randn(*X)},
     lambda x: torch.amax(x, dim=1, keepdim=True))
case("amax_ties", "torch.amax(x, dim=1): ties share the gradient evenly",
     {"x": fixed([1, 2, 2, 0, 3, 3, 3, -1, 5, 4, 5, 5], 3, 4)}, lambda x: torch.amax(x, dim=1))
case("amax_all", "torch.amax(x), no ties", {"x": randn(*X)}, lambda x: torch.amax(x))
case("amin_axes01", "torch.amin(x, dim=(0, 1)), no ties", {"x": randn(*X)}, lambda x: torch.amin(x, dim=(0, 1)))
case("var_axis1", "torch.var(x, dim=(1,), correction=1)", {"x": randn(*X)},
     lambda x: torch.var(x, dim=(1,), unbiased=True))
case("var_axes02_keepdim", "torch.var(x, dim=(0, 2), keepdim=True, correction=1)", {"x": randn(*X, scale=2.0)},
     lambda x: torch.var(x, dim=(0, 2), unbiased=True, keepdim=True))
case("var_axis2_pop", "torch.var(x, dim=(2,), correction=0)", {"x": randn(*X)},
     lambda x: torch.var(x, dim=(2,), unbiased=False))

# ---------------------------------------------------------------- movement

case("pad", "F.pad(x, (1, -1, -1, 2), value=0.5): last dim +1/-1, dim 1 crop 1 / pad 2", {"x": randn(*X)},
     lambda x: F.pad(x, (1, -1, -1, 2), mode="constant", value=0.5))
case("pad_3d", "F.pad(x, (0, 2, 1, 0, -1, 1)) over all three dims", {"x": randn(*X)},
     lambda x: F.pad(x, (0, 2, 1, 0, -1, 1), mode="constant", value=0.0))
case("gather", "torch.gather(x, 1, idx), idx [2,5,4] in [0,3) (repeats)", {"x": randn(*X)},
     lambda x, idx: torch.gather(x, 1, idx.long()), consts={"idx": index(3, 2, 5, 4)})
case("gather_last", "torch.gather(x, -1, idx), idx [2,3,2] in [0,4)", {"x": randn(*X)},
     lambda x, idx: torch.gather(x, 2, idx.long()), consts={"idx": index(4, 2, 3, 2)})
case("index_select", "torch.index_select(x, 2, idx), idx = [3, 0, 3, 1, 1]", {"x": randn(*X)},
     lambda x, idx: torch.index_select(x, 2, idx.long()), consts={"idx": fixed([3, 0, 3, 1, 1], 5)})
case("index_select_dim0", "torch.index_select(x, 0, idx), idx = [1, 1, 0]", {"x": randn(*X)},
     lambda x, idx: torch.index_select(x, 0, idx.long()), consts={"idx": fixed([1, 1, 0], 3)})
case("concat", "torch.cat([a, b, c], 1), [2,3,4] [2,1,4] [2,2,4]",
     {"a": randn(*X), "b": randn(2, 1, 4), "c": randn(2, 2, 4)}, lambda a, b, c: torch.cat([a, b, c], 1))
case("stack", "torch.stack([a, b], 1)", {"a": randn(*X), "b": randn(*X)}, lambda a, b: torch.stack([a, b], 1))
case("permute_reshape", "x.permute(2, 0, 1).reshape(8, 3).transpose(0, 1).reshape(2, 12)", {"x": randn(*X)},
     lambda x: x.permute(2, 0, 1).reshape(8, 3).transpose(0, 1).reshape(2, 12))
case("permute_reshape_mul", "(x.permute(1, 2, 0).reshape(3, 8) * w).reshape(4, 6).permute(1, 0), w [8]",
     {"x": randn(*X), "w": randn(8)}, lambda x, w: (x.permute(1, 2, 0).reshape(3, 8) * w).reshape(4, 6).permute(1, 0))
case("slice_step", "x[:, 1:3, 0:4:2]", {"x": randn(*X)}, lambda x: x[:, 1:3, 0:4:2])
case("select_narrow", "x.select(1, 2).narrow(1, 1, 2)", {"x": randn(*X)}, lambda x: x.select(1, 2).narrow(1, 1, 2))
case("expand", "x.expand(2, 3, 4), x [3,1]", {"x": randn(*B)}, lambda x: x.expand(2, 3, 4))
case("split_concat", "p0, p1 = x.split([1, 2], 1); torch.cat([p1, p0], 1)", {"x": randn(*X)},
     lambda x: torch.cat(list(reversed(x.split([1, 2], 1))), 1))
case("squeeze_unsqueeze", "x.unsqueeze(1).squeeze(2).unsqueeze(-1), x [2,1,4]", {"x": randn(2, 1, 4)},
     lambda x: x.unsqueeze(1).squeeze(2).unsqueeze(-1))

# ---------------------------------------------------------------- composites


def _layer_norm(x):
    m = x.mean(dim=(-1,), keepdim=True)
    v = torch.var(x, dim=(-1,), unbiased=False, keepdim=True)
    return (x - m) * torch.rsqrt(v + 1e-5)


def _softmax(x):
    e = torch.exp(x - torch.amax(x, dim=-1, keepdim=True))
    return e / e.sum(dim=(-1,), keepdim=True)


case("layer_norm", "(x - mean) * rsqrt(var_pop + 1e-5) over the last dim", {"x": randn(*X, scale=2.0)}, _layer_norm)
case("softmax", "exp(x - amax) / sum over the last dim", {"x": randn(*X, scale=2.0)}, _softmax)
case("mlp", "gelu(x @ w1 + b1) @ w2, x [2,3,4], w1 [4,5], b1 [5], w2 [5,2]",
     {"x": randn(*X), "w1": randn(4, 5), "b1": randn(5), "w2": randn(5, 2)},
     lambda x, w1, b1, w2: F.gelu(x @ w1 + b1) @ w2)


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


def check_inputs(name, inputs):
    # Ops whose derivative jumps: keep inputs off the kinks so the conventions do not matter.
    if name == "clamp":
        x = inputs["x"]
        assert not bool(((x == -0.5) | (x == 0.7)).any())
    if name in ("maximum", "maximum_bcast", "minimum_bcast"):
        a, b = torch.broadcast_tensors(inputs["a"], inputs["b"])
        assert bool((a != b).all()), name + ": tie"
    if name.startswith("amax") and name != "amax_ties" or name.startswith("amin"):
        x = inputs["x"]
        assert x.unique().numel() == x.numel(), name + ": tie"


def run(name, expr, inputs, consts, fn):
    g = torch.Generator().manual_seed(zlib.crc32(name.encode()))
    xs = {k: gen(g) for k, gen in inputs.items()}
    cs = {k: gen(g) for k, gen in consts.items()}
    check_inputs(name, xs)
    with torch.no_grad():
        probe = fn(*xs.values(), *cs.values())
    u = torch.randn(tuple(probe.shape), generator=g, dtype=torch.float32)
    lines = ["# pdr4j golden fixture, generated by tests-property/scripts/make_golden.py (torch %s)" % torch.__version__,
             "case " + name, "expr " + expr, "inputs " + " ".join(xs), ("consts " + " ".join(cs)).rstrip()]
    lines += [line(k, v, "f32") for k, v in xs.items()]
    lines += [line(k, v, "f32") for k, v in cs.items()]
    lines.append(line("upstream", u, "f32"))
    for dtype, tdt in (("f32", torch.float32), ("f64", torch.float64)):
        leaves = [v.to(tdt).clone().requires_grad_(True) for v in xs.values()]
        y = fn(*leaves, *[c.to(tdt) for c in cs.values()])
        assert y.dtype == tdt
        grads = torch.autograd.grad(y, leaves, u.to(tdt), allow_unused=False)
        lines.append(line("out", y, dtype))
        for k, gr in zip(xs, grads):
            lines.append(line("grad." + k, gr, dtype))
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
        f.write("# cases written by make_golden.py (torch %s), one per line\n" % torch.__version__)
        f.write("\n".join(names) + "\n")
    print("wrote %d cases to %s" % (len(names), os.path.normpath(OUT_DIR)))


if __name__ == "__main__":
    main()
