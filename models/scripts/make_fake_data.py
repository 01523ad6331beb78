#!/usr/bin/env python3
"""Writes random data in the real layouts of Moving MNIST, TaxiBJ, KTH and WeatherBench, at the
real frame sizes, for timing the loaders (`pdr bench data`) and trying `pdr data check` without
the downloads. The values are noise: nothing here is meant for training.

    /usr/bin/python3 models/scripts/make_fake_data.py /tmp/fake    # ~1.2 GB; numpy, Pillow, netCDF4
"""
import gzip
import os
import sys

import numpy as np
from PIL import Image
import netCDF4

root = sys.argv[1] if len(sys.argv) > 1 else "/tmp/fake"
os.makedirs(root, exist_ok=True)
rng = np.random.default_rng(0)

# Moving MNIST: 60,000 training digits (idx3, gzipped) and the full-size test file.
with gzip.open(os.path.join(root, "train-images-idx3-ubyte.gz"), "wb") as f:
    f.write(np.array([0x803, 60000, 28, 28], dtype=">i4").tobytes())
    f.write(rng.integers(0, 256, (60000, 28, 28), dtype=np.uint8).tobytes())
np.save(os.path.join(root, "mnist_test_seq.npy"), rng.integers(0, 256, (20, 10000, 64, 64), dtype=np.uint8))

# TaxiBJ: 2,000 training and 200 test clips (the real file has ~20,000), float64 in [-1, 1].
os.makedirs(os.path.join(root, "taxibj"), exist_ok=True)
x = rng.uniform(-1, 1, (2000, 4, 2, 32, 32))
np.savez(os.path.join(root, "taxibj", "dataset.npz"), X_train=x, Y_train=x, X_test=x[:200], Y_test=x[:200])

# KTH: 100 JPEG frames of 160x120 per sequence, persons 1 and 2 (train) and 17 (test), all actions.
for a in ["boxing", "handclapping", "handwaving", "jogging", "running", "walking"]:
    for p in [1, 2, 17]:
        d = os.path.join(root, "kth", a, f"person{p:02d}_{a}_d1_uncomp")
        os.makedirs(d, exist_ok=True)
        for t in range(1, 101):
            img = Image.fromarray(rng.integers(0, 256, (120, 160), dtype=np.uint8)).convert("RGB")
            img.save(os.path.join(d, f"image_{t:04d}.jpg"), quality=90)

# WeatherBench: 30 hours per year (the real files have 8,760), 32x64, zlib-chunked NetCDF-4.
d = os.path.join(root, "2m_temperature")
os.makedirs(d, exist_ok=True)
lat = np.linspace(-87.1875, 87.1875, 32)[None, :, None]
for y in range(1979, 2019):
    n = 30
    ds = netCDF4.Dataset(os.path.join(d, f"2m_temperature_{y}_5.625deg.nc"), "w", format="NETCDF4")
    ds.createDimension("time", n)
    ds.createDimension("lat", 32)
    ds.createDimension("lon", 64)
    t = ds.createVariable("time", "i8", ("time",))
    t.units = f"hours since {y}-01-01"
    t[:] = np.arange(n)
    v = ds.createVariable("t2m", "f4", ("time", "lat", "lon"), zlib=True, chunksizes=(24, 32, 64))
    v[:] = (258 + 25 * np.cos(np.radians(lat)) + rng.normal(0, 2, (n, 32, 64))).astype("f4")
    ds.close()
print("wrote", root)
