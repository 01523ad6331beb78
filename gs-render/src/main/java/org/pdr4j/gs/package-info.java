/**
 * The predgsplat renderer: N 2D Gaussians per frame rendered to {@code [P, C, H, W]}, forward
 * and backward kernels per backend, the literal Algorithm-1 baselines used to measure
 * speed-ups, and the autograd {@code Function} that wires it into training. Filled by the
 * gs-render issue; see DESIGN.md for the exact semantics.
 */
package org.pdr4j.gs;
