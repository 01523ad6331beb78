/**
 * The CUDA rasterizer's launch plan ({@link org.pdr4j.gs.kernel.cuda.CudaSplat}); the kernels
 * are CUDA C in {@code gs-render/src/main/cuda/} and ship as PTX. Not run on a real GPU where
 * it was written.
 */
package org.pdr4j.gs.kernel.cuda;
