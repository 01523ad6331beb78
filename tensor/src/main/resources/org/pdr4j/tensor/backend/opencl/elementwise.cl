// Element-wise and reduction kernels of OpenClBackend. Operands are strided views: `meta`
// holds the (coalesced) shape, outermost first, then each operand's strides; every operand
// has a base offset into its uploaded span. Results go to a contiguous buffer in the
// output's logical order. Op codes are the Java enums' ordinals (UnaryOp, BinaryOp, ReduceOp).

inline int offset_of(int i, int rank, __global const int* shape, __global const int* strides) {
    int off = 0;
    for (int d = rank - 1; d >= 0; d--) {
        int n = shape[d];
        off += (i % n) * strides[d];
        i /= n;
    }
    return off;
}

// UnaryOp ordinals
#define U_NEG 0
#define U_ABS 1
#define U_EXP 2
#define U_LOG 3
#define U_SQRT 4
#define U_RSQRT 5
#define U_RECIPROCAL 6
#define U_TANH 7
#define U_SIGMOID 8
#define U_RELU 9
#define U_LEAKY_RELU 10
#define U_GELU 11
#define U_ERF 12
#define U_SILU 13
#define U_SIN 14
#define U_COS 15
#define U_POW 16
#define U_CLAMP 17
#define U_AFFINE 18
#define U_IS_FINITE 19

#define INV_SQRT2 0.70710678118654752f
#define INV_SQRT_2PI 0.39894228040143268f
#define TWO_OVER_SQRT_PI 1.12837916709551257f

inline float unary(int op, float a, float b, float x) {
    switch (op) {
        case U_NEG: return -x;
        case U_ABS: return fabs(x);
        case U_EXP: return exp(x);
        case U_LOG: return log(x);
        case U_SQRT: return sqrt(x);
        case U_RSQRT: return 1.0f / sqrt(x);
        case U_RECIPROCAL: return 1.0f / x;
        case U_TANH: return tanh(x);
        case U_SIGMOID: return 1.0f / (1.0f + exp(-x));
        case U_RELU: return isnan(x) ? x : (x > 0.0f ? x : 0.0f);
        case U_LEAKY_RELU: return x > 0.0f ? x : a * x;
        case U_GELU: return 0.5f * x * (1.0f + erf(x * INV_SQRT2));
        case U_ERF: return erf(x);
        case U_SILU: return x / (1.0f + exp(-x));
        case U_SIN: return sin(x);
        case U_COS: return cos(x);
        case U_POW: return pow(x, a);
        case U_CLAMP: return isnan(x) ? x : fmin(fmax(x, a), b);
        case U_AFFINE: return fma(a, x, b);
        case U_IS_FINITE: return isfinite(x) ? 1.0f : 0.0f;
        default: return NAN;
    }
}

// d op / dx at x, given y = op(x); the same values as UnaryOp.derivative.
inline float derivative(int op, float a, float b, float x, float y) {
    switch (op) {
        case U_NEG: return -1.0f;
        case U_ABS: return x > 0.0f ? 1.0f : (x < 0.0f ? -1.0f : 0.0f);
        case U_EXP: return y;
        case U_LOG: return 1.0f / x;
        case U_SQRT: return 0.5f / y;
        case U_RSQRT: return -0.5f * y * y * y;
        case U_RECIPROCAL: return -y * y;
        case U_TANH: return 1.0f - y * y;
        case U_SIGMOID: return y * (1.0f - y);
        case U_RELU: return x > 0.0f ? 1.0f : 0.0f;
        case U_LEAKY_RELU: return x > 0.0f ? 1.0f : a;
        case U_GELU: return 0.5f * (1.0f + erf(x * INV_SQRT2)) + x * INV_SQRT_2PI * exp(-0.5f * x * x);
        case U_ERF: return TWO_OVER_SQRT_PI * exp(-x * x);
        case U_SILU: {
            float s = 1.0f / (1.0f + exp(-x));
            return s * (1.0f + x * (1.0f - s));
        }
        case U_SIN: return cos(x);
        case U_COS: return -sin(x);
        case U_POW: return a == 0.0f ? 0.0f : a * pow(x, a - 1.0f);
        case U_CLAMP: return (x >= a && x <= b) ? 1.0f : 0.0f;
        case U_AFFINE: return a;
        default: return NAN;
    }
}

// BinaryOp ordinals
#define B_ADD 0
#define B_SUB 1
#define B_MUL 2
#define B_DIV 3
#define B_MAX 4
#define B_MIN 5
#define B_POW 6
#define B_EQ 7
#define B_NE 8
#define B_LT 9
#define B_LE 10
#define B_GT 11
#define B_GE 12

inline float binary(int op, float x, float y) {
    switch (op) {
        case B_ADD: return x + y;
        case B_SUB: return x - y;
        case B_MUL: return x * y;
        case B_DIV: return x / y;
        case B_MAX: return (isnan(x) || isnan(y)) ? NAN : fmax(x, y);
        case B_MIN: return (isnan(x) || isnan(y)) ? NAN : fmin(x, y);
        case B_POW: return pow(x, y);
        case B_EQ: return x == y ? 1.0f : 0.0f;
        case B_NE: return x != y ? 1.0f : 0.0f;
        case B_LT: return x < y ? 1.0f : 0.0f;
        case B_LE: return x <= y ? 1.0f : 0.0f;
        case B_GT: return x > y ? 1.0f : 0.0f;
        case B_GE: return x >= y ? 1.0f : 0.0f;
        default: return NAN;
    }
}

// out[i] = op(x[i]; a, b)
__kernel void map_op(int op, float a, float b, int n, int rank, __global const int* meta,
                     __global const float* x, int xo, __global float* out) {
    int i = get_global_id(0);
    if (i >= n) return;
    out[i] = unary(op, a, b, x[xo + offset_of(i, rank, meta, meta + rank)]);
}

// out[i] = g[i] * op'(x[i]) with y = op(x)
__kernel void mul_derivative(int op, float a, float b, int n, int rank, __global const int* meta,
                             __global const float* x, int xo, __global const float* y, int yo,
                             __global const float* g, int go, __global float* out) {
    int i = get_global_id(0);
    if (i >= n) return;
    float xv = x[xo + offset_of(i, rank, meta, meta + rank)];
    float yv = y[yo + offset_of(i, rank, meta, meta + 2 * rank)];
    float gv = g[go + offset_of(i, rank, meta, meta + 3 * rank)];
    out[i] = gv * derivative(op, a, b, xv, yv);
}

// out[i] = op(x[i], y[i])
__kernel void zip_op(int op, int n, int rank, __global const int* meta,
                     __global const float* x, int xo, __global const float* y, int yo, __global float* out) {
    int i = get_global_id(0);
    if (i >= n) return;
    out[i] = binary(op, x[xo + offset_of(i, rank, meta, meta + rank)], y[yo + offset_of(i, rank, meta, meta + 2 * rank)]);
}

// out[i] = c[i] != 0 ? x[i] : y[i]
__kernel void where_op(int n, int rank, __global const int* meta, __global const float* c, int co,
                       __global const float* x, int xo, __global const float* y, int yo, __global float* out) {
    int i = get_global_id(0);
    if (i >= n) return;
    out[i] = c[co + offset_of(i, rank, meta, meta + rank)] != 0.0f
            ? x[xo + offset_of(i, rank, meta, meta + 2 * rank)]
            : y[yo + offset_of(i, rank, meta, meta + 3 * rank)];
}

// out[i] = x[i]: a strided view made contiguous
__kernel void copy_op(int n, int rank, __global const int* meta, __global const float* x, int xo, __global float* out) {
    int i = get_global_id(0);
    if (i >= n) return;
    out[i] = x[xo + offset_of(i, rank, meta, meta + rank)];
}

__kernel void fill_op(int n, float value, __global float* out) {
    int i = get_global_id(0);
    if (i >= n) return;
    out[i] = value;
}

// ReduceOp ordinals
#define R_SUM 0
#define R_MAX 1
#define R_MIN 2

inline float combine(int op, float acc, float x) {
    switch (op) {
        case R_SUM: return acc + x;
        case R_MAX: return (x > acc || isnan(x)) ? x : acc;
        default: return (x < acc || isnan(x)) ? x : acc;
    }
}

// One work-group per output element: each item folds a strided share of the reduced
// elements, then the group combines pairwise in local memory (local size a power of two).
// meta: kept shape, kept strides, reduced shape, reduced strides.
__kernel void reduce_op(int op, float identity, int red, int krank, int rrank, __global const int* meta,
                        __global const float* x, int xo, __global float* out, __local float* scratch) {
    int o = get_group_id(0), lid = get_local_id(0), ls = get_local_size(0);
    int base = xo + offset_of(o, krank, meta, meta + krank);
    __global const int* rshape = meta + 2 * krank;
    float acc = identity;
    for (int r = lid; r < red; r += ls) acc = combine(op, acc, x[base + offset_of(r, rrank, rshape, rshape + rrank)]);
    scratch[lid] = acc;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = ls / 2; s > 0; s >>= 1) {
        if (lid < s) scratch[lid] = combine(op, scratch[lid], scratch[lid + s]);
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (lid == 0) out[o] = scratch[0];
}
