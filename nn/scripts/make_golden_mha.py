#!/usr/bin/python3
"""Golden fixture for org.pdr4j.nn.layers.MultiheadAttention (Debian's python3-torch):
    /usr/bin/python3 nn/scripts/make_golden_mha.py
torch.nn.MultiheadAttention(8, 2, batch_first=True), seed 7; query [2, 3, 8], key and value
[2, 4, 8] from a generator seeded 2024; an additive mask [3, 4] with -inf at (0, 1) and (2, 3);
loss = sum(output * weights) with fixed random weights. Writes
nn/src/test/resources/golden/mha.npz: param/<name> (the state dict), query, key, value, mask,
weights, output, grad/<name> for every parameter, grad/query, grad/key, grad/value.
"""
import os
import numpy as np
import torch

torch.manual_seed(7)
m = torch.nn.MultiheadAttention(8, 2, batch_first=True).eval()
g = torch.Generator().manual_seed(2024)
q = torch.randn(2, 3, 8, generator=g, requires_grad=True)
k = torch.randn(2, 4, 8, generator=g, requires_grad=True)
v = torch.randn(2, 4, 8, generator=g, requires_grad=True)
w = torch.randn(2, 3, 8, generator=g)
mask = torch.zeros(3, 4)
mask[0, 1] = float("-inf")
mask[2, 3] = float("-inf")
out, _ = m(q, k, v, attn_mask=mask, need_weights=False)
(out * w).sum().backward()
arrays = {"param/" + n: p.detach().numpy() for n, p in m.state_dict().items()}
arrays.update(query=q.detach().numpy(), key=k.detach().numpy(), value=v.detach().numpy(), mask=mask.numpy(),
              weights=w.numpy(), output=out.detach().numpy())
arrays.update({"grad/" + n: p.grad.numpy() for n, p in m.named_parameters()})
arrays.update({"grad/query": q.grad.numpy(), "grad/key": k.grad.numpy(), "grad/value": v.grad.numpy()})
path = os.path.join(os.path.dirname(__file__), "..", "src", "test", "resources", "golden", "mha.npz")
np.savez(path, **{n: a.astype(np.float32) for n, a in arrays.items()})
print("wrote", os.path.normpath(path), sorted(arrays))
