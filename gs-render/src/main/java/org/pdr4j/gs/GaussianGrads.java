package org.pdr4j.gs;

import org.pdr4j.tensor.Tensor;

/**
 * Gradients of a scalar loss with respect to each renderer input, shaped as the inputs
 * ({@code [P, N, 2]}, {@code [P, N, 2]}, {@code [P, N]}, {@code [P, N, C]}).
 */
public record GaussianGrads(Tensor gradCoords, Tensor gradScale, Tensor gradRotation, Tensor gradAmplitudes) {}
