package org.pdr4j.tensor.backend.cpu.simd;

import static org.pdr4j.tensor.backend.cpu.simd.SimdSpecies.F;
import static org.pdr4j.tensor.backend.cpu.simd.SimdSpecies.LANES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import org.pdr4j.tensor.Parallel;

/**
 * Single-precision GEMM on the Vector API, blocked and packed in the GotoBLAS/BLIS manner.
 *
 * <p>Loop nest (outer to inner): {@code jc} over NC columns, {@code pc} over KC depth (pack a
 * KC x NC block of B into NR-column micro-panels), {@code ic} over MC rows (pack an MC x KC block of
 * A into MR-row micro-panels), {@code jr} over B micro-panels (one stays in L1), {@code ir} over A
 * micro-panels (streamed from L2) calling an MR x NR register-blocked microkernel.
 *
 * <p>Determinism: every element of C is accumulated over k in the same order (KC blocks in
 * sequence, one fma chain per block) whatever the thread count, because threads only split the
 * rows or the column panels of C, never k.
 */
public final class Sgemm {
    private Sgemm() {}

    /** Microkernel rows (broadcast A values). */
    static final int MR = 8;
    /** Microkernel columns: two vectors. */
    static final int NR = 3 * LANES;
    /** Depth of a packed block. */
    static final int KC = Integer.getInteger("sgemm.kc", 256);
    /** Rows of a packed A block (multiple of MR) sized for L2. */
    static final int MC = Integer.getInteger("sgemm.mc", 192 / MR) * MR;
    /** Columns of a packed B block (multiple of NR) sized for L3. */
    static final int NC = Integer.getInteger("sgemm.nc", 4096 / NR) * NR;
    /** At or below this m*n*k the unpacked path wins: packing would cost more than it saves. */
    static final long SMALL_MNK = Long.getLong("sgemm.small", 32L * 32 * 32);
    /** Below this m*n*k one thread does it all: forking costs more than it gains. */
    static final int BOFF = Integer.getInteger("sgemm.boff", 0);
    static final long PARALLEL_MNK = 64L * 64 * 64;

    /** Per-thread packing buffers, reused across calls to avoid allocation churn. */
    private static final class Scratch {
        float[] a = new float[0];
        float[] b = new float[0];
        /** Edge tiles run the full kernel here and copy back only their valid part. */
        final float[] tile = new float[MR * NR];

        float[] a(int size) {
            if (a.length < size) a = new float[size];
            return a;
        }

        float[] b(int size) {
            if (b.length < size) b = new float[size];
            return b;
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /**
     * C = alpha * op(A) * op(B) + beta * C on row-major arrays.
     *
     * <p>op(A) is [m,k]: element (i,p) is {@code a[aOff + i*lda + p]} when {@code !transA},
     * {@code a[aOff + p*lda + i]} when {@code transA}. op(B) is [k,n]: element (p,j) is
     * {@code b[bOff + p*ldb + j]} when {@code !transB}, {@code b[bOff + j*ldb + p]} when
     * {@code transB}. C element (i,j) is {@code c[cOff + i*ldc + j]}. When {@code beta == 0} C is
     * only written, never read (it may hold NaN).
     *
     * <p>Uses {@link Parallel#threads()} workers for large products. Each C element is summed in a
     * fixed order, so results are bit-identical from run to run.
     *
     * @throws IllegalArgumentException if a dimension is negative or a leading dimension is
     *     smaller than the row width it strides over
     */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
            float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta,
            float[] c, int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("negative dimension: m=" + m + " n=" + n + " k=" + k);
        }
        if (lda < (transA ? m : k) || ldb < (transB ? k : n) || ldc < n) {
            throw new IllegalArgumentException("leading dimension too small: lda=" + lda + " ldb=" + ldb
                    + " ldc=" + ldc + " for m=" + m + " n=" + n + " k=" + k);
        }
        if (m == 0 || n == 0) return;
        if (k == 0 || alpha == 0f) {
            scale(m, n, beta, c, cOff, ldc);
            return;
        }
        long mnk = (long) m * n * k;
        if (mnk <= SMALL_MNK) {
            small(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        } else if (m <= 4 && !transB) {
            // GEMV-like: packing B would double the memory traffic of a memory-bound product.
            int grain = mnk >= PARALLEL_MNK ? Math.max(LANES, (int) (PARALLEL_MNK / ((long) m * k))) : n;
            Parallel.forRange(n, grain, (s, e) -> {
                int s0 = s / LANES * LANES, e0 = e == n ? n : e / LANES * LANES; // vector-aligned
                if (s0 < e0) rowsNN(transA, m, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, s0, e0);
            });
        } else {
            blocked(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        }
    }

    /** C = beta * C (C = 0 when beta is 0, so NaN in C does not survive). */
    private static void scale(int m, int n, float beta, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            int row = cOff + i * ldc;
            for (int j = 0; j < n; j++) c[row + j] = beta == 0f ? 0f : beta * c[row + j];
        }
    }

    // ---------------------------------------------------------------- small / unpacked path

    /** Unpacked path for tiny products; op(B) transposed into scratch first so rows are contiguous. */
    private static void small(boolean transA, boolean transB, int m, int n, int k, float alpha,
            float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta,
            float[] c, int cOff, int ldc) {
        if (transB) {
            float[] bt = SCRATCH.get().b(k * n); // k*n <= m*n*k <= SMALL_MNK, so bounded
            for (int j = 0; j < n; j++) {
                int src = bOff + j * ldb;
                for (int p = 0; p < k; p++) bt[p * n + j] = b[src + p];
            }
            b = bt;
            bOff = 0;
            ldb = n;
        }
        rowsNN(transA, m, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, 0, n);
    }

    /**
     * Columns [j0, j1) of C for row-major op(B): four rows at a time, one vector of columns per
     * step, accumulating over p in registers (four independent fma chains hide the fma latency).
     */
    private static void rowsNN(boolean transA, int m, int k, float alpha, float[] a, int aOff, int lda,
            float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc, int j0, int j1) {
        int si = transA ? 1 : lda, sp = transA ? lda : 1; // A(i,p) = a[aOff + i*si + p*sp]
        for (int j = j0; j < j1; j += LANES) {
            VectorMask<Float> mask = F.indexInRange(j, j1);
            int i = 0;
            for (; i + 4 <= m; i += 4) {
                FloatVector c0 = FloatVector.zero(F), c1 = c0, c2 = c0, c3 = c0;
                int ai = aOff + i * si;
                for (int p = 0; p < k; p++) {
                    FloatVector bv = FloatVector.fromArray(F, b, bOff + p * ldb + j, mask);
                    int ia = ai + p * sp;
                    c0 = FloatVector.broadcast(F, a[ia]).fma(bv, c0);
                    c1 = FloatVector.broadcast(F, a[ia + si]).fma(bv, c1);
                    c2 = FloatVector.broadcast(F, a[ia + 2 * si]).fma(bv, c2);
                    c3 = FloatVector.broadcast(F, a[ia + 3 * si]).fma(bv, c3);
                }
                int ci = cOff + i * ldc + j;
                storeMasked(c, ci, alpha, beta, c0, mask);
                storeMasked(c, ci + ldc, alpha, beta, c1, mask);
                storeMasked(c, ci + 2 * ldc, alpha, beta, c2, mask);
                storeMasked(c, ci + 3 * ldc, alpha, beta, c3, mask);
            }
            for (; i < m; i++) {
                FloatVector c0 = FloatVector.zero(F);
                int ai = aOff + i * si;
                for (int p = 0; p < k; p++) {
                    FloatVector bv = FloatVector.fromArray(F, b, bOff + p * ldb + j, mask);
                    c0 = FloatVector.broadcast(F, a[ai + p * sp]).fma(bv, c0);
                }
                storeMasked(c, cOff + i * ldc + j, alpha, beta, c0, mask);
            }
        }
    }

    private static void storeMasked(float[] c, int ci, float alpha, float beta, FloatVector x, VectorMask<Float> mask) {
        x = x.mul(alpha);
        if (beta != 0f) x = FloatVector.fromArray(F, c, ci, mask).fma(FloatVector.broadcast(F, beta), x);
        x.intoArray(c, ci, mask);
    }

    // ---------------------------------------------------------------- blocked / packed path

    private static void blocked(boolean transA, boolean transB, int m, int n, int k, float alpha,
            float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta,
            float[] c, int cOff, int ldc) {
        // beta is applied once up front and alpha while packing A, so the microkernel is a pure
        // C += A*B over each depth block (accumulators start from C, or from 0 when beta is 0).
        if (beta != 0f && beta != 1f) scale(m, n, beta, c, cOff, ldc);
        boolean parallel = Parallel.threads() > 1 && (long) m * n * k >= PARALLEL_MNK;
        int threads = parallel ? Parallel.threads() : 1;
        int mPanels = (m + MR - 1) / MR;
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc), panels = (nc + NR - 1) / NR;
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc), jcF = jc, pcF = pc;
                boolean load = pc > 0 || beta != 0f;
                float[] bp = SCRATCH.get().b(panels * NR * kc + BOFF);
                Parallel.forChunks(panels, threads, (s, e) ->
                        packB(transB, b, bOff, ldb, n, jcF, pcF, kc, s, e, bp));
                if (mPanels >= 2 * threads || panels < threads) {
                    // split rows (in whole micro-panels): each worker packs only its own A rows
                    Parallel.forChunks(mPanels, threads, (s, e) -> compute(transA, n, alpha, a, aOff, lda, bp,
                            load, c, cOff, ldc, s * MR, Math.min(m, e * MR), jcF, pcF, kc, 0, panels));
                } else {
                    // few rows, many columns: split B panels, each worker packs all of (the small) A
                    Parallel.forChunks(panels, threads, (s, e) -> compute(transA, n, alpha, a, aOff, lda, bp,
                            load, c, cOff, ldc, 0, m, jcF, pcF, kc, s, e));
                }
            }
        }
    }

    /** Rows [i0, i1) of C against B micro-panels [p0, p1) of the packed block at (jc, pc). */
    private static void compute(boolean transA, int n, float alpha, float[] a, int aOff, int lda,
            float[] bp, boolean load, float[] c, int cOff, int ldc,
            int i0, int i1, int jc, int pc, int kc, int p0, int p1) {
        Scratch s = SCRATCH.get();
        float[] ap = s.a(MC * kc);
        float[] tile = s.tile;
        for (int ic = i0; ic < i1; ic += MC) {
            int mc = Math.min(MC, i1 - ic);
            packA(transA, alpha, a, aOff, lda, ic, mc, pc, kc, ap);
            // ir outside jr: the A micro-panel (MR x kc) stays in L1 while B micro-panels stream
            // from L2 (measured faster here than the BLIS order, whose NR x KC B panel fills L1)
            for (int ir = 0; ir < mc; ir += MR) {
                int mr = Math.min(MR, mc - ir), ai = ir * kc, row = cOff + (ic + ir) * ldc;
                for (int jp = p0; jp < p1; jp++) {
                    int j = jc + jp * NR, nr = Math.min(NR, n - j), bi = jp * NR * kc + BOFF, ci = row + j;
                    if (mr == MR && nr == NR) {
                        kernel(kc, ap, ai, bp, bi, c, ci, ldc, load);
                    } else {
                        // edge tile: run the full kernel on a scratch copy, keep only the valid part
                        if (load) {
                            for (int r = 0; r < mr; r++) System.arraycopy(c, ci + r * ldc, tile, r * NR, nr);
                        }
                        kernel(kc, ap, ai, bp, bi, tile, 0, NR, load);
                        for (int r = 0; r < mr; r++) System.arraycopy(tile, r * NR, c, ci + r * ldc, nr);
                    }
                }
            }
        }
    }

    /**
     * Packs alpha * op(A)[ic:ic+mc, pc:pc+kc] as MR-row micro-panels (panel, then p, then row),
     * zero-padding the last panel.
     */
    private static void packA(boolean transA, float alpha, float[] a, int aOff, int lda, int ic, int mc,
            int pc, int kc, float[] ap) {
        for (int ir = 0; ir < mc; ir += MR) {
            int rows = Math.min(MR, mc - ir), base = ir * kc;
            if (transA) {
                // op(A) column p is contiguous in a: copy MR floats per p
                for (int p = 0; p < kc; p++) {
                    int src = aOff + (pc + p) * lda + ic + ir, dst = base + p * MR;
                    for (int r = 0; r < rows; r++) ap[dst + r] = alpha * a[src + r];
                    for (int r = rows; r < MR; r++) ap[dst + r] = 0f;
                }
            } else {
                for (int r = 0; r < rows; r++) {
                    int src = aOff + (ic + ir + r) * lda + pc, dst = base + r;
                    for (int p = 0; p < kc; p++) ap[dst + p * MR] = alpha * a[src + p];
                }
                for (int r = rows; r < MR; r++) {
                    for (int p = 0; p < kc; p++) ap[base + r + p * MR] = 0f;
                }
            }
        }
    }

    /** Packs micro-panels [p0, p1) of op(B)[pc:pc+kc, jc:jc+NC] as NR-column panels: p, then column. */
    private static void packB(boolean transB, float[] b, int bOff, int ldb, int n, int jc, int pc, int kc,
            int p0, int p1, float[] bp) {
        for (int jp = p0; jp < p1; jp++) {
            int j0 = jc + jp * NR, cols = Math.min(NR, n - j0), base = jp * NR * kc + BOFF;
            if (transB) {
                for (int jj = 0; jj < cols; jj++) {
                    int src = bOff + (j0 + jj) * ldb + pc, dst = base + jj;
                    for (int p = 0; p < kc; p++) bp[dst + p * NR] = b[src + p];
                }
                for (int jj = cols; jj < NR; jj++) {
                    for (int p = 0; p < kc; p++) bp[base + jj + p * NR] = 0f;
                }
            } else if (cols == NR) {
                for (int p = 0; p < kc; p++) {
                    int src = bOff + (pc + p) * ldb + j0, dst = base + p * NR;
                    for (int v = 0; v < NR; v += LANES) FloatVector.fromArray(F, b, src + v).intoArray(bp, dst + v);
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    int src = bOff + (pc + p) * ldb + j0, dst = base + p * NR;
                    for (int jj = 0; jj < cols; jj++) bp[dst + jj] = b[src + jj];
                    for (int jj = cols; jj < NR; jj++) bp[dst + jj] = 0f;
                }
            }
        }
    }

    // ---------------------------------------------------------------- microkernel

    /*
     * Straight-line code with one local per accumulator (no arrays of vectors): C2 then keeps all
     * 24 accumulators, the two B vectors and the A broadcast in the 32 zmm registers.
     */
    /**
     * C tile (8 rows x 3 vectors at c[ci], row stride ldc) = (load ? C tile : 0) + packed A
     * micro-panel x packed B micro-panel over kc steps.
     */
    private static void kernel(int kc, float[] ap, int ai, float[] bp, int bi,
            float[] c, int ci, int ldc, boolean load) {
        FloatVector c0a, c0b, c0c;
        FloatVector c1a, c1b, c1c;
        FloatVector c2a, c2b, c2c;
        FloatVector c3a, c3b, c3c;
        FloatVector c4a, c4b, c4c;
        FloatVector c5a, c5b, c5c;
        FloatVector c6a, c6b, c6c;
        FloatVector c7a, c7b, c7c;
        if (load) {
            c0a = FloatVector.fromArray(F, c, ci); c0b = FloatVector.fromArray(F, c, ci + LANES); c0c = FloatVector.fromArray(F, c, ci + 2 * LANES);
            c1a = FloatVector.fromArray(F, c, ci + ldc); c1b = FloatVector.fromArray(F, c, ci + ldc + LANES); c1c = FloatVector.fromArray(F, c, ci + ldc + 2 * LANES);
            c2a = FloatVector.fromArray(F, c, ci + 2 * ldc); c2b = FloatVector.fromArray(F, c, ci + 2 * ldc + LANES); c2c = FloatVector.fromArray(F, c, ci + 2 * ldc + 2 * LANES);
            c3a = FloatVector.fromArray(F, c, ci + 3 * ldc); c3b = FloatVector.fromArray(F, c, ci + 3 * ldc + LANES); c3c = FloatVector.fromArray(F, c, ci + 3 * ldc + 2 * LANES);
            c4a = FloatVector.fromArray(F, c, ci + 4 * ldc); c4b = FloatVector.fromArray(F, c, ci + 4 * ldc + LANES); c4c = FloatVector.fromArray(F, c, ci + 4 * ldc + 2 * LANES);
            c5a = FloatVector.fromArray(F, c, ci + 5 * ldc); c5b = FloatVector.fromArray(F, c, ci + 5 * ldc + LANES); c5c = FloatVector.fromArray(F, c, ci + 5 * ldc + 2 * LANES);
            c6a = FloatVector.fromArray(F, c, ci + 6 * ldc); c6b = FloatVector.fromArray(F, c, ci + 6 * ldc + LANES); c6c = FloatVector.fromArray(F, c, ci + 6 * ldc + 2 * LANES);
            c7a = FloatVector.fromArray(F, c, ci + 7 * ldc); c7b = FloatVector.fromArray(F, c, ci + 7 * ldc + LANES); c7c = FloatVector.fromArray(F, c, ci + 7 * ldc + 2 * LANES);
        } else {
            c0a = FloatVector.zero(F); c0b = FloatVector.zero(F); c0c = FloatVector.zero(F);
            c1a = c0a; c1b = c0a; c1c = c0a;
            c2a = c0a; c2b = c0a; c2c = c0a;
            c3a = c0a; c3b = c0a; c3c = c0a;
            c4a = c0a; c4b = c0a; c4c = c0a;
            c5a = c0a; c5b = c0a; c5c = c0a;
            c6a = c0a; c6b = c0a; c6c = c0a;
            c7a = c0a; c7b = c0a; c7c = c0a;
        }
        for (int p = 0; p < kc; p++) {
            int ia = ai + p * MR, ib = bi + p * NR;
            FloatVector b0 = FloatVector.fromArray(F, bp, ib);
            FloatVector b1 = FloatVector.fromArray(F, bp, ib + LANES);
            FloatVector b2 = FloatVector.fromArray(F, bp, ib + 2 * LANES);
            FloatVector a0 = FloatVector.broadcast(F, ap[ia]);
            c0a = a0.fma(b0, c0a); c0b = a0.fma(b1, c0b); c0c = a0.fma(b2, c0c);
            FloatVector a1 = FloatVector.broadcast(F, ap[ia + 1]);
            c1a = a1.fma(b0, c1a); c1b = a1.fma(b1, c1b); c1c = a1.fma(b2, c1c);
            FloatVector a2 = FloatVector.broadcast(F, ap[ia + 2]);
            c2a = a2.fma(b0, c2a); c2b = a2.fma(b1, c2b); c2c = a2.fma(b2, c2c);
            FloatVector a3 = FloatVector.broadcast(F, ap[ia + 3]);
            c3a = a3.fma(b0, c3a); c3b = a3.fma(b1, c3b); c3c = a3.fma(b2, c3c);
            FloatVector a4 = FloatVector.broadcast(F, ap[ia + 4]);
            c4a = a4.fma(b0, c4a); c4b = a4.fma(b1, c4b); c4c = a4.fma(b2, c4c);
            FloatVector a5 = FloatVector.broadcast(F, ap[ia + 5]);
            c5a = a5.fma(b0, c5a); c5b = a5.fma(b1, c5b); c5c = a5.fma(b2, c5c);
            FloatVector a6 = FloatVector.broadcast(F, ap[ia + 6]);
            c6a = a6.fma(b0, c6a); c6b = a6.fma(b1, c6b); c6c = a6.fma(b2, c6c);
            FloatVector a7 = FloatVector.broadcast(F, ap[ia + 7]);
            c7a = a7.fma(b0, c7a); c7b = a7.fma(b1, c7b); c7c = a7.fma(b2, c7c);
        }
        c0a.intoArray(c, ci); c0b.intoArray(c, ci + LANES); c0c.intoArray(c, ci + 2 * LANES);
        c1a.intoArray(c, ci + ldc); c1b.intoArray(c, ci + ldc + LANES); c1c.intoArray(c, ci + ldc + 2 * LANES);
        c2a.intoArray(c, ci + 2 * ldc); c2b.intoArray(c, ci + 2 * ldc + LANES); c2c.intoArray(c, ci + 2 * ldc + 2 * LANES);
        c3a.intoArray(c, ci + 3 * ldc); c3b.intoArray(c, ci + 3 * ldc + LANES); c3c.intoArray(c, ci + 3 * ldc + 2 * LANES);
        c4a.intoArray(c, ci + 4 * ldc); c4b.intoArray(c, ci + 4 * ldc + LANES); c4c.intoArray(c, ci + 4 * ldc + 2 * LANES);
        c5a.intoArray(c, ci + 5 * ldc); c5b.intoArray(c, ci + 5 * ldc + LANES); c5c.intoArray(c, ci + 5 * ldc + 2 * LANES);
        c6a.intoArray(c, ci + 6 * ldc); c6b.intoArray(c, ci + 6 * ldc + LANES); c6c.intoArray(c, ci + 6 * ldc + 2 * LANES);
        c7a.intoArray(c, ci + 7 * ldc); c7b.intoArray(c, ci + 7 * ldc + LANES); c7c.intoArray(c, ci + 7 * ldc + 2 * LANES);
    }
}
