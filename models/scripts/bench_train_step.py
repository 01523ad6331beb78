#!/usr/bin/python3
"""PyTorch twin of `pdr bench train-step`: the same TAU / PDR network, shapes, loss and AdamW step.

    /usr/bin/python3 models/scripts/bench_train_step.py --model tau --config digits --steps 3

Debian's python3-torch (1.13, CPU). Prints min/median/max ms per step (forward, backward,
AdamW step) after warm-up, on random frames. The network mirrors models/src/main/java/org/pdr4j/
models/{simvp,pdr} (OpenSTL's SimVP/TAU module tree); the renderer is the paper's own
`base_grid` (Algorithm 1) from ../shared/reference/predgsplat_ref.py.
"""
import argparse, math, os, statistics, sys, time
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "reference"))
from predgsplat_ref import render_base_grid  # noqa: E402

CONFIGS = {  # name: (T, C, H, W, hid_S, hid_T, N_S, N_T, mlp_ratio, drop_path, N, K, pool, batch)
    "micro": (4, 1, 16, 16, 8, 16, 2, 2, 4.0, 0.1, 16, 7, 2, 4),
    "digits": (10, 1, 64, 64, 16, 64, 4, 4, 4.0, 0.0, 256, 15, 4, 16),
    "mmnist": (10, 1, 64, 64, 64, 512, 4, 8, 8.0, 0.1, 256, 15, 4, 16),
}


class ConvSC(nn.Module):
    def __init__(self, cin, cout, k, down=False, up=False):
        super().__init__()
        stride = 2 if down else 1
        pad = (k - stride + 1) // 2
        conv = nn.Sequential(nn.Conv2d(cin, cout * 4, k, 1, pad), nn.PixelShuffle(2)) if up else nn.Conv2d(cin, cout, k, stride, pad)
        self.conv = nn.Sequential(conv, nn.GroupNorm(2, cout), nn.SiLU())

    def forward(self, x):
        return self.conv(x)


def samplings(n, reverse=False):
    s = [False, True] * (n // 2)
    return list(reversed(s[:n])) if reverse else s[:n]


class LKA(nn.Module):
    """Depthwise 5x5, depthwise 7x7 dilation 3, 1x1 (the decomposed 21x21 kernel)."""
    def __init__(self, d, out):
        super().__init__()
        self.conv0 = nn.Conv2d(d, d, 5, padding=2, groups=d)
        self.conv_spatial = nn.Conv2d(d, d, 7, padding=9, groups=d, dilation=3)
        self.conv1 = nn.Conv2d(d, out, 1)

    def forward(self, x):
        return self.conv1(self.conv_spatial(self.conv0(x)))


class TemporalAttention(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.proj_1, self.proj_2 = nn.Conv2d(d, d, 1), nn.Conv2d(d, d, 1)
        self.lka = LKA(d, d)
        r = max(d // 16, 4)
        self.fc = nn.Sequential(nn.Linear(d, d // r, bias=False), nn.ReLU(), nn.Linear(d // r, d, bias=False), nn.Sigmoid())

    def forward(self, x):
        u = F.gelu(self.proj_1(x))
        se = self.fc(u.mean((2, 3)))[:, :, None, None]
        return self.proj_2(se * self.lka(u) * u) + x


class TauBlock(nn.Module):
    def __init__(self, d, mlp_ratio, dp):
        super().__init__()
        h = int(d * mlp_ratio)
        self.norm1, self.norm2 = nn.BatchNorm2d(d), nn.BatchNorm2d(d)
        self.attn = TemporalAttention(d)
        self.mlp = nn.Sequential(nn.Conv2d(d, h, 1), nn.Conv2d(h, h, 3, 1, 1, groups=h), nn.GELU(), nn.Conv2d(h, d, 1))
        self.ls1, self.ls2 = nn.Parameter(1e-2 * torch.ones(d)), nn.Parameter(1e-2 * torch.ones(d))
        self.dp = dp

    def drop(self, x):
        if not self.training or self.dp == 0:
            return x
        keep = (torch.rand(x.shape[0], 1, 1, 1) >= self.dp).float() / (1 - self.dp)
        return x * keep

    def forward(self, x):
        x = x + self.drop(self.ls1[:, None, None] * self.attn(self.norm1(x)))
        return x + self.drop(self.ls2[:, None, None] * self.mlp(self.norm2(x)))


class Tau(nn.Module):
    def __init__(self, T, C, H, W, hs, ht, ns, nt, mlp, dp):
        super().__init__()
        self.enc = nn.ModuleList([ConvSC(C if i == 0 else hs, hs, 3, down=s) for i, s in enumerate(samplings(ns))])
        self.dec = nn.ModuleList([ConvSC(hs, hs, 3, up=s) for s in samplings(ns, True)])
        self.readout = nn.Conv2d(hs, C, 1)
        cin = T * hs
        blocks = []
        for i in range(nt):
            d_in, d_out = (cin if i == 0 else ht), (cin if i == nt - 1 else ht)
            rate = dp if i == nt - 1 else 1e-2 + (dp - 1e-2) * i / (nt - 1)
            blocks.append(TauBlock(d_in, mlp, rate))
            if d_in != d_out:
                blocks.append(nn.Conv2d(d_in, d_out, 1))
        self.hid = nn.Sequential(*blocks)

    def forward(self, x):
        B, T, C, H, W = x.shape
        h = x.reshape(B * T, C, H, W)
        skip = h = self.enc[0](h)
        for m in self.enc[1:]:
            h = m(h)
        _, c, hh, ww = h.shape
        h = self.hid(h.reshape(B, T * c, hh, ww)).reshape(B * T, c, hh, ww)
        for m in self.dec[:-1]:
            h = m(h)
        feats = self.dec[-1](h + skip)
        return self.readout(feats).reshape(B, T, C, H, W), feats


class Pdr(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        T, C, H, W, hs, ht, ns, nt, mlp, dp, N, K, pool, _ = cfg
        self.backbone = Tau(T, C, H, W, hs, ht, ns, nt, mlp, dp)
        self.N, self.K, self.pool, self.C = N, K, pool, C
        f = hs * (H // pool) * (W // pool)
        head = lambda out: nn.Sequential(nn.Linear(f, 256), nn.GELU(), nn.Linear(256, out))
        self.coords, self.scales, self.rotations, self.amplitudes = head(2 * N), head(2 * N), head(N), head(N * C)
        self.fuse = nn.Conv2d(2 * C, C, 1)

    def forward(self, x):
        coarse, feats = self.backbone(x)
        B, T, C, H, W = coarse.shape
        h = F.avg_pool2d(feats, self.pool).flatten(1)
        P = h.shape[0]
        img = render_base_grid(torch.tanh(self.coords(h)).reshape(P, self.N, 2), torch.sigmoid(self.scales(h)).reshape(P, self.N, 2),
                               torch.tanh(self.rotations(h)) * math.pi / 2, torch.sigmoid(self.amplitudes(h)).reshape(P, self.N, C),
                               H, W, self.K)
        y = self.fuse(torch.cat([coarse.reshape(P, C, H, W), img], 1))
        return y.reshape(B, T, C, H, W)


def gaussian_window(size=11, sigma=1.5):
    g = torch.exp(-((torch.arange(size) - size // 2) ** 2) / (2 * sigma ** 2))
    return g / g.sum()


def ssim(x, y):
    B, T, C, H, W = x.shape
    x, y = x.reshape(B * T * C, 1, H, W), y.reshape(B * T * C, 1, H, W)
    g = gaussian_window()
    blur = lambda z: F.conv2d(F.conv2d(z, g.view(1, 1, 1, -1)), g.view(1, 1, -1, 1))
    mx, my = blur(x), blur(y)
    sxx, syy, sxy = blur(x * x) - mx * mx, blur(y * y) - my * my, blur(x * y) - mx * my
    c1, c2 = 0.01 ** 2, 0.03 ** 2
    return (((2 * mx * my + c1) * (2 * sxy + c2)) / ((mx * mx + my * my + c1) * (sxx + syy + c2))).mean()


def diff_div_reg(p, t, tau=0.1, eps=1e-12):
    B, T = p.shape[:2]
    gp = (p[:, 1:] - p[:, :-1]).reshape(B, T - 1, -1)
    gt = (t[:, 1:] - t[:, :-1]).reshape(B, T - 1, -1)
    sp, st = F.softmax(gp / tau, -1), F.softmax(gt / tau, -1)
    return (sp * torch.log(sp / (st + eps) + eps)).mean()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", choices=["tau", "pdr"], default="tau")
    ap.add_argument("--config", choices=sorted(CONFIGS), default="digits")
    ap.add_argument("--batch", type=int)
    ap.add_argument("--steps", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    cfg = CONFIGS[a.config]
    T, C, H, W = cfg[:4]
    B = a.batch or cfg[-1]
    net = Pdr(cfg) if a.model == "pdr" else Tau(*cfg[:10])
    net.train()
    opt = torch.optim.AdamW(net.parameters(), lr=1e-3, weight_decay=1e-2)
    x, y = torch.rand(B, T, C, H, W), torch.rand(B, T, C, H, W)
    times = []
    for i in range(a.warmup + a.steps):
        t0 = time.perf_counter()
        if a.model == "pdr":
            p = net(x)
            loss = 0.5 * (p - y).abs().mean() + 0.5 * (1 - ssim(p, y))
        else:
            p, _ = net(x)
            loss = F.mse_loss(p, y) + 0.1 * diff_div_reg(p, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if i >= a.warmup:
            times.append((time.perf_counter() - t0) * 1e3)
    n = sum(q.numel() for q in net.parameters())
    print(f"torch {a.model} {a.config} batch {B} ({n:,} parameters): train step ms min {min(times):.1f} "
          f"median {statistics.median(times):.1f} max {max(times):.1f} over {a.steps} steps, {a.threads} threads")


if __name__ == "__main__":
    main()
