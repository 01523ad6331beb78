#!/usr/bin/python3
"""Reference timings of the model's convolution shapes in PyTorch, to set against ConvBench.

Run with Debian's interpreter (python3-torch, whose convolutions go through oneDNN):
    /usr/bin/python3 jmh/scripts/conv_torch_bench.py [threads]

Same shapes and modes as org.pdr4j.jmh.ConvBench (float32, batch 16):
  conv3x3     x [16, 64, 32, 32],  w [64, 64, 3, 3],  padding 1, bias
  conv1x1     x [16, 640, 16, 16], w [512, 640, 1, 1], bias
  dw7x7d3     x [16, 512, 16, 16], w [512, 1, 7, 7],   padding 9, dilation 3, groups 512, bias
  enc16x64    x [160, 16, 64, 64], w [16, 16, 3, 3],   padding 1, bias (SimVP encoder, digits config)
  enc16to64x32 x [160, 16, 32, 32], w [64, 16, 3, 3],  padding 1, bias (decoder before PixelShuffle)
'forward' runs under no_grad; 'forwardBackward' runs the forward with x, w and b requiring
gradients, then backward from a fixed upstream gradient (dx, dw, db). Prints the median and
min milliseconds per call over several samples, with torch.set_num_threads(threads) (default 2).
"""
import statistics
import sys
import time

import torch
import torch.nn.functional as F

SHAPES = {
    "conv3x3": dict(x=(16, 64, 32, 32), w=(64, 64, 3, 3), padding=1, dilation=1, groups=1),
    "conv1x1": dict(x=(16, 640, 16, 16), w=(512, 640, 1, 1), padding=0, dilation=1, groups=1),
    "dw7x7d3": dict(x=(16, 512, 16, 16), w=(512, 1, 7, 7), padding=9, dilation=3, groups=512),
    "enc16x64": dict(x=(160, 16, 64, 64), w=(16, 16, 3, 3), padding=1, dilation=1, groups=1),
    "enc16to64x32": dict(x=(160, 16, 32, 32), w=(64, 16, 3, 3), padding=1, dilation=1, groups=1),
}


def timed(fn, reps=10, warm=3):
    for _ in range(warm):
        fn()
    out = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(out), min(out)


def main():
    threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    print("torch %s, %d threads, mkldnn %s" % (torch.__version__, threads, torch.backends.mkldnn.is_available()))
    for name, s in SHAPES.items():
        x = torch.randn(*s["x"])
        w = torch.randn(*s["w"]) * 0.05
        b = torch.randn(s["w"][0])
        kw = dict(padding=s["padding"], dilation=s["dilation"], groups=s["groups"])

        def fwd():
            with torch.no_grad():
                return F.conv2d(x, w, b, **kw)

        xg, wg, bg = x.clone().requires_grad_(), w.clone().requires_grad_(), b.clone().requires_grad_()
        g = torch.randn_like(fwd())

        def fwd_bwd():
            xg.grad = wg.grad = bg.grad = None
            F.conv2d(xg, wg, bg, **kw).backward(g)

        for mode, fn in (("forward", fwd), ("forwardBackward", fwd_bwd)):
            med, lo = timed(fn)
            print("%-8s %-16s median %8.2f ms  min %8.2f ms" % (name, mode, med, lo))


if __name__ == "__main__":
    main()
