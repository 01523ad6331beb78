// Host build of the CUDA rasterizer's maths (src/main/cuda/predgsplat.cuh): the same
// pg_fwd_thread / pg_bwd_thread the kernels call, run over the launch grid the Java side plans
// (CudaSplat.geometry), one simulated thread at a time. Atomic adds and warp reductions become
// plain adds. Built and driven by CudaKernelHostTest with g++; needs no GPU.
//
// stdin (little-endian): int32 mode (0 forward, 1 backward), P, N, C, H, W, K, gridY, block; then
// float32 coords [P*N*2], scale [P*N*2], rotation [P*N], amplitudes [P*N*C], grid [K], and for the
// backward gradImage [P*C*H*W]. stdout: the forward's image, or gradCoords, gradScale,
// gradRotation, gradAmplitudes, as float32.
#include <math.h>
#include <cstdio>
#include <cstdlib>
#include <vector>

#define PG_HD static inline
#define PG_ATOMIC_ADD(p, v) (*(p) += (v))
#define PG_REDUCE_ADD(p, v) (*(p) += (v))
#include "predgsplat.cuh"

static std::vector<float> readf(size_t n) {
    std::vector<float> v(n);
    if (n && fread(v.data(), sizeof(float), n, stdin) != n) { fprintf(stderr, "short input\n"); exit(2); }
    return v;
}

static void writef(const std::vector<float>& v) {
    if (!v.empty()) fwrite(v.data(), sizeof(float), v.size(), stdout);
}

int main() {
    int hd[9];
    if (fread(hd, sizeof(int), 9, stdin) != 9) { fprintf(stderr, "no header\n"); return 2; }
    int mode = hd[0], p = hd[1], n = hd[2], c = hd[3], h = hd[4], w = hd[5], k = hd[6], gridY = hd[7], block = hd[8];
    size_t pn = (size_t) p * n;
    std::vector<float> co = readf(pn * 2), sc = readf(pn * 2), ro = readf(pn), am = readf(pn * c), grid = readf(k);
    if (mode == 0) {
        std::vector<float> out((size_t) p * c * h * w, 0.0f);
        for (size_t j = 0; j < pn; j++)
            for (int by = 0; by < gridY; by++)
                for (int tx = 0; tx < block; tx++)
                    pg_fwd_thread((int) j, by * block + tx, co.data(), sc.data(), ro.data(), am.data(), grid.data(),
                                  out.data(), n, c, h, w, k);
        writef(out);
    } else {
        std::vector<float> gout = readf((size_t) p * c * h * w);
        std::vector<float> gco(pn * 2, 0.0f), gsc(pn * 2, 0.0f), gro(pn, 0.0f), gam(pn * c, 0.0f);
        for (size_t j = 0; j < pn; j++)
            for (int by = 0; by < gridY; by++)
                for (int tx = 0; tx < block; tx++)
                    pg_bwd_thread((int) j, by * block + tx, co.data(), sc.data(), ro.data(), am.data(), grid.data(),
                                  gout.data(), gco.data(), gsc.data(), gro.data(), gam.data(), n, c, h, w, k);
        writef(gco);
        writef(gsc);
        writef(gro);
        writef(gam);
    }
    return 0;
}
