// Softmax, separable blur and block normalisation (GroupNorm / LayerNorm) of OpenClBackend.
// Operands are contiguous; each input has a base offset into its uploaded span. Reductions
// run one work-group per row or block (local size a power of two), tree-reduced in local memory.

// Tree reduction of scratch[0, ls) into scratch[0]; MAXR picks max, else sum. Ends with a barrier.
#define TREE(scratch, lid, ls, MAXR)                                                   \
    for (int s_ = (ls) / 2; s_ > 0; s_ >>= 1) {                                        \
        if ((lid) < s_) scratch[lid] = MAXR ? fmax(scratch[lid], scratch[(lid) + s_])  \
                                            : scratch[lid] + scratch[(lid) + s_];      \
        barrier(CLK_LOCAL_MEM_FENCE);                                                  \
    }

// ---------------------------------------------------------------- softmax

// x, y: [outer, D, inner]; one work-group per row (o, i), rows = outer * inner.
__kernel void softmax_fwd(int D, int inner, int log_, __global const float* x, int xo,
                          __global float* y, __local float* scratch) {
    int r = get_group_id(0), lid = get_local_id(0), ls = get_local_size(0);
    int base = (r / inner) * D * inner + r % inner;
    float m = -INFINITY;
    for (int d = lid; d < D; d += ls) m = fmax(m, x[xo + base + d * inner]);
    scratch[lid] = m;
    barrier(CLK_LOCAL_MEM_FENCE);
    TREE(scratch, lid, ls, 1)
    m = scratch[0];
    if (m == -INFINITY) m = 0; // an all -inf row: avoid inf - inf
    barrier(CLK_LOCAL_MEM_FENCE);
    float s = 0;
    for (int d = lid; d < D; d += ls) {
        float e = exp(x[xo + base + d * inner] - m);
        if (!log_) y[base + d * inner] = e;
        s += e;
    }
    scratch[lid] = s;
    barrier(CLK_LOCAL_MEM_FENCE);
    TREE(scratch, lid, ls, 0)
    s = scratch[0];
    if (log_) {
        float shift = m + log(s);
        for (int d = lid; d < D; d += ls) y[base + d * inner] = x[xo + base + d * inner] - shift;
    } else {
        float inv = 1.0f / s;
        for (int d = lid; d < D; d += ls) y[base + d * inner] *= inv;
    }
}

// dx = y * (g - sum(g * y)), or for log-softmax g - exp(y) * sum(g); one work-group per row.
__kernel void softmax_bwd(int D, int inner, int log_, __global const float* y, int yo,
                          __global const float* g, int go, __global float* dx, __local float* scratch) {
    int r = get_group_id(0), lid = get_local_id(0), ls = get_local_size(0);
    int base = (r / inner) * D * inner + r % inner;
    float s = 0;
    for (int d = lid; d < D; d += ls) {
        int j = base + d * inner;
        s += log_ ? g[go + j] : g[go + j] * y[yo + j];
    }
    scratch[lid] = s;
    barrier(CLK_LOCAL_MEM_FENCE);
    TREE(scratch, lid, ls, 0)
    s = scratch[0];
    for (int d = lid; d < D; d += ls) {
        int j = base + d * inner;
        float gv = g[go + j], yv = y[yo + j];
        dx[j] = log_ ? gv - exp(yv) * s : yv * (gv - s);
    }
}

// ---------------------------------------------------------------- separable blur

// Along rows: dst[p, r, j] = sum_b k[b] * src[p, r, j + b - shift] (terms outside [0, w_in) are 0);
// src [P, rows, w_in], dst [P, rows, w_out]; one item per output.
__kernel void blur_h(int n, int rows, int w_in, int w_out, int K, int shift, __global const float* k,
                     __global const float* src, int so, __global float* dst) {
    int t = get_global_id(0);
    if (t >= n) return;
    int j = t % w_out, pr = t / w_out;
    __global const float* row = src + so + pr * w_in;
    float acc = 0;
    for (int b = 0; b < K; b++) {
        int c = j + b - shift;
        if (c >= 0 && c < w_in) acc = fma(row[c], k[b], acc);
    }
    dst[t] = acc;
}

// Along columns: dst[p, i, j] = sum_a k[a] * src[p, i + a - shift, j] (rows outside [0, rows_in) are 0);
// src [P, rows_in, w], dst [P, rows_out, w].
__kernel void blur_v(int n, int rows_in, int rows_out, int w, int K, int shift, __global const float* k,
                     __global const float* src, __global float* dst) {
    int t = get_global_id(0);
    if (t >= n) return;
    int j = t % w, i = (t / w) % rows_out, p = t / (w * rows_out);
    __global const float* plane = src + p * rows_in * w;
    float acc = 0;
    for (int a = 0; a < K; a++) {
        int r = i + a - shift;
        if (r >= 0 && r < rows_in) acc = fma(plane[r * w + j], k[a], acc);
    }
    dst[t] = acc;
}

// ---------------------------------------------------------------- GroupNorm / LayerNorm

// x, y [B, K, S], w and bias [period * K]; one work-group per block b. Statistics are shifted by
// the block's first value (keeps E[x^2] - E[x]^2 from cancelling when |mean| >> std).
__kernel void group_norm_fwd(int K, int S, int period, float eps, __global const float* x, int xo,
                             __global const float* w, int wo, __global const float* bias, int bo,
                             __global float* y, __global float* mean, __global float* rstd,
                             __local float* s1, __local float* s2) {
    int b = get_group_id(0), lid = get_local_id(0), ls = get_local_size(0);
    int M = K * S, off = b * M, p0 = (b % period) * K;
    float pivot = x[xo + off], a1 = 0, a2 = 0;
    for (int i = lid; i < M; i += ls) {
        float d = x[xo + off + i] - pivot;
        a1 += d;
        a2 = fma(d, d, a2);
    }
    s1[lid] = a1;
    s2[lid] = a2;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = ls / 2; s > 0; s >>= 1) {
        if (lid < s) {
            s1[lid] += s1[lid + s];
            s2[lid] += s2[lid + s];
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    float md = s1[0] / M, var = fmax(0.0f, s2[0] / M - md * md);
    float mu = pivot + md, rs = 1.0f / sqrt(var + eps);
    if (lid == 0) {
        mean[b] = mu;
        rstd[b] = rs;
    }
    for (int i = lid; i < M; i += ls) {
        int p = p0 + i / S;
        y[off + i] = (x[xo + off + i] - mu) * rs * w[wo + p] + bias[bo + p];
    }
}

// Per (b, k): dbPart = sum_s dy, dwPart = sum_s dy * xhat ([B, K]); one item each.
__kernel void group_norm_parts(int n, int K, int S, __global const float* x, int xo, __global const float* dy, int dyo,
                               __global const float* mean, __global const float* rstd,
                               __global float* dwPart, __global float* dbPart) {
    int t = get_global_id(0);
    if (t >= n) return;
    int b = t / K, o = t * S;
    float mu = mean[b], sd = 0, sdx = 0;
    for (int i = 0; i < S; i++) {
        float d = dy[dyo + o + i];
        sd += d;
        sdx = fma(d, x[xo + o + i] - mu, sdx);
    }
    dbPart[t] = sd;
    dwPart[t] = sdx * rstd[b];
}

// dx = rstd * (g - mean(g) - xhat * mean(g * xhat)) with g = dy * w; one work-group per block.
__kernel void group_norm_bwd(int K, int S, int period, __global const float* x, int xo, __global const float* dy, int dyo,
                             __global const float* w, int wo, __global const float* mean, __global const float* rstd,
                             __global float* dx, __local float* s1, __local float* s2) {
    int b = get_group_id(0), lid = get_local_id(0), ls = get_local_size(0);
    int M = K * S, off = b * M, p0 = (b % period) * K;
    float mu = mean[b], rs = rstd[b], a1 = 0, a2 = 0;
    for (int i = lid; i < M; i += ls) {
        float g = dy[dyo + off + i] * w[wo + p0 + i / S], xh = (x[xo + off + i] - mu) * rs;
        a1 += g;
        a2 = fma(g, xh, a2);
    }
    s1[lid] = a1;
    s2[lid] = a2;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = ls / 2; s > 0; s >>= 1) {
        if (lid < s) {
            s1[lid] += s1[lid + s];
            s2[lid] += s2[lid + s];
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    float mG = s1[0] / M, mGx = s2[0] / M;
    for (int i = lid; i < M; i += ls) {
        float g = dy[dyo + off + i] * w[wo + p0 + i / S], xh = (x[xo + off + i] - mu) * rs;
        dx[off + i] = rs * (g - mG - xh * mGx);
    }
}

// ---------------------------------------------------------------- BatchNorm

// Per-channel sums over x [N, C, S] of (x - pivot) and its square (pivot: the channel's first
// value), or with dy given of dy and dy * (x - mean[c]); one work-group per channel.
__kernel void batch_norm_sums(int N, int C, int S, __global const float* x, int xo, __global const float* dy, int dyo,
                              int with_dy, __global const float* mean, __global float* out1, __global float* out2,
                              __local float* s1, __local float* s2) {
    int c = get_group_id(0), lid = get_local_id(0), ls = get_local_size(0), M = N * S;
    float pivot = with_dy ? mean[c] : x[xo + c * S], a1 = 0, a2 = 0;
    for (int m = lid; m < M; m += ls) {
        int j = ((m / S) * C + c) * S + m % S;
        float d = x[xo + j] - pivot;
        if (with_dy) {
            float g = dy[dyo + j];
            a1 += g;
            a2 = fma(g, d, a2);
        } else {
            a1 += d;
            a2 = fma(d, d, a2);
        }
    }
    s1[lid] = a1;
    s2[lid] = a2;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = ls / 2; s > 0; s >>= 1) {
        if (lid < s) {
            s1[lid] += s1[lid + s];
            s2[lid] += s2[lid + s];
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (lid == 0) {
        out1[c] = s1[0];
        out2[c] = s2[0];
        if (!with_dy) out1[C + c] = pivot;
    }
}

// out = a * k1[c] + x * k2[c] + k3[c] over [N, C, S]: the normalisation (a = x, k2 = 0) and dx (a = dy).
__kernel void batch_norm_affine(int n, int C, int S, __global const float* a, int ao, __global const float* x, int xo,
                                __global const float* k, __global float* out) {
    int t = get_global_id(0);
    if (t >= n) return;
    int c = (t / S) % C;
    out[t] = a[ao + t] * k[c] + x[xo + t] * k[C + c] + k[2 * C + c];
}
