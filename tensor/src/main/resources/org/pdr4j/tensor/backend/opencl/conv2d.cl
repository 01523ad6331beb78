// 2-D convolution kernels of OpenClBackend (PyTorch's conv2d; see ConvSpec). All tensors are
// contiguous NCHW float32 with a base offset into their buffer:
//   x [n, cin, h, w], weight [cout, cin/groups, kh, kw], y / gy [n, cout, oh, ow].
// The geometry arrives as the same sixteen int arguments in every kernel (SPEC below).

#define SPEC const int n, const int cin, const int h, const int w, const int cout, const int kh, const int kw, \
             const int sh, const int sw, const int ph, const int pw, const int dh, const int dw, const int groups, \
             const int oh, const int ow

// y[b, co, oy, ox] = bias[co] + sum_{ci, ky, kx} x[b, g*cinG + ci, oy*sh - ph + ky*dh, ox*sw - pw + kx*dw]
//                                                * weight[co, ci, ky, kx]
// One work-item per output element.
__kernel void conv2d_fwd(SPEC,
                         __global const float* x, const int xoff,
                         __global const float* wt, const int woff,
                         __global const float* bias, const int boff, const int has_bias,
                         __global float* y) {
    const int total = n * cout * oh * ow;
    const int i = get_global_id(0);
    if (i >= total) return;
    const int ox = i % ow;
    int t = i / ow;
    const int oy = t % oh;
    t /= oh;
    const int co = t % cout;
    const int b = t / cout;
    const int cinG = cin / groups, coutG = cout / groups;
    const int g = co / coutG;
    const int iy0 = oy * sh - ph, ix0 = ox * sw - pw;
    // The kernel taps that land inside the input (the rest read zero padding).
    const int ky0 = iy0 < 0 ? (-iy0 + dh - 1) / dh : 0;
    const int kx0 = ix0 < 0 ? (-ix0 + dw - 1) / dw : 0;
    const int ky1 = min(kh, (h - iy0 + dh - 1) / dh); // first ky with iy0 + ky*dh >= h
    const int kx1 = min(kw, (w - ix0 + dw - 1) / dw);
    float acc = 0.0f;
    __global const float* xb = x + xoff + ((size_t) (b * cin + g * cinG)) * h * w;
    __global const float* wb = wt + woff + (size_t) co * cinG * kh * kw;
    for (int ci = 0; ci < cinG; ci++) {
        __global const float* xc = xb + (size_t) ci * h * w;
        __global const float* wc = wb + ci * kh * kw;
        for (int ky = ky0; ky < ky1; ky++) {
            const int row = (iy0 + ky * dh) * w + ix0; // + kx*dw >= 0 for kx >= kx0
            __global const float* wr = wc + ky * kw;
            for (int kx = kx0; kx < kx1; kx++) acc += xc[row + kx * dw] * wr[kx];
        }
    }
    if (has_bias) acc += bias[boff + co];
    y[i] = acc;
}

// gx[b, c, iy, ix] = sum over (co in c's group, ky, kx) with oy = (iy + ph - ky*dh) / sh exact and
// in range (likewise ox) of gy[b, co, oy, ox] * weight[co, c - g*cinG, ky, kx]: the transposed
// convolution, gathered (no atomics). One work-item per input element.
__kernel void conv2d_bwd_input(SPEC,
                               __global const float* gy, const int gyoff,
                               __global const float* wt, const int woff,
                               __global float* gx) {
    const int total = n * cin * h * w;
    const int i = get_global_id(0);
    if (i >= total) return;
    const int ix = i % w;
    int t = i / w;
    const int iy = t % h;
    t /= h;
    const int c = t % cin;
    const int b = t / cin;
    const int cinG = cin / groups, coutG = cout / groups;
    const int g = c / cinG, cl = c - g * cinG;
    const int ty = iy + ph, tx = ix + pw;
    float acc = 0.0f;
    __global const float* gyb = gy + gyoff + ((size_t) (b * cout + g * coutG)) * oh * ow;
    __global const float* wb = wt + woff + ((size_t) (g * coutG * cinG + cl)) * kh * kw;
    const int gstride = oh * ow, wstride = cinG * kh * kw;
    for (int ky = 0; ky < kh; ky++) {
        const int ry = ty - ky * dh;
        if (ry < 0) break; // grows more negative with ky
        if (ry % sh != 0) continue;
        const int oy = ry / sh;
        if (oy >= oh) continue;
        for (int kx = 0; kx < kw; kx++) {
            const int rx = tx - kx * dw;
            if (rx < 0) break;
            if (rx % sw != 0) continue;
            const int ox = rx / sw;
            if (ox >= ow) continue;
            // The tap (ky, kx) is valid: sum over the group's output channels.
            const int go = oy * ow + ox, wo = ky * kw + kx;
            for (int col = 0; col < coutG; col++) acc += gyb[col * gstride + go] * wb[col * wstride + wo];
        }
    }
    gx[i] = acc;
}

// gw[co, ci, ky, kx] = sum_{b, oy, ox} gy[b, co, oy, ox] * x[b, g*cinG + ci, oy*sh - ph + ky*dh, ox*sw - pw + kx*dw].
// One work-group per weight element: its items stride over the (b, oy) output rows, then a
// tree reduction in local memory (the local size is a power of two).
__kernel void conv2d_bwd_weight(SPEC,
                                __global const float* gy, const int gyoff,
                                __global const float* x, const int xoff,
                                __global float* gw,
                                __local float* part) {
    const int e = get_group_id(0);
    const int lid = get_local_id(0), ls = get_local_size(0);
    const int cinG = cin / groups, coutG = cout / groups;
    const int kx = e % kw;
    int t = e / kw;
    const int ky = t % kh;
    t /= kh;
    const int ci = t % cinG;
    const int co = t / cinG;
    const int c = (co / coutG) * cinG + ci;
    // Output rows/columns whose tap (ky, kx) lands inside the input.
    const int offy = ky * dh - ph, offx = kx * dw - pw; // iy = oy*sh + offy
    const int oy0 = offy < 0 ? (-offy + sh - 1) / sh : 0;
    const int ox0 = offx < 0 ? (-offx + sw - 1) / sw : 0;
    const int oy1 = h - offy <= 0 ? 0 : min(oh, (h - offy + sh - 1) / sh);
    const int ox1 = w - offx <= 0 ? 0 : min(ow, (w - offx + sw - 1) / sw);
    const int ny = max(0, oy1 - oy0), nx = max(0, ox1 - ox0);
    const int rows = n * ny; // (b, oy) rows; each item sums whole rows of nx columns
    float acc = 0.0f;
    for (int k = lid; k < rows; k += ls) {
        const int b = k / ny, oy = oy0 + k % ny;
        __global const float* gr = gy + gyoff + ((size_t) (b * cout + co) * oh + oy) * ow + ox0;
        __global const float* xr = x + xoff + ((size_t) (b * cin + c) * h + oy * sh + offy) * w + ox0 * sw + offx;
        for (int j = 0; j < nx; j++) acc += gr[j] * xr[j * sw];
    }
    part[lid] = acc;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = ls >> 1; s > 0; s >>= 1) {
        if (lid < s) part[lid] += part[lid + s];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (lid == 0) gw[e] = part[0];
}

// gb[ch] = sum_{b, k} gy[b, ch, k] over hw = h*w positions per plane. One work-group per channel,
// reduced as in conv2d_bwd_weight.
__kernel void conv2d_bwd_bias(const int n, const int c, const int hw,
                              __global const float* gy, const int gyoff,
                              __global float* gb,
                              __local float* part) {
    const int ch = get_group_id(0);
    const int lid = get_local_id(0), ls = get_local_size(0);
    const int count = n * hw;
    float acc = 0.0f;
    for (int k = lid; k < count; k += ls) {
        const int b = k / hw;
        acc += gy[gyoff + ((size_t) (b * c + ch)) * hw + (k - b * hw)];
    }
    part[lid] = acc;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = ls >> 1; s > 0; s >>= 1) {
        if (lid < s) part[lid] += part[lid + s];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (lid == 0) gb[ch] = part[0];
}
