// predgsplat CUDA kernels: forward and backward of the fused renderer (see predgsplat.cuh for
// the maths, which a host build tests without a GPU). Compiled to PTX by the gs-render build
// (profile "nvcc": nvcc -ptx -arch=compute_80); the PTX is committed under
// src/main/resources/org/pdr4j/gs/cuda/ so builds without nvcc ship it too.
//
// Launch (CudaSplat.java): grid (P*N, ceil((K+1)^2 / B)), block (B), B a multiple of 32, no
// shared memory. Block x = Gaussian j, thread = one footprint pixel. The forward scatters with
// atomicAdd into the zeroed image; the backward reduces each gradient over a warp and lane 0
// adds it atomically into the zeroed gradients. Float atomics make the bits vary from run to
// run (summation order); the values agree with the CPU renderer to float rounding.
//
// NOT RUN ON A GPU where it was written: checked there by ptxas (sm_80, sm_90) and by the host
// build of predgsplat.cuh against the Java renderer; the launch wrappers below are untested.

__device__ __forceinline__ float pg_warp_sum(float v) {
    for (int o = 16; o > 0; o >>= 1) v += __shfl_down_sync(0xffffffffu, v, o);
    return v;
}

#define PG_HD __device__ __forceinline__
#define PG_ATOMIC_ADD(p, v) atomicAdd((p), (v))
#define PG_REDUCE_ADD(p, v)                                   \
    do {                                                      \
        float pg_s_ = pg_warp_sum(v);                         \
        if ((threadIdx.x & 31) == 0 && pg_s_ != 0.0f) atomicAdd((p), pg_s_); \
    } while (0)

#include "predgsplat.cuh"

extern "C" __global__ void predgsplat_fwd(const float* __restrict__ co, const float* __restrict__ sc,
                                          const float* __restrict__ ro, const float* __restrict__ am,
                                          const float* __restrict__ grid, float* __restrict__ out,
                                          int n, int c, int h, int w, int k) {
    pg_fwd_thread((int) blockIdx.x, (int) (blockIdx.y * blockDim.x + threadIdx.x), co, sc, ro, am, grid, out,
                  n, c, h, w, k);
}

extern "C" __global__ void predgsplat_bwd(const float* __restrict__ co, const float* __restrict__ sc,
                                          const float* __restrict__ ro, const float* __restrict__ am,
                                          const float* __restrict__ grid, const float* __restrict__ gout,
                                          float* __restrict__ gco, float* __restrict__ gsc, float* __restrict__ gro,
                                          float* __restrict__ gam, int n, int c, int h, int w, int k) {
    pg_bwd_thread((int) blockIdx.x, (int) (blockIdx.y * blockDim.x + threadIdx.x), co, sc, ro, am, grid, gout,
                  gco, gsc, gro, gam, n, c, h, w, k);
}
