// Batched SGEMM of OpenClBackend: C[p] = A[p] * B[p] with A [B, M, K] and B [B, K, N] any
// strided views (batch stride 0 when broadcast) and C contiguous [B, M, N]. Each work-group
// computes a TS x TS tile of C, staging TS x TS tiles of A and B in local memory.
#ifndef TS
#define TS 16
#endif

__kernel void sgemm(int M, int N, int K,
                    __global const float* A, int ao, int a_sb, int a_sm, int a_sk,
                    __global const float* B, int bo, int b_sb, int b_sk, int b_sn,
                    __global float* C) {
    int col = get_global_id(0), row = get_global_id(1), p = get_global_id(2);
    int lc = get_local_id(0), lr = get_local_id(1);
    __local float As[TS][TS];
    __local float Bs[TS][TS + 1];
    int abase = ao + p * a_sb, bbase = bo + p * b_sb;
    float acc = 0.0f;
    for (int t = 0; t < K; t += TS) {
        int ak = t + lc, bk = t + lr;
        As[lr][lc] = (row < M && ak < K) ? A[abase + row * a_sm + ak * a_sk] : 0.0f;
        Bs[lr][lc] = (bk < K && col < N) ? B[bbase + bk * b_sk + col * b_sn] : 0.0f;
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int q = 0; q < TS; q++) acc += As[lr][q] * Bs[q][lc];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (row < M && col < N) C[(p * M + row) * N + col] = acc;
}
