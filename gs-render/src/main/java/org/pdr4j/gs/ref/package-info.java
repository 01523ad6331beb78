/**
 * Reference renderers: {@code base} and {@code base_grid} (the paper's Table 9 baselines,
 * which materialise a [P*N, C, H, W] stack and grid-sample it, kept to measure speed-ups
 * against) and {@code ref} (the direct per-Gaussian definition in double precision, which F64
 * inputs and gradient checks run on).
 */
package org.pdr4j.gs.ref;
