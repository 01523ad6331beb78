package org.pdr4j.tensor.backend.cpu.simd;

import static org.pdr4j.tensor.backend.cpu.simd.SimdSpecies.F;
import static org.pdr4j.tensor.backend.cpu.simd.SimdSpecies.LANES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import org.pdr4j.tensor.Parallel;

/**
 * Single-precision GEMM on the Vector API, blocked and packed in the GotoBLAS/BLIS manner.
 *
 * <p>Large products: C is cut into a grid of one block per worker thread; each block runs the
 * loop nest {@code jc} over NC columns, {@code pc} over KC depth (pack a KC x NC block of op(B)
 * into NR-column micro-panels), {@code ic} over MC rows (pack alpha * op(A) into MR-row
 * micro-panels), {@code ir} over A micro-panels, {@code jr} over B micro-panels, calling a
 * 12 x 32 (MR x two vectors) register-blocked microkernel. Tiny products and those with at most
 * {@value #FEW} rows or columns take unpacked paths instead, where packing would cost more than
 * the arithmetic or the product is memory-bound.
 *
 * <p>Determinism: which path runs and how k is blocked depend only on the shape, and threads
 * only split rows or columns of C, never k, so every element of C is summed in the same order
 * for every run and every thread count.
 */
public final class Sgemm {
    private Sgemm() {}

    /** Microkernel rows (broadcast A values). */
    static final int MR = 12;
    /** Microkernel columns: two vectors. */
    static final int NR = 2 * LANES;
    /**
     * Depth of a packed block: the A micro-panel (MR x KC, 12 KiB) stays in L1 for a whole sweep
     * over the B block. 128..384 measured within noise of each other on Zen 4; 256 keeps the C
     * tile reloads per fma low.
     */
    static final int KC = 256;
    /** Rows of a packed A block (multiple of MR): 192 x 256 floats, 192 KiB, sits in L2. */
    static final int MC = 192 / MR * MR;
    /** Columns of a packed B block (multiple of NR): up to 4 MiB, streamed from L2/L3. */
    static final int NC = 4096 / NR * NR;
    /**
     * At or below this m*n*k the unpacked path wins: packing costs more than it saves (measured:
     * about 70 GFLOP/s unpacked vs 60 packed at 64^3, the other way round from 96^3 up).
     */
    static final long SMALL_MNK = 80L * 80 * 80;
    /** Same for op(B) transposed, where the unpacked path must first transpose B. */
    static final long SMALL_MNK_TRANS_B = 48L * 48 * 48;
    /**
     * Below this m*n*k the packed path runs on one thread: a fork-join round trip costs ~30 us,
     * and two threads measured slower than one up to 192^3, faster from 256^3.
     */
    static final long PARALLEL_MNK = 224L * 224 * 224;
    /** The same for the memory-bound unpacked paths (two threads win from about 2 x 4096 x 256). */
    static final long PARALLEL_MNK_UNPACKED = 1L << 21;
    /** At most this many rows (or columns) take the unpacked GEMV-like paths. */
    static final int FEW = 4;
    /** Columns per GEMV chunk: FEW accumulator rows of this width stay in L1. */
    static final int GEMV_COLS = 1024;

    /** Per-thread packing buffers, reused across calls to avoid allocation churn. */
    private static final class Scratch {
        float[] a = new float[0];
        float[] b = new float[0];
        /** Accumulator rows of the GEMV path. */
        final float[] acc = new float[FEW * GEMV_COLS];
        /** Lanes of a dot product, summed in a fixed order. */
        final float[] lanes = new float[LANES];
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
        if (mnk <= (transB ? SMALL_MNK_TRANS_B : SMALL_MNK)) {
            small(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        } else if (m <= FEW && !transB) {
            // few rows (GEMV-like): memory-bound, so stream B once instead of packing it
            int blocks = (n + GEMV_COLS - 1) / GEMV_COLS;
            Parallel.forRange(blocks, grain(mnk, blocks), (s, e) -> gemvRows(transA, m, k, alpha, a, aOff, lda,
                    b, bOff, ldb, beta, c, cOff, ldc, s * GEMV_COLS, Math.min(n, e * GEMV_COLS)));
        } else if ((m <= FEW && transB) || (n <= FEW && !transA)) {
            // few rows against op(B) columns that are rows of b, or few columns: dot products
            dots(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
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
            for (int p = 0; p < k; p++) { // sequential stores, strided loads: cheaper than the reverse
                int dst = p * n, src = bOff + p;
                for (int j = 0; j < n; j++) bt[dst + j] = b[src + j * ldb];
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

    /** Parallel grain for an unpacked path: split only when the product is big enough to pay. */
    private static int grain(long mnk, int items) {
        return mnk >= PARALLEL_MNK_UNPACKED ? 1 : items;
    }

    /**
     * Up to FEW rows of C, columns [j0, j1), op(B) row-major: for each p the B row is streamed
     * once (contiguous, prefetch-friendly) into accumulator rows held in L1, so every element gets
     * the same fma sequence over p as in {@link #rowsNN}.
     */
    private static void gemvRows(boolean transA, int m, int k, float alpha, float[] a, int aOff, int lda,
            float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc, int j0, int j1) {
        int si = transA ? 1 : lda, sp = transA ? lda : 1; // A(i,p) = a[aOff + i*si + p*sp]
        float[] acc = SCRATCH.get().acc;
        for (int jc = j0; jc < j1; jc += GEMV_COLS) {
            int w = Math.min(GEMV_COLS, j1 - jc);
            java.util.Arrays.fill(acc, 0, m * GEMV_COLS, 0f);
            for (int p = 0; p < k; p++) {
                int bRow = bOff + p * ldb + jc, ia = aOff + p * sp;
                for (int i = 0; i < m; i++) {
                    FloatVector av = FloatVector.broadcast(F, a[ia + i * si]);
                    int row = i * GEMV_COLS, j = 0;
                    for (; j <= w - LANES; j += LANES) {
                        av.fma(FloatVector.fromArray(F, b, bRow + j), FloatVector.fromArray(F, acc, row + j))
                                .intoArray(acc, row + j);
                    }
                    if (j < w) {
                        VectorMask<Float> mask = F.indexInRange(j, w);
                        av.fma(FloatVector.fromArray(F, b, bRow + j, mask), FloatVector.fromArray(F, acc, row + j))
                                .intoArray(acc, row + j, mask);
                    }
                }
            }
            for (int i = 0; i < m; i++) {
                int ci = cOff + i * ldc + jc, row = i * GEMV_COLS;
                for (int j = 0; j < w; j += LANES) {
                    storeMasked(c, ci + j, alpha, beta, FloatVector.fromArray(F, acc, row + j), F.indexInRange(j, w));
                }
            }
        }
    }

    /**
     * C(i,j) = alpha * dot(A row i, op(B) column j) + beta * C(i,j), both operands contiguous in p;
     * the side that is not (only ever the FEW-wide one) is copied first. Lane partial sums are
     * added in a fixed scalar order, since a vector reduceLanes may be reassociated by the JIT.
     */
    private static void dots(boolean transA, boolean transB, int m, int n, int k, float alpha,
            float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta,
            float[] c, int cOff, int ldc) {
        if (transA) { // m <= FEW here: copy op(A) rows
            float[] at = new float[m * k];
            for (int p = 0; p < k; p++) for (int i = 0; i < m; i++) at[i * k + p] = a[aOff + p * lda + i];
            a = at;
            aOff = 0;
            lda = k;
        }
        if (!transB) { // n <= FEW here: copy op(B) columns
            float[] bt = new float[n * k];
            for (int p = 0; p < k; p++) for (int j = 0; j < n; j++) bt[j * k + p] = b[bOff + p * ldb + j];
            b = bt;
            bOff = 0;
            ldb = k;
        }
        float[] fa = a, fb = b;
        int fao = aOff, fla = lda, fbo = bOff, flb = ldb;
        long mnk = (long) m * n * k;
        if (m >= n) {
            Parallel.forRange(m, grain(mnk, m), (s, e) -> dotRange(k, alpha, fa, fao, fla, fb, fbo, flb, beta, c, cOff, ldc, s, e, 0, n));
        } else {
            Parallel.forRange(n, grain(mnk, n), (s, e) -> dotRange(k, alpha, fa, fao, fla, fb, fbo, flb, beta, c, cOff, ldc, 0, m, s, e));
        }
    }

    private static void dotRange(int k, float alpha, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
            float beta, float[] c, int cOff, int ldc, int i0, int i1, int j0, int j1) {
        float[] lanes = SCRATCH.get().lanes;
        int kv = k - k % LANES;
        for (int i = i0; i < i1; i++) {
            int ar = aOff + i * lda;
            for (int j = j0; j < j1; j++) {
                int br = bOff + j * ldb;
                FloatVector acc = FloatVector.zero(F);
                for (int p = 0; p < kv; p += LANES) {
                    acc = FloatVector.fromArray(F, a, ar + p).fma(FloatVector.fromArray(F, b, br + p), acc);
                }
                acc.intoArray(lanes, 0);
                float sum = 0f;
                for (int l = 0; l < LANES; l++) sum += lanes[l];
                for (int p = kv; p < k; p++) sum = Math.fma(a[ar + p], b[br + p], sum);
                float x = alpha * sum;
                int ci = cOff + i * ldc + j;
                c[ci] = beta == 0f ? x : Math.fma(c[ci], beta, x);
            }
        }
    }

    // ---------------------------------------------------------------- blocked / packed path

    /**
     * Splits C into a grid of at most {@link Parallel#threads()} blocks (rows in whole MR panels,
     * columns in whole NR panels), one fork for the whole product, each block running the serial
     * algorithm with its own packing buffers. A block packs only its own rows of A and columns of
     * B, so the grid shape is chosen to keep the slowest block's packing plus compute smallest.
     */
    private static void blocked(boolean transA, boolean transB, int m, int n, int k, float alpha,
            float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta,
            float[] c, int cOff, int ldc) {
        int threads = (long) m * n * k >= PARALLEL_MNK ? Parallel.threads() : 1;
        int mPanels = (m + MR - 1) / MR, nPanels = (n + NR - 1) / NR;
        int bestTm = 1, bestTn = 1;
        double best = Double.MAX_VALUE;
        for (int tm = 1; tm <= Math.min(threads, mPanels); tm++) {
            for (int tn = 1; tm * tn <= threads && tn <= nPanels; tn++) {
                // per-block cost in units of k: packed floats (~1 cycle each) + fma cycles
                double rows = (double) ((mPanels + tm - 1) / tm) * MR, cols = (double) ((nPanels + tn - 1) / tn) * NR;
                double cost = rows + cols + rows * cols / (2 * LANES);
                if (cost < best) {
                    best = cost;
                    bestTm = tm;
                    bestTn = tn;
                }
            }
        }
        int tm = bestTm, tn = bestTn;
        if (tm * tn == 1) {
            block(transA, transB, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, 0, m, 0, n);
            return;
        }
        Parallel.forChunks(tm * tn, tm * tn, (s, e) -> {
            for (int t = s; t < e; t++) {
                int ti = t / tn, tj = t % tn;
                int i0 = (int) ((long) mPanels * ti / tm) * MR, i1 = Math.min(m, (int) ((long) mPanels * (ti + 1) / tm) * MR);
                int j0 = (int) ((long) nPanels * tj / tn) * NR, j1 = Math.min(n, (int) ((long) nPanels * (tj + 1) / tn) * NR);
                block(transA, transB, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, i0, i1, j0, j1);
            }
        });
    }

    /** The serial GotoBLAS loop nest over C rows [i0, i1) and columns [j0, j1). */
    private static void block(boolean transA, boolean transB, int k, float alpha,
            float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta,
            float[] c, int cOff, int ldc, int i0, int i1, int j0, int j1) {
        // beta is applied once up front and alpha while packing A, so the microkernel is a pure
        // C += A*B over each depth block (accumulators start from C, or from 0 when beta is 0).
        if (beta != 0f && beta != 1f) scale(i1 - i0, j1 - j0, beta, c, cOff + i0 * ldc + j0, ldc);
        Scratch s = SCRATCH.get();
        float[] tile = s.tile;
        for (int jc = j0; jc < j1; jc += NC) {
            int nc = Math.min(NC, j1 - jc), panels = (nc + NR - 1) / NR;
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                boolean load = pc > 0 || beta != 0f;
                float[] bp = s.b(panels * NR * kc), ap = s.a(MC * kc);
                packB(transB, b, bOff, ldb, jc, nc, pc, kc, bp);
                for (int ic = i0; ic < i1; ic += MC) {
                    int mc = Math.min(MC, i1 - ic);
                    packA(transA, alpha, a, aOff, lda, ic, mc, pc, kc, ap);
                    // ir outside jr: the A micro-panel (MR x kc) stays in L1 while B micro-panels
                    // stream from L2 (measured faster here than the BLIS order, whose NR x KC B
                    // panel alone fills L1)
                    for (int ir = 0; ir < mc; ir += MR) {
                        int mr = Math.min(MR, mc - ir), ai = ir * kc, row = cOff + (ic + ir) * ldc;
                        for (int jp = 0; jp < panels; jp++) {
                            int nr = Math.min(NR, nc - jp * NR), bi = jp * NR * kc, ci = row + jc + jp * NR;
                            if (mr == MR && nr == NR) {
                                kernel(kc, ap, ai, bp, bi, c, ci, ldc, load);
                            } else {
                                // edge tile: the full kernel on a scratch copy, only the valid part kept
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

    /** Packs op(B)[pc:pc+kc, jc:jc+nc] as NR-column micro-panels (panel, then p, then column). */
    private static void packB(boolean transB, float[] b, int bOff, int ldb, int jc, int nc, int pc, int kc, float[] bp) {
        for (int jp = 0; jp * NR < nc; jp++) {
            int j0 = jc + jp * NR, cols = Math.min(NR, nc - jp * NR), base = jp * NR * kc;
            if (transB) {
                // op(B) row p of this panel is a column of b. Transpose in 16-deep slabs so the
                // 16 packed rows being written stay in L1 while each source row yields one line.
                for (int p0 = 0; p0 < kc; p0 += 16) {
                    int pn = Math.min(16, kc - p0);
                    for (int jj = 0; jj < cols; jj++) {
                        int src = bOff + (j0 + jj) * ldb + pc + p0, dst = base + p0 * NR + jj;
                        for (int q = 0; q < pn; q++) bp[dst + q * NR] = b[src + q];
                    }
                    for (int jj = cols; jj < NR; jj++) {
                        for (int q = 0; q < pn; q++) bp[base + (p0 + q) * NR + jj] = 0f;
                    }
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

    /**
     * C tile (12 rows x 2 vectors at c[ci], row stride ldc) = (load ? C tile : 0) + packed A
     * micro-panel x packed B micro-panel over kc steps.
     *
     * <p>Straight-line code with one local per accumulator (no arrays of vectors) so C2 keeps the
     * 24 accumulators, two B vectors and the A broadcasts in the 32 zmm registers. There is no
     * alpha/beta here on purpose: with them (a store helper per row) C2 hit its inlining node
     * limit, boxed the vectors and ran at 10 GFLOP/s; alpha is folded into packed A and beta
     * applied up front instead.
     */
    private static void kernel(int kc, float[] ap, int ai, float[] bp, int bi,
            float[] c, int ci, int ldc, boolean load) {
        FloatVector c0a, c0b;
        FloatVector c1a, c1b;
        FloatVector c2a, c2b;
        FloatVector c3a, c3b;
        FloatVector c4a, c4b;
        FloatVector c5a, c5b;
        FloatVector c6a, c6b;
        FloatVector c7a, c7b;
        FloatVector c8a, c8b;
        FloatVector c9a, c9b;
        FloatVector c10a, c10b;
        FloatVector c11a, c11b;
        if (load) {
            c0a = FloatVector.fromArray(F, c, ci); c0b = FloatVector.fromArray(F, c, ci + LANES);
            c1a = FloatVector.fromArray(F, c, ci + ldc); c1b = FloatVector.fromArray(F, c, ci + ldc + LANES);
            c2a = FloatVector.fromArray(F, c, ci + 2 * ldc); c2b = FloatVector.fromArray(F, c, ci + 2 * ldc + LANES);
            c3a = FloatVector.fromArray(F, c, ci + 3 * ldc); c3b = FloatVector.fromArray(F, c, ci + 3 * ldc + LANES);
            c4a = FloatVector.fromArray(F, c, ci + 4 * ldc); c4b = FloatVector.fromArray(F, c, ci + 4 * ldc + LANES);
            c5a = FloatVector.fromArray(F, c, ci + 5 * ldc); c5b = FloatVector.fromArray(F, c, ci + 5 * ldc + LANES);
            c6a = FloatVector.fromArray(F, c, ci + 6 * ldc); c6b = FloatVector.fromArray(F, c, ci + 6 * ldc + LANES);
            c7a = FloatVector.fromArray(F, c, ci + 7 * ldc); c7b = FloatVector.fromArray(F, c, ci + 7 * ldc + LANES);
            c8a = FloatVector.fromArray(F, c, ci + 8 * ldc); c8b = FloatVector.fromArray(F, c, ci + 8 * ldc + LANES);
            c9a = FloatVector.fromArray(F, c, ci + 9 * ldc); c9b = FloatVector.fromArray(F, c, ci + 9 * ldc + LANES);
            c10a = FloatVector.fromArray(F, c, ci + 10 * ldc); c10b = FloatVector.fromArray(F, c, ci + 10 * ldc + LANES);
            c11a = FloatVector.fromArray(F, c, ci + 11 * ldc); c11b = FloatVector.fromArray(F, c, ci + 11 * ldc + LANES);
        } else {
            c0a = FloatVector.zero(F); c0b = FloatVector.zero(F);
            c1a = c0a; c1b = c0a;
            c2a = c0a; c2b = c0a;
            c3a = c0a; c3b = c0a;
            c4a = c0a; c4b = c0a;
            c5a = c0a; c5b = c0a;
            c6a = c0a; c6b = c0a;
            c7a = c0a; c7b = c0a;
            c8a = c0a; c8b = c0a;
            c9a = c0a; c9b = c0a;
            c10a = c0a; c10b = c0a;
            c11a = c0a; c11b = c0a;
        }
        for (int p = 0; p < kc; p++) {
            int ia = ai + p * MR, ib = bi + p * NR;
            FloatVector b0 = FloatVector.fromArray(F, bp, ib);
            FloatVector b1 = FloatVector.fromArray(F, bp, ib + LANES);
            FloatVector a0 = FloatVector.broadcast(F, ap[ia]);
            c0a = a0.fma(b0, c0a); c0b = a0.fma(b1, c0b);
            FloatVector a1 = FloatVector.broadcast(F, ap[ia + 1]);
            c1a = a1.fma(b0, c1a); c1b = a1.fma(b1, c1b);
            FloatVector a2 = FloatVector.broadcast(F, ap[ia + 2]);
            c2a = a2.fma(b0, c2a); c2b = a2.fma(b1, c2b);
            FloatVector a3 = FloatVector.broadcast(F, ap[ia + 3]);
            c3a = a3.fma(b0, c3a); c3b = a3.fma(b1, c3b);
            FloatVector a4 = FloatVector.broadcast(F, ap[ia + 4]);
            c4a = a4.fma(b0, c4a); c4b = a4.fma(b1, c4b);
            FloatVector a5 = FloatVector.broadcast(F, ap[ia + 5]);
            c5a = a5.fma(b0, c5a); c5b = a5.fma(b1, c5b);
            FloatVector a6 = FloatVector.broadcast(F, ap[ia + 6]);
            c6a = a6.fma(b0, c6a); c6b = a6.fma(b1, c6b);
            FloatVector a7 = FloatVector.broadcast(F, ap[ia + 7]);
            c7a = a7.fma(b0, c7a); c7b = a7.fma(b1, c7b);
            FloatVector a8 = FloatVector.broadcast(F, ap[ia + 8]);
            c8a = a8.fma(b0, c8a); c8b = a8.fma(b1, c8b);
            FloatVector a9 = FloatVector.broadcast(F, ap[ia + 9]);
            c9a = a9.fma(b0, c9a); c9b = a9.fma(b1, c9b);
            FloatVector a10 = FloatVector.broadcast(F, ap[ia + 10]);
            c10a = a10.fma(b0, c10a); c10b = a10.fma(b1, c10b);
            FloatVector a11 = FloatVector.broadcast(F, ap[ia + 11]);
            c11a = a11.fma(b0, c11a); c11b = a11.fma(b1, c11b);
        }
        c0a.intoArray(c, ci); c0b.intoArray(c, ci + LANES);
        c1a.intoArray(c, ci + ldc); c1b.intoArray(c, ci + ldc + LANES);
        c2a.intoArray(c, ci + 2 * ldc); c2b.intoArray(c, ci + 2 * ldc + LANES);
        c3a.intoArray(c, ci + 3 * ldc); c3b.intoArray(c, ci + 3 * ldc + LANES);
        c4a.intoArray(c, ci + 4 * ldc); c4b.intoArray(c, ci + 4 * ldc + LANES);
        c5a.intoArray(c, ci + 5 * ldc); c5b.intoArray(c, ci + 5 * ldc + LANES);
        c6a.intoArray(c, ci + 6 * ldc); c6b.intoArray(c, ci + 6 * ldc + LANES);
        c7a.intoArray(c, ci + 7 * ldc); c7b.intoArray(c, ci + 7 * ldc + LANES);
        c8a.intoArray(c, ci + 8 * ldc); c8b.intoArray(c, ci + 8 * ldc + LANES);
        c9a.intoArray(c, ci + 9 * ldc); c9b.intoArray(c, ci + 9 * ldc + LANES);
        c10a.intoArray(c, ci + 10 * ldc); c10b.intoArray(c, ci + 10 * ldc + LANES);
        c11a.intoArray(c, ci + 11 * ldc); c11b.intoArray(c, ci + 11 * ldc + LANES);
    }
}
