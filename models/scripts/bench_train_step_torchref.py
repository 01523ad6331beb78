#!/usr/bin/python3
"""Times one PyTorch training step (forward, loss, backward, AdamW step) of the reference models,
the counterpart of pdr4j's Java train-step timing.

    /usr/bin/python3 models/scripts/bench_train_step_torchref.py --model tau --config digits-small \\
        --batch 16 --steps 5 --threads 2 [--json]

Random inputs and targets (uniform [0, 1), fixed seed), AdamW(lr 1e-3, weight decay 1e-2), model
in training mode. Two warm-up steps, then --steps timed steps; prints min/median/max ms per step
(and one JSON line with --json). Losses as the paper pairs them: tau mse + 0.1 * diff_div_reg, pdr
0.5 * L1 + 0.5 * (1 - SSIM), simvp and gsta mse. PDR renders with the scatter variant of
predgsplat (same image and gradients as Algorithm 1's grid_sample, without the [P*N, C, H, W]
intermediate); --renderer base_grid times Algorithm 1 literally.
"""

import argparse
import json
import os
import statistics
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch_models as tm  # noqa: E402


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", choices=list(tm.MODEL_TYPES), default="tau")
    ap.add_argument("--config", choices=list(tm.CONFIGS), default="digits-small")
    ap.add_argument("--batch", type=int, default=None, help="default: the config's batch")
    ap.add_argument("--steps", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--renderer", choices=list(tm.RENDERERS), default="scatter")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", action="store_true", help="also print one JSON line")
    a = ap.parse_args(argv)
    if a.steps < 1:
        ap.error("--steps must be >= 1")

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    cfg = tm.CONFIGS[a.config]
    batch = a.batch or cfg["batch"]
    net = tm.build(a.model, a.config, **({"renderer": a.renderer} if a.model == "pdr" else {}))
    net.train()
    params = sum(p.numel() for p in net.parameters())
    opt = torch.optim.AdamW(net.parameters(), lr=a.lr, weight_decay=1e-2)
    loss_fn = tm.loss_for(a.model)
    g = torch.Generator().manual_seed(a.seed + 1)
    x = torch.rand(batch, *cfg["in_shape"], generator=g)
    y = torch.rand(batch, *cfg["in_shape"], generator=g)

    def step():
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(net(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    for _ in range(a.warmup):
        step()
    times, losses = [], []
    for _ in range(a.steps):
        t = time.perf_counter()
        losses.append(step())
        times.append((time.perf_counter() - t) * 1e3)

    res = dict(model=a.model, config=a.config, batch=batch, steps=a.steps, warmup=a.warmup,
               threads=torch.get_num_threads(), params=params,
               renderer=a.renderer if a.model == "pdr" else None, torch=torch.__version__,
               min_ms=min(times), median_ms=statistics.median(times), max_ms=max(times),
               times_ms=times, last_loss=losses[-1])
    print(f"{a.model} {a.config} batch {batch} ({params / 1e6:.2f} M params), {res['threads']} threads, "
          f"torch {torch.__version__}: train step min {res['min_ms']:.1f} / median "
          f"{res['median_ms']:.1f} / max {res['max_ms']:.1f} ms over {a.steps} steps "
          f"(after {a.warmup} warm-up), last loss {losses[-1]:.4f}")
    if a.json:
        print(json.dumps(res))
    return res


if __name__ == "__main__":
    main()
