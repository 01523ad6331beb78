package org.pdr4j.tensor;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;

/**
 * Intra-op parallelism: one fork-join pool sized to the cores (or {@code -Dpdr4j.threads=N} /
 * {@code PDR4J_THREADS}), created lazily.
 *
 * <p>Work is split into chunks whose boundaries depend only on the range and the chunk count,
 * never on scheduling, so a kernel that writes each output from exactly one chunk gives the same
 * bits on every run with the same thread count.
 */
public final class Parallel {
    private Parallel() {}

    /** Body of a parallel loop over {@code [start, end)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int start, int end);
    }

    private static volatile int threads = PdrConfig.threads();
    private static volatile ForkJoinPool pool;

    /** The number of worker threads intra-op kernels may use (at least 1). */
    public static int threads() {
        return threads;
    }

    /** Sets the thread count for later kernels; 1 runs everything on the caller. */
    public static synchronized void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("threads must be >= 1, got " + n);
        if (n != threads) {
            ForkJoinPool old = pool;
            pool = null;
            threads = n;
            if (old != null) old.shutdown();
        }
    }

    private static ForkJoinPool pool() {
        ForkJoinPool p = pool;
        if (p == null) {
            synchronized (Parallel.class) {
                p = pool;
                if (p == null) {
                    p = new ForkJoinPool(threads, pool -> {
                        var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
                        t.setName("pdr4j-worker-" + t.getPoolIndex());
                        t.setDaemon(true);
                        return t;
                    }, null, false);
                    pool = p;
                }
            }
        }
        return p;
    }

    /**
     * Runs {@code body} over {@code [0, n)} split into at most {@link #threads()} chunks of at
     * least {@code grain} items each. Runs inline when one chunk suffices or when already inside
     * a worker (nested parallel loops do not oversubscribe).
     */
    public static void forRange(int n, int grain, RangeBody body) {
        if (n <= 0) return;
        int t = threads;
        int chunks = (int) Math.min(t, Math.max(1, n / (long) Math.max(1, grain)));
        if (chunks <= 1 || ForkJoinTask.inForkJoinPool()) {
            body.run(0, n);
            return;
        }
        forChunks(n, chunks, body);
    }

    /** Runs {@code body} over {@code [0, n)} in exactly {@code min(chunks, n)} contiguous chunks. */
    public static void forChunks(int n, int chunks, RangeBody body) {
        if (n <= 0) return;
        int c = Math.min(chunks, n);
        if (c <= 1 || ForkJoinTask.inForkJoinPool()) {
            body.run(0, n);
            return;
        }
        ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[c];
        ForkJoinPool p = pool();
        for (int i = 0; i < c; i++) {
            int s = (int) ((long) n * i / c), e = (int) ((long) n * (i + 1) / c);
            tasks[i] = p.submit(new RecursiveAction() {
                @Override protected void compute() { body.run(s, e); }
            });
        }
        RuntimeException first = null;
        for (ForkJoinTask<?> task : tasks) {
            try {
                task.join();
            } catch (RuntimeException ex) {
                if (first == null) first = ex;
            }
        }
        if (first != null) throw first;
    }
}
