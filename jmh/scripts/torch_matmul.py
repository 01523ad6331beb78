#!/usr/bin/python3
"""Reference SGEMM throughput: torch.matmul on float32 square matrices.

Run with Debian's interpreter (python3-torch): /usr/bin/python3 jmh/scripts/torch_matmul.py [sizes...]
Prints GFLOP/s (2*n^3 / median time) for 1 and 2 intra-op threads, comparable with SgemmBench.

Debian's torch does its CPU matmul through whatever libblas.so.3 the system selects; with only
the reference BLAS installed that is ~5 GFLOP/s, which is no benchmark. For a real baseline use
OpenBLAS's OpenMP build (it obeys torch.set_num_threads), e.g. without touching the system:
    apt-get download libopenblas0-openmp && dpkg-deb -x libopenblas0-openmp_*.deb /tmp/oblas
    LD_LIBRARY_PATH=/tmp/oblas/usr/lib/x86_64-linux-gnu/openblas-openmp /usr/bin/python3 jmh/scripts/torch_matmul.py
"""
import statistics
import sys
import time

import torch


def bench(n, reps):
    a = torch.randn(n, n, dtype=torch.float32)
    b = torch.randn(n, n, dtype=torch.float32)
    c = torch.empty(n, n, dtype=torch.float32)
    # Warm up: first calls pay for page faults, packing-buffer allocation and thread start-up.
    for _ in range(3):
        torch.matmul(a, b, out=c)
    inner = max(1, int(2e9 / (2.0 * n ** 3)))  # ~2 GFLOP per timed sample, so small sizes time well
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        for _ in range(inner):
            torch.matmul(a, b, out=c)
        times.append((time.perf_counter() - t0) / inner)
    med = statistics.median(times)
    return 2.0 * n ** 3 / med / 1e9


def main():
    sizes = [int(s) for s in sys.argv[1:]] or [256, 512, 1024]
    print(f"torch {torch.__version__}")
    for threads in (1, 2):
        torch.set_num_threads(threads)
        for n in sizes:
            g = bench(n, reps=11)
            print(f"torch.matmul n={n:5d} threads={threads}: {g:7.1f} GFLOP/s (median of 11)")


if __name__ == "__main__":
    main()
