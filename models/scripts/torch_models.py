#!/usr/bin/python3
"""PyTorch reference models for pdr4j: SimVP (IncepU), SimVPv2 (gSTA), TAU and PDR (TAU + PredGS).

The module tree and parameter names follow OpenSTL (openstl/models/simvp_model.py and
openstl/modules/simvp_modules.py), so that a state dict of these models, of OpenSTL's, and of
pdr4j's Java models (org.pdr4j.models.simvp, org.pdr4j.models.pdr) use the same keys. Written for
Debian's python3-torch (torch 1.13); no timm, no OpenSTL import.

OpenSTL behaviours kept on purpose (the Java models mirror them):
  * MidMetaNet's drop-path rates are linspace(1e-2, drop_path, N_T) for all blocks but the last,
    which uses drop_path itself: with drop_path = 0 the first block still drops with p = 0.01.
  * TemporalAttentionModule: reduction = max(dim // 16, 4) and the SE hidden width is
    dim // reduction (so 16 for dim >= 64, not dim / 16).
  * TAUSubBlock builds a GASubBlock (whose init touches a SpatialAttention) and then replaces
    'attn' by a TemporalAttention that keeps PyTorch's default init.
  * GroupConv2d falls back to groups = 1 (conv and GroupNorm) when in_channels % groups != 0.

PDR (our reading of the paper, /work/shared/DESIGN.md; the Java org.pdr4j.models.pdr.Pdr):
  backbone = SimVP_Model(model_type='tau'); features = the decoder's last ConvSC output (the input
  of readout) [B*T, hid_S, H, W]; PredGS: avg_pool2d(features, pool) -> flatten(1) (channel-major)
  -> four heads Sequential(Linear(F, hidden), GELU, Linear(hidden, out)): coords 2N (tanh),
  scales 2N (sigmoid), rotations N (tanh * pi/2), amplitudes N*C (sigmoid); reshaped [P,N,2],
  [P,N,2], [P,N], [P,N,C]. predgsplat renders [P, C, H, W]; fuse = Conv2d(2C, C, 1) on
  cat([coarse, rendering], 1). The output is the fused prediction.

Usage: `from torch_models import build; model = build("tau", "mmnist")`.
"""

import math

import torch
import torch.nn as nn
import torch.nn.functional as F

# ---------------------------------------------------------------- configs

# Named configs. Keys as OpenSTL names them; 'gauss' = (N, K, pool) for PDR, 'predgs_hidden' the
# PredGS MLP width. 'digits', 'micro', 'mmnist', 'taxibj', 'weatherbench', 'kth', 'human' mirror
# org.pdr4j.models.config.Configs; 'tiny' and 'digits-small' are the benchmark/test sizes of the
# torchref task.
CONFIGS = {
    "mmnist": dict(in_shape=(10, 1, 64, 64), hid_S=64, hid_T=512, N_S=4, N_T=8, mlp_ratio=8.0,
                   drop_path=0.0, gauss=(256, 15, 4), predgs_hidden=256, batch=16, lr=1e-3),
    "digits-small": dict(in_shape=(10, 1, 64, 64), hid_S=32, hid_T=128, N_S=2, N_T=4, mlp_ratio=8.0,
                         drop_path=0.0, gauss=(256, 15, 4), predgs_hidden=256, batch=16, lr=1e-3),
    "tiny": dict(in_shape=(10, 1, 64, 64), hid_S=16, hid_T=64, N_S=2, N_T=2, mlp_ratio=8.0,
                 drop_path=0.0, gauss=(256, 15, 4), predgs_hidden=256, batch=16, lr=1e-3),
    "digits": dict(in_shape=(10, 1, 64, 64), hid_S=16, hid_T=64, N_S=4, N_T=4, mlp_ratio=4.0,
                   drop_path=0.0, gauss=(256, 15, 4), predgs_hidden=256, batch=16, lr=2e-3),
    "micro": dict(in_shape=(4, 1, 16, 16), hid_S=8, hid_T=16, N_S=2, N_T=2, mlp_ratio=4.0,
                  drop_path=0.0, gauss=(16, 7, 2), predgs_hidden=256, batch=4, lr=2e-3),
    "taxibj": dict(in_shape=(4, 2, 32, 32), hid_S=32, hid_T=256, N_S=2, N_T=8, mlp_ratio=8.0,
                   drop_path=0.0, gauss=(300, 15, 2), predgs_hidden=256, batch=16, lr=1e-3),
    "weatherbench": dict(in_shape=(12, 1, 32, 64), hid_S=32, hid_T=256, N_S=2, N_T=8, mlp_ratio=8.0,
                         drop_path=0.0, gauss=(300, 15, 2), predgs_hidden=256, batch=16, lr=1e-3),
    "kth": dict(in_shape=(10, 1, 128, 128), hid_S=64, hid_T=256, N_S=2, N_T=6, mlp_ratio=8.0,
                drop_path=0.0, gauss=(400, 51, 8), predgs_hidden=256, batch=16, lr=1e-3),
    "human": dict(in_shape=(4, 3, 256, 256), hid_S=64, hid_T=512, N_S=4, N_T=6, mlp_ratio=8.0,
                  drop_path=0.0, gauss=(400, 51, 16), predgs_hidden=256, batch=16, lr=1e-3),
}

# OpenSTL model_type per model name; pdr's backbone is TAU.
MODEL_TYPES = {"simvp": "incepu", "gsta": "gsta", "tau": "tau", "pdr": "tau"}


def build(model, config, **overrides):
    """The model called `model` (simvp, gsta, tau, pdr) at the named config (or a config dict);
    overrides replace config entries (and 'renderer': 'scatter' or 'base_grid' for pdr)."""
    if model not in MODEL_TYPES:
        raise ValueError(f"unknown model '{model}' (known: {', '.join(MODEL_TYPES)})")
    cfg = dict(CONFIGS[config]) if isinstance(config, str) else dict(config)
    cfg.update(overrides)
    kw = dict(in_shape=tuple(cfg["in_shape"]), hid_S=cfg["hid_S"], hid_T=cfg["hid_T"], N_S=cfg["N_S"],
              N_T=cfg["N_T"], model_type=MODEL_TYPES[model], mlp_ratio=cfg["mlp_ratio"],
              drop_path=cfg["drop_path"])
    if model == "pdr":
        n, k, pool = cfg["gauss"]
        return PDR_Model(n_gauss=n, kernel=k, pool=pool, predgs_hidden=cfg["predgs_hidden"],
                         renderer=cfg.get("renderer", "scatter"), **kw)
    return SimVP_Model(**kw)


# ---------------------------------------------------------------- small pieces

def _trunc_normal(w, std=0.02):
    # timm's trunc_normal_ cuts at absolute +-2, as torch's does
    nn.init.trunc_normal_(w, std=std, a=-2.0, b=2.0)


def _translator_init(m):
    """OpenSTL's _init_weights of the translator blocks."""
    if isinstance(m, nn.Linear):
        _trunc_normal(m.weight)
        if m.bias is not None:
            nn.init.zeros_(m.bias)
    elif isinstance(m, nn.LayerNorm):
        nn.init.zeros_(m.bias)
        nn.init.ones_(m.weight)
    elif isinstance(m, nn.Conv2d):
        fan_out = m.kernel_size[0] * m.kernel_size[1] * m.out_channels // m.groups
        m.weight.data.normal_(0, math.sqrt(2.0 / fan_out))
        if m.bias is not None:
            m.bias.data.zero_()


class DropPath(nn.Module):
    """Stochastic depth per sample (timm's DropPath): keeps a sample with 1 - p, scaled by 1/(1-p)."""

    def __init__(self, drop_prob=0.0):
        super().__init__()
        self.drop_prob = drop_prob

    def forward(self, x):
        if self.drop_prob == 0.0 or not self.training:
            return x
        keep = 1.0 - self.drop_prob
        mask = x.new_empty((x.shape[0],) + (1,) * (x.dim() - 1)).bernoulli_(keep)
        return x * mask / keep


# ---------------------------------------------------------------- encoder / decoder

class BasicConv2d(nn.Module):
    def __init__(self, in_channels, out_channels, kernel_size=3, stride=1, padding=0, dilation=1,
                 upsampling=False, act_norm=False):
        super().__init__()
        self.act_norm = act_norm
        if upsampling:
            # sub-pixel upsampling: 4x channels, then PixelShuffle(2)
            self.conv = nn.Sequential(
                nn.Conv2d(in_channels, out_channels * 4, kernel_size, 1, padding, dilation),
                nn.PixelShuffle(2))
        else:
            self.conv = nn.Conv2d(in_channels, out_channels, kernel_size, stride, padding, dilation)
        self.norm = nn.GroupNorm(2, out_channels)
        self.act = nn.SiLU()
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                _trunc_normal(m.weight)
                nn.init.zeros_(m.bias)

    def forward(self, x):
        y = self.conv(x)
        return self.act(self.norm(y)) if self.act_norm else y


class ConvSC(nn.Module):
    def __init__(self, C_in, C_out, kernel_size=3, downsampling=False, upsampling=False, act_norm=True):
        super().__init__()
        stride = 2 if downsampling else 1
        padding = (kernel_size - stride + 1) // 2
        self.conv = BasicConv2d(C_in, C_out, kernel_size, stride, padding, upsampling=upsampling,
                                act_norm=act_norm)

    def forward(self, x):
        return self.conv(x)


def sampling_generator(N, reverse=False):
    s = ([False, True] * (N // 2))[:N]
    return list(reversed(s)) if reverse else s


class Encoder(nn.Module):
    def __init__(self, C_in, C_hid, N_S, spatio_kernel):
        super().__init__()
        s = sampling_generator(N_S)
        self.enc = nn.Sequential(
            ConvSC(C_in, C_hid, spatio_kernel, downsampling=s[0]),
            *[ConvSC(C_hid, C_hid, spatio_kernel, downsampling=d) for d in s[1:]])

    def forward(self, x):
        enc1 = self.enc[0](x)
        latent = enc1
        for layer in list(self.enc)[1:]:
            latent = layer(latent)
        return latent, enc1


class Decoder(nn.Module):
    def __init__(self, C_hid, C_out, N_S, spatio_kernel):
        super().__init__()
        s = sampling_generator(N_S, reverse=True)
        self.dec = nn.Sequential(*[ConvSC(C_hid, C_hid, spatio_kernel, upsampling=u) for u in s])
        self.readout = nn.Conv2d(C_hid, C_out, 1)

    def features(self, hid, enc1):
        """The input of readout: [N, C_hid, H, W]."""
        for layer in list(self.dec)[:-1]:
            hid = layer(hid)
        return self.dec[-1](hid + enc1)

    def forward(self, hid, enc1):
        return self.readout(self.features(hid, enc1))


# ---------------------------------------------------------------- IncepU translator (SimVP v1)

class GroupConv2d(nn.Module):
    def __init__(self, in_channels, out_channels, kernel_size=3, stride=1, padding=0, groups=1,
                 act_norm=False):
        super().__init__()
        self.act_norm = act_norm
        if in_channels % groups != 0:
            groups = 1
        self.conv = nn.Conv2d(in_channels, out_channels, kernel_size, stride, padding, groups=groups)
        self.norm = nn.GroupNorm(groups, out_channels)
        self.activate = nn.LeakyReLU(0.2)

    def forward(self, x):
        y = self.conv(x)
        return self.activate(self.norm(y)) if self.act_norm else y


class gInception_ST(nn.Module):
    """1x1 conv to C_hid, then the sum of grouped convs of kernels incep_ker."""

    def __init__(self, C_in, C_hid, C_out, incep_ker=(3, 5, 7, 11), groups=8):
        super().__init__()
        self.conv1 = nn.Conv2d(C_in, C_hid, 1)
        self.layers = nn.Sequential(*[GroupConv2d(C_hid, C_out, k, 1, k // 2, groups, act_norm=True)
                                      for k in incep_ker])

    def forward(self, x):
        x = self.conv1(x)
        y = 0
        for layer in self.layers:
            y = y + layer(x)
        return y


class MidIncepNet(nn.Module):
    """U-Net of gInception_ST blocks: N2 down, N2 up, decoder inputs concatenated with skips."""

    def __init__(self, channel_in, channel_hid, N2, incep_ker=(3, 5, 7, 11), groups=8):
        super().__init__()
        assert N2 >= 2
        self.N2 = N2
        h = channel_hid
        enc = [gInception_ST(channel_in, h // 2, h, incep_ker, groups)]
        enc += [gInception_ST(h, h // 2, h, incep_ker, groups) for _ in range(1, N2)]
        dec = [gInception_ST(h, h // 2, h, incep_ker, groups)]
        dec += [gInception_ST(2 * h, h // 2, h, incep_ker, groups) for _ in range(1, N2 - 1)]
        dec.append(gInception_ST(2 * h, h // 2, channel_in, incep_ker, groups))
        self.enc = nn.Sequential(*enc)
        self.dec = nn.Sequential(*dec)

    def forward(self, x):
        B, T, C, H, W = x.shape
        z = x.reshape(B, T * C, H, W)
        skips = []
        for i in range(self.N2):
            z = self.enc[i](z)
            if i < self.N2 - 1:
                skips.append(z)
        z = self.dec[0](z)
        for i in range(1, self.N2):
            z = self.dec[i](torch.cat([z, skips[-i]], dim=1))
        return z.reshape(B, T, C, H, W)


# ---------------------------------------------------------------- gSTA / TAU translator

def _lka_sizes(kernel_size, dilation):
    d_k = 2 * dilation - 1
    d_p = (d_k - 1) // 2
    dd_k = kernel_size // dilation + ((kernel_size // dilation) % 2 - 1)
    dd_p = dilation * (dd_k - 1) // 2
    return d_k, d_p, dd_k, dd_p  # 21, 3 -> 5, 2, 7, 9


class AttentionModule(nn.Module):
    """Large-kernel attention: dw 5x5, dw 7x7 dilation 3, 1x1 to 2*dim; sigmoid(g) * f."""

    def __init__(self, dim, kernel_size, dilation=3):
        super().__init__()
        d_k, d_p, dd_k, dd_p = _lka_sizes(kernel_size, dilation)
        self.conv0 = nn.Conv2d(dim, dim, d_k, padding=d_p, groups=dim)
        self.conv_spatial = nn.Conv2d(dim, dim, dd_k, padding=dd_p, groups=dim, dilation=dilation)
        self.conv1 = nn.Conv2d(dim, 2 * dim, 1)

    def forward(self, x):
        fg = self.conv1(self.conv_spatial(self.conv0(x)))
        f, g = torch.split(fg, fg.shape[1] // 2, dim=1)
        return torch.sigmoid(g) * f


class TemporalAttentionModule(nn.Module):
    """LKA without the gate split, times a squeeze-excitation of the input, times the input."""

    def __init__(self, dim, kernel_size, dilation=3, reduction=16):
        super().__init__()
        d_k, d_p, dd_k, dd_p = _lka_sizes(kernel_size, dilation)
        self.conv0 = nn.Conv2d(dim, dim, d_k, padding=d_p, groups=dim)
        self.conv_spatial = nn.Conv2d(dim, dim, dd_k, padding=dd_p, groups=dim, dilation=dilation)
        self.conv1 = nn.Conv2d(dim, dim, 1)
        self.reduction = max(dim // reduction, 4)  # OpenSTL: the hidden width is dim // this
        self.avg_pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Sequential(
            nn.Linear(dim, dim // self.reduction, bias=False),
            nn.ReLU(),
            nn.Linear(dim // self.reduction, dim, bias=False),
            nn.Sigmoid())

    def forward(self, x):
        f = self.conv1(self.conv_spatial(self.conv0(x)))
        b, c = x.shape[:2]
        se = self.fc(self.avg_pool(x).view(b, c)).view(b, c, 1, 1)
        return se * f * x


class SpatialAttention(nn.Module):
    """proj_1, GELU, gating unit, proj_2, plus the input."""

    def __init__(self, d_model, kernel_size=21, attn_shortcut=True):
        super().__init__()
        self.proj_1 = nn.Conv2d(d_model, d_model, 1)
        self.activation = nn.GELU()
        self.spatial_gating_unit = self._unit(d_model, kernel_size)
        self.proj_2 = nn.Conv2d(d_model, d_model, 1)
        self.attn_shortcut = attn_shortcut

    @staticmethod
    def _unit(d_model, kernel_size):
        return AttentionModule(d_model, kernel_size)

    def forward(self, x):
        y = self.proj_2(self.spatial_gating_unit(self.activation(self.proj_1(x))))
        return y + x if self.attn_shortcut else y


class TemporalAttention(SpatialAttention):
    @staticmethod
    def _unit(d_model, kernel_size):
        return TemporalAttentionModule(d_model, kernel_size)


class DWConv(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.dwconv = nn.Conv2d(dim, dim, 3, 1, 1, groups=dim)

    def forward(self, x):
        return self.dwconv(x)


class MixMlp(nn.Module):
    def __init__(self, in_features, hidden_features, drop=0.0):
        super().__init__()
        self.fc1 = nn.Conv2d(in_features, hidden_features, 1)
        self.dwconv = DWConv(hidden_features)
        self.act = nn.GELU()
        self.fc2 = nn.Conv2d(hidden_features, in_features, 1)
        self.drop = nn.Dropout(drop)
        self.apply(_translator_init)

    def forward(self, x):
        x = self.drop(self.act(self.dwconv(self.fc1(x))))
        return self.drop(self.fc2(x))


class GASubBlock(nn.Module):
    """gSTA block: x + ls1 * attn(bn1(x)); x + ls2 * mlp(bn2(x)) (with drop-path)."""

    def __init__(self, dim, kernel_size=21, mlp_ratio=4.0, drop=0.0, drop_path=0.1, init_value=1e-2):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(dim)
        self.attn = SpatialAttention(dim, kernel_size)
        self.drop_path = DropPath(drop_path)
        self.norm2 = nn.BatchNorm2d(dim)
        self.mlp = MixMlp(dim, int(dim * mlp_ratio), drop)
        self.layer_scale_1 = nn.Parameter(init_value * torch.ones(dim))
        self.layer_scale_2 = nn.Parameter(init_value * torch.ones(dim))
        self.apply(_translator_init)

    def forward(self, x):
        x = x + self.drop_path(self.layer_scale_1[:, None, None] * self.attn(self.norm1(x)))
        x = x + self.drop_path(self.layer_scale_2[:, None, None] * self.mlp(self.norm2(x)))
        return x


class TAUSubBlock(GASubBlock):
    def __init__(self, dim, kernel_size=21, mlp_ratio=4.0, drop=0.0, drop_path=0.1, init_value=1e-2):
        super().__init__(dim, kernel_size, mlp_ratio, drop, drop_path, init_value)
        self.attn = TemporalAttention(dim, kernel_size)  # default init, as OpenSTL


class MetaBlock(nn.Module):
    def __init__(self, in_channels, out_channels, model_type="gsta", mlp_ratio=8.0, drop=0.0,
                 drop_path=0.0):
        super().__init__()
        self.in_channels, self.out_channels = in_channels, out_channels
        sub = {"gsta": GASubBlock, "tau": TAUSubBlock}[model_type]
        self.block = sub(in_channels, kernel_size=21, mlp_ratio=mlp_ratio, drop=drop, drop_path=drop_path)
        if in_channels != out_channels:
            self.reduction = nn.Conv2d(in_channels, out_channels, 1)

    def forward(self, x):
        z = self.block(x)
        return z if self.in_channels == self.out_channels else self.reduction(z)


class MidMetaNet(nn.Module):
    def __init__(self, channel_in, channel_hid, N2, model_type="gsta", mlp_ratio=4.0, drop=0.0,
                 drop_path=0.1):
        super().__init__()
        assert N2 >= 2 and mlp_ratio > 1
        self.N2 = N2
        dpr = [x.item() for x in torch.linspace(1e-2, drop_path, N2)]
        layers = [MetaBlock(channel_in, channel_hid, model_type, mlp_ratio, drop, dpr[0])]
        layers += [MetaBlock(channel_hid, channel_hid, model_type, mlp_ratio, drop, dpr[i])
                   for i in range(1, N2 - 1)]
        layers.append(MetaBlock(channel_hid, channel_in, model_type, mlp_ratio, drop, drop_path))
        self.enc = nn.Sequential(*layers)

    def forward(self, x):
        B, T, C, H, W = x.shape
        return self.enc(x.reshape(B, T * C, H, W)).reshape(B, T, C, H, W)


# ---------------------------------------------------------------- SimVP_Model

class SimVP_Model(nn.Module):
    """x [B, T, C, H, W] -> prediction [B, T, C, H, W]."""

    def __init__(self, in_shape, hid_S=16, hid_T=256, N_S=4, N_T=4, model_type="gsta", mlp_ratio=8.0,
                 drop=0.0, drop_path=0.0, spatio_kernel_enc=3, spatio_kernel_dec=3):
        super().__init__()
        T, C, H, W = in_shape
        self.in_shape = tuple(in_shape)
        self.enc = Encoder(C, hid_S, N_S, spatio_kernel_enc)
        self.dec = Decoder(hid_S, C, N_S, spatio_kernel_dec)
        model_type = model_type.lower()
        if model_type == "incepu":
            self.hid = MidIncepNet(T * hid_S, hid_T, N_T)
        else:
            self.hid = MidMetaNet(T * hid_S, hid_T, N_T, model_type, mlp_ratio, drop, drop_path)

    def forward_with_features(self, x_raw):
        """(prediction [B, T, C, H, W], decoder features [B*T, hid_S, H, W])."""
        B, T, C, H, W = x_raw.shape
        embed, skip = self.enc(x_raw.reshape(B * T, C, H, W))
        _, C_, H_, W_ = embed.shape
        hid = self.hid(embed.view(B, T, C_, H_, W_)).reshape(B * T, C_, H_, W_)
        feats = self.dec.features(hid, skip)
        return self.dec.readout(feats).reshape(B, T, C, H, W), feats

    def forward(self, x_raw):
        return self.forward_with_features(x_raw)[0]


# ---------------------------------------------------------------- predgsplat renderer

EPS = 1e-6


def gaussian_kernels(scale, rotation, K):
    """Peak-normalised Gaussians on a KxK grid spanning [-5, 5]: [P, N, K, K] (row = y)."""
    ax = torch.linspace(-5.0, 5.0, K, dtype=scale.dtype)
    gy, gx = torch.meshgrid(ax, ax, indexing="ij")
    c = torch.cos(rotation)[..., None, None]
    s = torch.sin(rotation)[..., None, None]
    u = c * gx + s * gy  # R(theta)^T g
    v = -s * gx + c * gy
    s1 = scale[..., 0].clamp_min(EPS)[..., None, None]
    s2 = scale[..., 1].clamp_min(EPS)[..., None, None]
    return torch.exp(-0.5 * ((u / s1) ** 2 + (v / s2) ** 2))


def render_base_grid(coords, scale, rotation, amplitudes, H, W, K):
    """Algorithm 1 literally (the definition): pad each patch into the frame, grid_sample at
    base_grid + coords, sum over Gaussians. Materialises [P*N, C, H, W]: for tests only."""
    P, N, C = amplitudes.shape
    k = gaussian_kernels(scale, rotation, K)
    patch = (k[:, :, None] * amplitudes[..., None, None]).reshape(P * N, C, K, K)
    pw, ph = W - K, H - K
    padded = F.pad(patch, (pw // 2, pw - pw // 2, ph // 2, ph - ph // 2))
    xs = (2 * torch.arange(W, dtype=coords.dtype) + 1) / W - 1
    ys = (2 * torch.arange(H, dtype=coords.dtype) + 1) / H - 1
    gy, gx = torch.meshgrid(ys, xs, indexing="ij")
    grid = torch.stack([gx, gy], -1)[None] + coords.reshape(P * N, 1, 1, 2)
    out = F.grid_sample(padded, grid, mode="bilinear", padding_mode="zeros", align_corners=False)
    return out.reshape(P, N, C, H, W).sum(1)


def render_scatter(coords, scale, rotation, amplitudes, H, W, K):
    """The same image in O(P*N*C*(K+1)^2): each Gaussian's patch, shifted by -coords*(W/2, H/2)
    pixels with one pair of bilinear weights, scatter-added onto its (K+1)x(K+1) footprint
    (render_direct of predgsplat_ref.py, vectorised). Differentiable in all four inputs."""
    P, N, C = amplitudes.shape
    k = gaussian_kernels(scale, rotation, K)
    dx = coords[..., 0] * (W / 2)
    dy = coords[..., 1] * (H / 2)
    fx, fy = torch.floor(dx).detach(), torch.floor(dy).detach()
    wx, wy = (dx - fx)[..., None, None], (dy - fy)[..., None, None]
    kp = F.pad(k, (1, 1, 1, 1))
    a, b = kp[..., :-1, :-1], kp[..., :-1, 1:]
    c, d = kp[..., 1:, :-1], kp[..., 1:, 1:]
    shifted = (1 - wy) * ((1 - wx) * a + wx * b) + wy * ((1 - wx) * c + wx * d)  # [P,N,K+1,K+1]
    r = torch.arange(K + 1)
    x = ((W - K) // 2 - fx.long() - 1)[..., None] + r  # [P,N,K+1] footprint columns
    y = ((H - K) // 2 - fy.long() - 1)[..., None] + r
    inside = ((y >= 0) & (y < H))[..., :, None] & ((x >= 0) & (x < W))[..., None, :]
    idx = y.clamp(0, H - 1)[..., :, None] * W + x.clamp(0, W - 1)[..., None, :]
    src = amplitudes.permute(0, 2, 1)[..., None, None] * (shifted * inside)[:, None]  # [P,C,N,K+1,K+1]
    idx = idx.reshape(P, 1, -1).expand(P, C, -1)
    out = torch.zeros(P, C, H * W, dtype=amplitudes.dtype)
    out = out.scatter_add(2, idx, src.reshape(P, C, -1))
    return out.reshape(P, C, H, W)


RENDERERS = {"base_grid": render_base_grid, "scatter": render_scatter}


# ---------------------------------------------------------------- PDR

def grid_bias(n):
    """atanh of a uniform grid: ceil(sqrt n) cells per side, centre ((i + 0.5) / side) * 2 - 1;
    Gaussian g at column g % side, row g // side; x then y: [2n]."""
    side = math.ceil(math.sqrt(n))
    g = torch.arange(n, dtype=torch.float64)
    x = ((g % side) + 0.5) / side * 2 - 1
    y = (torch.div(g, side, rounding_mode="floor") + 0.5) / side * 2 - 1
    return torch.atanh(torch.stack([x, y], 1).reshape(-1)).float()


class PredGS(nn.Module):
    """Decoder features [P, Cf, Hf, Wf] -> Gaussians -> rendering [P, C, H, W]."""

    def __init__(self, feat_shape, out_shape, n_gauss, kernel, pool, hidden=256, renderer="scatter"):
        super().__init__()
        cf, hf, wf = feat_shape
        self.C, self.H, self.W = out_shape
        if hf % pool or wf % pool:
            raise ValueError(f"pool {pool} does not divide the feature map {hf}x{wf}")
        if kernel > self.H or kernel > self.W:
            raise ValueError(f"kernel {kernel} is larger than the frame {self.H}x{self.W}")
        self.N, self.K, self.pool, self.renderer = n_gauss, kernel, pool, renderer
        f = cf * (hf // pool) * (wf // pool)
        head = lambda out: nn.Sequential(nn.Linear(f, hidden), nn.GELU(), nn.Linear(hidden, out))
        self.coords = head(2 * n_gauss)
        self.scales = head(2 * n_gauss)
        self.rotations = head(n_gauss)
        self.amplitudes = head(n_gauss * self.C)
        for m in self.modules():
            if isinstance(m, nn.Linear):
                _trunc_normal(m.weight)
                nn.init.zeros_(m.bias)
        with torch.no_grad():
            self.coords[2].weight.zero_()
            self.coords[2].bias.copy_(grid_bias(n_gauss))

    def gaussians(self, feats):
        """(coords [P,N,2], scale [P,N,2], rotation [P,N], amplitudes [P,N,C])."""
        h = F.avg_pool2d(feats, self.pool) if self.pool > 1 else feats
        p, n = h.shape[0], self.N
        h = h.flatten(1)
        coords = torch.tanh(self.coords(h)).reshape(p, n, 2)
        scale = torch.sigmoid(self.scales(h)).reshape(p, n, 2)
        rotation = torch.tanh(self.rotations(h)) * (math.pi / 2)
        amplitudes = torch.sigmoid(self.amplitudes(h)).reshape(p, n, self.C)
        return coords, scale, rotation, amplitudes

    def forward(self, feats):
        g = self.gaussians(feats)
        return RENDERERS[self.renderer](*g, self.H, self.W, self.K)


class PDR_Model(nn.Module):
    """TAU backbone + PredGS on its decoder features, fused by a 1x1 conv."""

    def __init__(self, in_shape, n_gauss=256, kernel=15, pool=4, predgs_hidden=256, renderer="scatter",
                 **backbone_kw):
        super().__init__()
        T, C, H, W = in_shape
        self.backbone = SimVP_Model(in_shape, **backbone_kw)
        hid_S = self.backbone.dec.readout.in_channels
        self.predgs = PredGS((hid_S, H, W), (C, H, W), n_gauss, kernel, pool, predgs_hidden, renderer)
        self.fuse = nn.Conv2d(2 * C, C, 1)  # PyTorch's default init

    def forward_all(self, x):
        """dict of prediction, coarse, rendering (each [B, T, C, H, W]) and the Gaussians
        (coords, scale, rotation, amplitudes; P = B*T frames)."""
        coarse, feats = self.backbone.forward_with_features(x)
        B, T, C, H, W = coarse.shape
        g = self.predgs.gaussians(feats)
        img = RENDERERS[self.predgs.renderer](*g, H, W, self.predgs.K)
        y = self.fuse(torch.cat([coarse.reshape(B * T, C, H, W), img], 1))
        return dict(prediction=y.reshape(B, T, C, H, W), coarse=coarse,
                    rendering=img.reshape(B, T, C, H, W), coords=g[0], scale=g[1], rotation=g[2],
                    amplitudes=g[3])

    def forward(self, x):
        return self.forward_all(x)["prediction"]


# ---------------------------------------------------------------- losses

def diff_div_reg(pred, target, tau=0.1, eps=1e-12):
    """TAU's differential divergence regulariser on [B, T, ...]."""
    B, T = pred.shape[:2]
    if T <= 2:
        return pred.new_zeros(())
    gp = (pred[:, 1:] - pred[:, :-1]).reshape(B, T - 1, -1)
    gt = (target[:, 1:] - target[:, :-1]).reshape(B, T - 1, -1)
    p = F.softmax(gp / tau, -1)
    q = F.softmax(gt / tau, -1)
    return (p * torch.log(p / (q + eps) + eps)).mean()


def ssim(x, y):
    """Mean SSIM: 11x11 Gaussian window (sigma 1.5) per channel, valid windows, data range 1."""
    if x.dim() == 5:
        x, y = x.reshape(-1, *x.shape[2:]), y.reshape(-1, *y.shape[2:])
    c = x.shape[1]
    r = torch.arange(11, dtype=x.dtype) - 5
    g = torch.exp(-(r ** 2) / (2 * 1.5 ** 2))
    g = g / g.sum()
    win = (g[:, None] * g[None, :]).expand(c, 1, 11, 11).contiguous()
    blur = lambda t: F.conv2d(t, win, groups=c)
    mx, my = blur(x), blur(y)
    sxx, syy, sxy = blur(x * x) - mx * mx, blur(y * y) - my * my, blur(x * y) - mx * my
    c1, c2 = 0.01 ** 2, 0.03 ** 2
    return (((2 * mx * my + c1) * (2 * sxy + c2)) / ((mx * mx + my * my + c1) * (sxx + syy + c2))).mean()


def loss_for(model):
    """The training loss paired with each model (as org.pdr4j.models.config.ModelConfig.defaultLoss)."""
    if model == "pdr":
        return lambda p, t: 0.5 * (p - t).abs().mean() + 0.5 * (1 - ssim(p, t))
    if model == "tau":
        return lambda p, t: F.mse_loss(p, t) + 0.1 * diff_div_reg(p, t)
    return F.mse_loss
