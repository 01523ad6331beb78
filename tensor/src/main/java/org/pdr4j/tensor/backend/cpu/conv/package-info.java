/**
 * 2-D convolution and average-pooling kernels on the CPU (no gradients): {@link
 * org.pdr4j.tensor.backend.cpu.conv.ConvKernels} picks, per {@link
 * org.pdr4j.tensor.backend.cpu.conv.ConvSpec}, the float64 reference loops ({@code RefConv}), the
 * Vector API depthwise kernel, a GEMM per sample for 1x1 convolutions, or im2col + GEMM. Every
 * path is deterministic for any thread count.
 */
package org.pdr4j.tensor.backend.cpu.conv;
