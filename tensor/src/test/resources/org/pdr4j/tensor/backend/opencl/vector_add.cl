// c = a + scale * b over n floats; the test kernel of the OpenCL runtime.
__kernel void vector_add(__global const float* a, __global const float* b, __global float* c,
                         const float scale, const int n) {
    int i = get_global_id(0);
    if (i >= n) return;
    c[i] = a[i] + scale * b[i];
}
