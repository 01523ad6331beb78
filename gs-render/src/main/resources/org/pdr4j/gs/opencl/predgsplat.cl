// predgsplat in OpenCL C 1.2: the renderer of DESIGN.md, forward and backward, float32.
//
// Each Gaussian j (j = frame * N + i) has a K x K kernel patch sampled on the grid gx[] (linspace
// -5..5, passed in by the host so every implementation uses the same values), shifted with one
// pair of bilinear weights (wx, wy) onto a (K+1) x (K+1) footprint whose top-left pixel is (x0, y0).
// Footprint pixel (r, q) reads kernel samples (r-1, q-1), (r-1, q), (r, q-1), (r, q), zero outside.
//
// Launch order: splat_geom (P*N), splat_samples (P*N*K*K), then splat_fwd (tiles) or splat_bwd. Every
// output element is written by exactly one work-item and summed in a fixed order: no atomics, and
// the same bits on every run.
//
// Layouts: coords, scale [P, N, 2]; rotation [P, N]; amplitudes [P, N, C]; image [P, C, H, W].

#ifndef LS
#define LS 64           // work-group size of splat_bwd: one group per Gaussian (a power of two)
#endif
#define CB 4            // channels one splat_fwd work-item accumulates
#define TS 8            // splat_fwd tiles are TS x TS pixels
#define MISS (-1.0e9f)  // geom.x of a Gaussian whose footprint misses the frame

// geom[j] = (x0, y0, wx, wy) (x0 = MISS when the footprint misses the frame);
// par[j] = (cos, sin, 1/s1, 1/s2) with s clamped to >= 1e-6.
__kernel void splat_geom(__global const float *coords, __global const float *scale, __global const float *rotation,
                         const int pn, const int h, const int w, const int k,
                         __global float4 *geom, __global float4 *par) {
    const int j = get_global_id(0);
    if (j >= pn) return;
    const float dx = coords[2 * j] * ((float) w * 0.5f), dy = coords[2 * j + 1] * ((float) h * 0.5f);
    const float fx = floor(dx), fy = floor(dy);
    // left - floor(d) - 1 in float is exact whenever the footprint can touch the frame.
    const float ox = (float) ((w - k) / 2) - fx - 1.0f, oy = (float) ((h - k) / 2) - fy - 1.0f;
    const bool miss = ox >= (float) w || ox + (float) (k + 1) <= 0.0f || oy >= (float) h || oy + (float) (k + 1) <= 0.0f;
    geom[j] = (float4) (miss ? MISS : ox, oy, dx - fx, dy - fy);
    const float s1 = fmax(scale[2 * j], 1e-6f), s2 = fmax(scale[2 * j + 1], 1e-6f);
    const float th = rotation[j];
    par[j] = (float4) (cos(th), sin(th), 1.0f / s1, 1.0f / s2);
}

// ks[j*K*K + a*K + b] = exp(-(U^2 + V^2)/2), U = (cos gx[b] + sin gx[a]) / s1, V = (-sin gx[b] + cos gx[a]) / s2.
__kernel void splat_samples(__global const float4 *geom, __global const float4 *par, __global const float *gx,
                            const int pn, const int k, __global float *ks) {
    const int t = get_global_id(0);
    const int kk = k * k;
    if (t >= pn * kk) return;
    const int j = t / kk, ab = t - j * kk, a = ab / k, b = ab - a * k;
    if (geom[j].x == MISS) {
        ks[t] = 0.0f;
        return;
    }
    const float4 p = par[j];
    const float u = (p.x * gx[b] + p.y * gx[a]) * p.z;
    const float v = (-p.y * gx[b] + p.x * gx[a]) * p.w;
    ks[t] = exp(-0.5f * (u * u + v * v));
}

// The shifted patch at footprint pixel (r, q) of the kernel at ks (0 <= r, q <= K), and its
// derivatives with respect to the bilinear weights.
inline float4 corners(__global const float *ks, const int k, const int r, const int q) {
    const bool up = r >= 1, dn = r < k, lf = q >= 1, rt = q < k;
    return (float4) (up && lf ? ks[(r - 1) * k + q - 1] : 0.0f, up && rt ? ks[(r - 1) * k + q] : 0.0f,
                     dn && lf ? ks[r * k + q - 1] : 0.0f, dn && rt ? ks[r * k + q] : 0.0f);
}

inline float shifted(const float4 c, const float wx, const float wy) {
    return (1.0f - wy) * ((1.0f - wx) * c.x + wx * c.y) + wy * ((1.0f - wx) * c.z + wx * c.w);
}

// Gather over tiles: a work-group is a TS x TS tile of one frame and one block of up to CB
// channels, one work-item per pixel. The group takes the frame's Gaussians TS*TS at a time, keeps
// (in order) those whose footprint meets the tile, and each pixel adds the ones covering it, in
// Gaussian order. Global size (W, H, P * ceil(C/CB)) rounded up to tiles, local size (TS, TS, 1).
__kernel __attribute__((reqd_work_group_size(TS, TS, 1)))
void splat_fwd(__global const float4 *geom, __global const float *ks, __global const float *amplitudes,
               const int p, const int n, const int c, const int h, const int w, const int k,
               __global float *out) {
    __local int hit[TS * TS];
    __local int list[TS * TS];
    __local int count;
    const int lid = get_local_id(1) * TS + get_local_id(0);
    const int x = get_global_id(0), y = get_global_id(1), fb = get_global_id(2);
    const int blocks = (c + CB - 1) / CB, f = fb / blocks, c0 = (fb - f * blocks) * CB, cn = min(CB, c - c0);
    const int tx0 = get_group_id(0) * TS, ty0 = get_group_id(1) * TS;
    const int kk = k * k;
    float acc[CB] = {0.0f, 0.0f, 0.0f, 0.0f};
    for (int base = 0; base < n; base += TS * TS) {  // uniform over the group: every item meets each barrier
        const int i = base + lid;
        int meets = 0;
        if (i < n) {
            const float4 g = geom[f * n + i];
            if (g.x != MISS) {
                const int gx0 = (int) g.x, gy0 = (int) g.y;
                meets = gx0 < tx0 + TS && gx0 + k >= tx0 && gy0 < ty0 + TS && gy0 + k >= ty0;
            }
        }
        hit[lid] = meets;
        barrier(CLK_LOCAL_MEM_FENCE);
        if (lid == 0) {
            int m = 0;
            for (int t = 0; t < TS * TS; t++) if (hit[t]) list[m++] = base + t;
            count = m;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        const int m = count;
        for (int t = 0; t < m; t++) {
            const int j = f * n + list[t];
            const float4 g = geom[j];
            const int q = x - (int) g.x, r = y - (int) g.y;
            if (q < 0 || q > k || r < 0 || r > k) continue;
            const float sh = shifted(corners(ks + (size_t) j * kk, k, r, q), g.z, g.w);
            __global const float *am = amplitudes + (size_t) j * c + c0;
            for (int ch = 0; ch < cn; ch++) acc[ch] += am[ch] * sh;
        }
        barrier(CLK_LOCAL_MEM_FENCE);  // list is rewritten by the next chunk
    }
    if (x >= w || y >= h) return;
    for (int ch = 0; ch < cn; ch++) out[((size_t) (f * c + c0 + ch) * h + y) * w + x] = acc[ch];
}

// Sum of v over the work-group, in a fixed tree order; every work-item gets the total.
inline float group_sum(__local float *red, const int lid, const float v) {
    barrier(CLK_LOCAL_MEM_FENCE);
    red[lid] = v;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = LS / 2; s > 0; s >>= 1) {
        if (lid < s) red[lid] += red[lid + s];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    return red[0];
}

// Backward: one work-group of LS work-items per Gaussian, reducing over its own footprint (no
// shared writes). G = sum_c amp_c dL/dout_c on the footprint (0 off the frame) gives the shift
// gradients; its adjoint through the bilinear shift gives dL/dkernel, which flows into scale and
// rotation; dL/damp_c = sum dL/dout_c * shifted. gbuf is scratch of P*N*(K+1)^2 floats.
// Global size P * N * LS, local size LS.
__kernel __attribute__((reqd_work_group_size(LS, 1, 1)))
void splat_bwd(__global const float4 *geom, __global const float4 *par, __global const float *ks,
               __global const float *gx, __global const float *scale, __global const float *amplitudes,
               __global const float *gout, const int n, const int c, const int h, const int w, const int k,
               __global float *gbuf, __global float *grad_coords, __global float *grad_scale,
               __global float *grad_rotation, __global float *grad_amplitudes) {
    __local float red[LS];
    const int j = get_group_id(0), lid = get_local_id(0);
    const float4 g = geom[j];
    if (g.x == MISS) {  // the whole group takes this branch
        if (lid == 0) {
            grad_coords[2 * j] = grad_coords[2 * j + 1] = 0.0f;
            grad_scale[2 * j] = grad_scale[2 * j + 1] = 0.0f;
            grad_rotation[j] = 0.0f;
        }
        for (int ch = lid; ch < c; ch += LS) grad_amplitudes[(size_t) j * c + ch] = 0.0f;
        return;
    }
    const int f = j / n, x0 = (int) g.x, y0 = (int) g.y, kf = k + 1, area = kf * kf, kk = k * k;
    const float wx = g.z, wy = g.w;
    __global const float *kj = ks + (size_t) j * kk;
    __global const float *am = amplitudes + (size_t) j * c;
    __global const float *go = gout + (size_t) f * c * h * w;
    __global float *gj = gbuf + (size_t) j * area;

    // Pass 1: G on the footprint, the shift gradients, and the first CB amplitude gradients.
    float pwx = 0.0f, pwy = 0.0f;
    float pa[CB] = {0.0f, 0.0f, 0.0f, 0.0f};
    for (int t = lid; t < area; t += LS) {
        const int r = t / kf, q = t - r * kf, y = y0 + r, x = x0 + q;
        const float4 cn = corners(kj, k, r, q);
        float gv = 0.0f;
        if (y >= 0 && y < h && x >= 0 && x < w) {
            __global const float *px = go + (size_t) y * w + x;
            const float sh = shifted(cn, wx, wy);
            for (int ch = 0; ch < c; ch++) gv += am[ch] * px[(size_t) ch * h * w];
#pragma unroll
            for (int ch = 0; ch < CB; ch++) if (ch < c) pa[ch] += px[(size_t) ch * h * w] * sh;
        }
        gj[t] = gv;
        pwx += gv * ((1.0f - wy) * (cn.y - cn.x) + wy * (cn.w - cn.z));
        pwy += gv * (((1.0f - wx) * cn.z + wx * cn.w) - ((1.0f - wx) * cn.x + wx * cn.y));
    }
    barrier(CLK_GLOBAL_MEM_FENCE);  // gj is read below at other work-items' pixels

    // Pass 2: dL/dk(a, b) = sum of G at the four footprint pixels the sample reaches, then through
    // k = exp(-(U^2 + V^2)/2): dk/ds1 = k U^2 / s1, dk/ds2 = k V^2 / s2, dk/dtheta = k U V (s1/s2 - s2/s1).
    const float4 pr = par[j];
    const float w00 = (1.0f - wy) * (1.0f - wx), w01 = (1.0f - wy) * wx, w10 = wy * (1.0f - wx), w11 = wy * wx;
    float ps1 = 0.0f, ps2 = 0.0f, pth = 0.0f;
    for (int t = lid; t < kk; t += LS) {
        const int a = t / k, b = t - a * k;
        const int up = a * kf + b, dn = up + kf;
        const float gk = w00 * gj[dn + 1] + w01 * gj[dn] + w10 * gj[up + 1] + w11 * gj[up];
        const float gkk = gk * kj[t];
        const float u = (pr.x * gx[b] + pr.y * gx[a]) * pr.z;
        const float v = (-pr.y * gx[b] + pr.x * gx[a]) * pr.w;
        ps1 += gkk * u * u;
        ps2 += gkk * v * v;
        pth += gkk * u * v;
    }
    const float sx = group_sum(red, lid, pwx), sy = group_sum(red, lid, pwy);
    const float s1 = group_sum(red, lid, ps1), s2 = group_sum(red, lid, ps2), st = group_sum(red, lid, pth);
    if (lid == 0) {
        grad_coords[2 * j] = sx * ((float) w * 0.5f);
        grad_coords[2 * j + 1] = sy * ((float) h * 0.5f);
        // A scale below the clamp gets no gradient (the clamp is flat there).
        grad_scale[2 * j] = scale[2 * j] > 1e-6f ? s1 * pr.z : 0.0f;
        grad_scale[2 * j + 1] = scale[2 * j + 1] > 1e-6f ? s2 * pr.w : 0.0f;
        const float sc1 = 1.0f / pr.z, sc2 = 1.0f / pr.w;
        grad_rotation[j] = st * (sc1 / sc2 - sc2 / sc1);
    }

    for (int ch = 0; ch < CB && ch < c; ch++) {
        const float sa = group_sum(red, lid, pa[ch]);
        if (lid == 0) grad_amplitudes[(size_t) j * c + ch] = sa;
    }

    // Pass 3, for C > CB: dL/damp_c of the other channels over the footprint pixels inside the frame.
    for (int ch = CB; ch < c; ch++) {
        float pa = 0.0f;
        for (int t = lid; t < area; t += LS) {
            const int r = t / kf, q = t - r * kf, y = y0 + r, x = x0 + q;
            if (y < 0 || y >= h || x < 0 || x >= w) continue;
            pa += go[((size_t) ch * h + y) * w + x] * shifted(corners(kj, k, r, q), wx, wy);
        }
        const float sa = group_sum(red, lid, pa);
        if (lid == 0) grad_amplitudes[(size_t) j * c + ch] = sa;
    }
}
