// predgsplat: the maths of the CUDA rasterizer, shared by the device kernels (predgsplat.cu)
// and a host build of the very same functions (src/test/cuda/predgsplat_emu.cpp), so that the
// arithmetic is tested on machines without a GPU. Semantics: DESIGN.md / reference/predgsplat_ref.py,
// render_direct; the Java FusedRenderer (kernel/cpu) computes the same thing.
//
// Each Gaussian's K x K kernel, sampled on `grid` (linspace(-5, 5, K), computed on the host),
// is shifted by one pair of bilinear weights onto a (K+1) x (K+1) footprint whose top-left
// pixel is (top - floor(dy) - 1, left - floor(dx) - 1), d = coords * (W/2, H/2). Amplitudes add.
//
// The includer defines, before including this file:
//   PG_ATOMIC_ADD(p, v)   *p += v, atomically where threads share p;
//   PG_REDUCE_ADD(p, v)   adds v summed over a group of threads to *p; every thread of the group
//                         calls it with the same p (the device build reduces over a warp and lets
//                         lane 0 add; the host build adds each thread's v);
//   PG_HD                 the function qualifiers.
#ifndef PREDGSPLAT_CUH
#define PREDGSPLAT_CUH

#define PG_MIN_SCALE 1e-6f

/** Where one Gaussian lands and what its kernel needs. */
struct PgSplat {
    int miss;          // the footprint misses the frame: nothing to do
    int x0, y0;        // footprint top-left pixel
    float wx, wy;      // bilinear weights of the sub-pixel shift
    float c, s;        // cos, sin of the rotation
    float s1, s2;      // scales clamped to >= PG_MIN_SCALE
    float is1, is2;    // their reciprocals
    int live1, live2;  // scale above the clamp: its gradient flows
};

PG_HD PgSplat pg_place(const float* co, const float* sc, const float* ro, int j, int h, int w, int k) {
    PgSplat g;
    float dx = co[2 * j] * ((float) w * 0.5f), dy = co[2 * j + 1] * ((float) h * 0.5f);
    float fx = floorf(dx), fy = floorf(dy);
    float ox = (float) ((w - k) / 2) - fx - 1.0f, oy = (float) ((h - k) / 2) - fy - 1.0f;
    g.miss = ox >= (float) w || ox + (float) (k + 1) <= 0.0f || oy >= (float) h || oy + (float) (k + 1) <= 0.0f;
    g.x0 = g.miss ? 0 : (int) ox;
    g.y0 = g.miss ? 0 : (int) oy;
    g.wx = dx - fx;
    g.wy = dy - fy;
    float s1raw = sc[2 * j], s2raw = sc[2 * j + 1];
    g.live1 = (double) s1raw >= 1e-6;
    g.live2 = (double) s2raw >= 1e-6;
    g.s1 = fmaxf(s1raw, PG_MIN_SCALE);
    g.s2 = fmaxf(s2raw, PG_MIN_SCALE);
    g.is1 = 1.0f / g.s1;
    g.is2 = 1.0f / g.s2;
    g.c = cosf(ro[j]);
    g.s = sinf(ro[j]);
    return g;
}

/** Kernel sample (a, b) (row a, column b), 0 outside [0, K)^2; U = u / s1 and V = v / s2 out. */
PG_HD float pg_sample(const PgSplat* g, const float* grid, int k, int a, int b, float* U, float* V) {
    if (a < 0 || b < 0 || a >= k || b >= k) {
        *U = 0.0f;
        *V = 0.0f;
        return 0.0f;
    }
    float gx = grid[b], gy = grid[a];
    float u = fmaf(gx, g->c, g->s * gy) * g->is1;   // (cos gx + sin gy) / s1
    float v = fmaf(-gx, g->s, g->c * gy) * g->is2;  // (-sin gx + cos gy) / s2
    *U = u;
    *V = v;
    return expf(-0.5f * fmaf(u, u, v * v));
}

/** What one footprint pixel (r, q) contributes, and its derivatives with respect to each input. */
struct PgTerms {
    float sh;        // the shifted kernel at the pixel
    float dwx, dwy;  // d sh / d wx, d sh / d wy
    float d1, d2;    // sum_n w_n k_n U_n^2 and sum_n w_n k_n V_n^2 (d sh / d s1 = d1 / s1, likewise s2)
    float dth;       // sum_n w_n k_n U_n V_n (d sh / d theta = dth (s1/s2 - s2/s1))
};

/** Footprint pixel (r, q) reads kernel samples (r-1, q-1), (r-1, q), (r, q-1), (r, q). */
PG_HD PgTerms pg_terms(const PgSplat* g, const float* grid, int k, int r, int q, int derivatives) {
    float ua, va, ub, vb, uc, vc, ud, vd;
    float ka = pg_sample(g, grid, k, r - 1, q - 1, &ua, &va);
    float kb = pg_sample(g, grid, k, r - 1, q, &ub, &vb);
    float kc = pg_sample(g, grid, k, r, q - 1, &uc, &vc);
    float kd = pg_sample(g, grid, k, r, q, &ud, &vd);
    float wx = g->wx, wy = g->wy;
    float w00 = (1.0f - wy) * (1.0f - wx), w01 = (1.0f - wy) * wx, w10 = wy * (1.0f - wx), w11 = wy * wx;
    PgTerms t;
    t.sh = ka * w00 + kb * w01 + kc * w10 + kd * w11;
    if (!derivatives) {
        t.dwx = t.dwy = t.d1 = t.d2 = t.dth = 0.0f;
        return t;
    }
    t.dwx = (kb - ka) * (1.0f - wy) + (kd - kc) * wy;
    t.dwy = (kc * (1.0f - wx) + kd * wx) - (ka * (1.0f - wx) + kb * wx);
    float pa = w00 * ka, pb = w01 * kb, pc = w10 * kc, pd = w11 * kd;
    t.d1 = pa * ua * ua + pb * ub * ub + pc * uc * uc + pd * ud * ud;
    t.d2 = pa * va * va + pb * vb * vb + pc * vc * vc + pd * vd * vd;
    t.dth = pa * ua * va + pb * ub * vb + pc * uc * vc + pd * ud * vd;
    return t;
}

/**
 * Forward, one thread: Gaussian j (of P*N), footprint pixel t (of (K+1)^2; threads past the
 * end do nothing). Adds amp[j, ch] * sh into out[f, ch, y, x] for every channel.
 *
 * co [P*N, 2], sc [P*N, 2], ro [P*N], am [P*N, C], grid [K], out [P, C, H, W] (zeroed first).
 */
PG_HD void pg_fwd_thread(int j, int t, const float* co, const float* sc, const float* ro, const float* am,
                         const float* grid, float* out, int n, int c, int h, int w, int k) {
    int side = k + 1;
    if (t >= side * side) return;
    PgSplat g = pg_place(co, sc, ro, j, h, w, k);
    if (g.miss) return;
    int r = t / side, q = t - r * side;
    int y = g.y0 + r, x = g.x0 + q;
    if (y < 0 || y >= h || x < 0 || x >= w) return;
    float sh = pg_terms(&g, grid, k, r, q, 0).sh;
    if (sh == 0.0f) return;
    int f = j / n;
    size_t plane = (size_t) h * w;
    float* o = out + (size_t) f * c * plane + (size_t) y * w + x;
    for (int ch = 0; ch < c; ch++) PG_ATOMIC_ADD(o + ch * plane, am[(size_t) j * c + ch] * sh);
}

/**
 * Backward, one thread: the same (j, t) as the forward. Every thread of a reduction group must
 * call this with the same j (the device build launches one Gaussian per block) and must not
 * leave early unless the whole group does: PG_REDUCE_ADD is collective. Adds this pixel's share of
 * dL/dcoords, dL/dscale, dL/drotation and dL/damplitudes (all zeroed first) for Gaussian j.
 *
 * gout [P, C, H, W]; gco [P*N, 2], gsc [P*N, 2], gro [P*N], gam [P*N, C].
 */
PG_HD void pg_bwd_thread(int j, int t, const float* co, const float* sc, const float* ro, const float* am,
                         const float* grid, const float* gout, float* gco, float* gsc, float* gro, float* gam,
                         int n, int c, int h, int w, int k) {
    PgSplat g = pg_place(co, sc, ro, j, h, w, k);
    if (g.miss) return;  // the same for every thread of Gaussian j
    int side = k + 1;
    int r = t / side, q = t - r * side;
    int y = g.y0 + r, x = g.x0 + q;
    int live = t < side * side && y >= 0 && y < h && x >= 0 && x < w;
    PgTerms tm;
    tm.sh = tm.dwx = tm.dwy = tm.d1 = tm.d2 = tm.dth = 0.0f;
    if (live) tm = pg_terms(&g, grid, k, r, q, 1);
    int f = j / n;
    size_t plane = (size_t) h * w;
    const float* go = gout + (size_t) f * c * plane + (live ? (size_t) y * w + x : 0);
    float gsum = 0.0f;  // G = sum_ch amp_ch dL/dout_ch at this pixel
    for (int ch = 0; ch < c; ch++) {
        float gv = live ? go[ch * plane] : 0.0f;
        gsum = fmaf(am[(size_t) j * c + ch], gv, gsum);
        PG_REDUCE_ADD(gam + (size_t) j * c + ch, gv * tm.sh);
    }
    PG_REDUCE_ADD(gco + 2 * j, gsum * tm.dwx * ((float) w * 0.5f));
    PG_REDUCE_ADD(gco + 2 * j + 1, gsum * tm.dwy * ((float) h * 0.5f));
    PG_REDUCE_ADD(gsc + 2 * j, g.live1 ? gsum * tm.d1 * g.is1 : 0.0f);
    PG_REDUCE_ADD(gsc + 2 * j + 1, g.live2 ? gsum * tm.d2 * g.is2 : 0.0f);
    PG_REDUCE_ADD(gro + j, gsum * tm.dth * (g.s1 / g.s2 - g.s2 / g.s1));
}

#endif
