#!/usr/bin/python3
"""Golden fixtures for pdr4j's models: one training-mode forward and backward of SimVP (IncepU),
SimVPv2 (gSTA), TAU and PDR at a micro size, computed by the PyTorch reference models.

How to run (from the repository root; Debian's python3-torch, so /usr/bin/python3):

    /usr/bin/python3 models/scripts/make_golden_models.py

It rewrites models/src/test/resources/golden/models/<model>.npz and <model>.json for model in
simvp, gsta, tau, pdr. The fixtures are committed; the Java tests read them and never need Python.

What a fixture holds. torch.manual_seed(seed) then build(model, micro config); every DropPath is
switched off (OpenSTL's MidMetaNet gives the first block p = 1e-2 even at drop_path 0) and the
model is in training mode, so BatchNorm normalises with batch statistics and updates its running
statistics. For pdr only, coords.2.weight (zero at init) gets N(0, 0.01) noise so that gradients
reach the whole coords head. Then one forward on a fixed input, loss = mean squared error against a
fixed target, backward. The .npz (numpy.savez, uncompressed, all arrays float32, C order) has:

    param/<name>   every state_dict entry BEFORE the forward (parameters and buffers; BatchNorm's
                   int64 num_batches_tracked stored as float32)
    input          [B, T, C, H, W], uniform [0, 1)
    target         [B, T, C, H, W], uniform [0, 1)
    output         [B, T, C, H, W], the model's prediction
    loss           [] (rank 0), mean((output - target)^2)
    grad/<name>    d loss / d parameter, for every named parameter (same shape as param/<name>)
    after/<name>   every buffer (running_mean, running_var, num_batches_tracked) AFTER the forward
    pdr only:      coarse [B,T,C,H,W] (the backbone's prediction), rendering [B,T,C,H,W] (PredGS),
                   gauss/coords [P,N,2], gauss/scale [P,N,2], gauss/rotation [P,N],
                   gauss/amplitudes [P,N,C] with P = B*T

The .json beside it gives the config (sizes as OpenSTL names them), the seeds, the torch version and
the list of keys with shapes.
"""

import json
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import torch_models as tm  # noqa: E402

OUT_DIR = os.path.join(HERE, "..", "src", "test", "resources", "golden", "models")

# The micro config of the task: in_shape (4,1,16,16), hid_S 8, hid_T 16, N_S 2, N_T 2, PDR N 16,
# K 7, pool 2. mlp_ratio 4 as Java's 'micro'. The PredGS MLP width is 8 (not 256) to keep the
# fixture small: with pool 2 its input is 8*8*8 = 512 features per frame.
MICRO = dict(in_shape=(4, 1, 16, 16), hid_S=8, hid_T=16, N_S=2, N_T=2, mlp_ratio=4.0, drop_path=0.0,
             gauss=(16, 7, 2), predgs_hidden=8)
BATCH = 2
SEEDS = {"simvp": 11, "gsta": 12, "tau": 15, "pdr": 14}
DATA_SEED = 2024


def f32(t):
    # a copy: numpy() shares memory, and the forward updates BatchNorm's buffers in place
    return t.detach().to(torch.float32).clone().contiguous().numpy()


def run(model):
    torch.manual_seed(SEEDS[model])
    net = tm.build(model, MICRO, **({"renderer": "base_grid"} if model == "pdr" else {}))
    for m in net.modules():
        if isinstance(m, tm.DropPath):
            m.drop_prob = 0.0
    if model == "pdr":
        with torch.no_grad():
            w = net.predgs.coords[2].weight
            w.copy_(torch.randn(w.shape) * 0.01)
    net.train()

    arrays = {}
    for k, v in net.state_dict().items():
        arrays["param/" + k] = f32(v)
    g = torch.Generator().manual_seed(DATA_SEED)
    x = torch.rand(BATCH, *MICRO["in_shape"], generator=g)
    y = torch.rand(BATCH, *MICRO["in_shape"], generator=g)
    arrays["input"], arrays["target"] = f32(x), f32(y)

    parts = net.forward_all(x) if model == "pdr" else {"prediction": net(x)}
    out = parts["prediction"]
    loss = torch.nn.functional.mse_loss(out, y)
    net.zero_grad()
    loss.backward()
    arrays["output"], arrays["loss"] = f32(out), f32(loss)
    for k, p in net.named_parameters():
        if p.grad is None:
            raise RuntimeError(f"{model}: no gradient for {k}")
        if not p.grad.abs().max() > 0:
            # e.g. a TAU SE bottleneck whose ReLUs are all off for this batch: pick another seed
            raise RuntimeError(f"{model}: the gradient of {k} is all zero; change SEEDS['{model}']")
        arrays["grad/" + k] = f32(p.grad)
    after = dict(net.named_buffers())
    for k, v in after.items():
        arrays["after/" + k] = f32(v)

    if model == "pdr":
        for name in ("coarse", "rendering"):
            arrays[name] = f32(parts[name])
        gs = [parts[n] for n in ("coords", "scale", "rotation", "amplitudes")]
        for name, t in zip(("coords", "scale", "rotation", "amplitudes"), gs):
            arrays["gauss/" + name] = f32(t)
        _check_scatter(net, [t.detach() for t in gs], parts["rendering"])
    return net, arrays, after


def _check_scatter(net, gs, rendering):
    """The model renders with the definition (base_grid); the fast variant must agree."""
    pg = net.predgs
    img = tm.render_scatter(*gs, pg.H, pg.W, pg.K).reshape(rendering.shape)
    err = (img - rendering.detach()).abs().max().item()
    if err > 1e-5:
        raise RuntimeError(f"render_scatter differs from render_base_grid by {err}")


def main():
    torch.set_num_threads(1)
    os.makedirs(OUT_DIR, exist_ok=True)
    for model in SEEDS:
        net, arrays, _ = run(model)
        path = os.path.join(OUT_DIR, model + ".npz")
        np.savez(path, **arrays)
        cfg = dict(model=model, model_type=tm.MODEL_TYPES[model], batch=BATCH, seed=SEEDS[model],
                   data_seed=DATA_SEED, loss="mse", mode="train", drop_path_disabled=True,
                   torch=torch.__version__, **MICRO)
        if model == "pdr":
            cfg.update(renderer="base_grid", coords_head_noise=0.01, n_gauss=MICRO["gauss"][0],
                       kernel=MICRO["gauss"][1], pool=MICRO["gauss"][2])
        cfg["keys"] = {k: list(v.shape) for k, v in arrays.items()}
        with open(os.path.join(OUT_DIR, model + ".json"), "w") as fh:
            json.dump(cfg, fh, indent=1)
            fh.write("\n")
        print(f"{model}: loss {float(arrays['loss']):.6f}, {len(arrays)} arrays, "
              f"{os.path.getsize(path) // 1024} KB")


if __name__ == "__main__":
    main()
