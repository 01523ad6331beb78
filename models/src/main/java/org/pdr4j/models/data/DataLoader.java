package org.pdr4j.models.data;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import org.pdr4j.tensor.Shape;
import org.pdr4j.tensor.Storage;
import org.pdr4j.tensor.Tensor;

/**
 * Batches of a {@link Dataset}: float32 tensors {@code [B, Tin, C, H, W]} and {@code [B, Tout, C, H, W]}.
 *
 * <p>Epoch {@code e} visits the samples in the order of a Fisher-Yates permutation drawn from a
 * {@link SplittableRandom} seeded by mixing {@code (seed, e)} (or in index order without
 * shuffling); batch {@code i} of it holds positions {@code i*B ..} of that order. The last, short
 * batch is dropped with {@code dropLast}. So every batch is a pure function of
 * {@code (seed, epoch, index)}: {@link #batch(int, int)} computes one directly, and an iterator
 * started at batch {@code k} (or {@link Batches#skip skipped} to it) yields exactly what the
 * original run drew from there, which is how a resumed run continues.
 *
 * <p>With prefetch on (the default), one background thread fills the next batch while the caller
 * works on the current one; it only changes when a batch is computed, never what it holds.
 * {@link #close()} stops that thread; iterators still work afterwards, without prefetching.
 */
public final class DataLoader implements AutoCloseable {
    /**
     * One batch: {@code input [B, Tin, C, H, W]}, {@code target [B, Tout, C, H, W]}, where it sits
     * ({@code epoch}, {@code index} within the epoch) and the data set indices of its samples.
     */
    public record Batch(Tensor input, Tensor target, int epoch, int index, int[] samples) {
        /** Samples in this batch (B). */
        public int size() {
            return samples.length;
        }
    }

    private final Dataset data;
    private final int batchSize;
    private final boolean shuffle, dropLast, prefetch;
    private final long seed;
    private final Object lock = new Object();
    private ExecutorService executor; // guarded by lock; created on first prefetch
    private boolean closed; // guarded by lock

    private DataLoader(Builder b) {
        data = b.data;
        batchSize = b.batchSize;
        shuffle = b.shuffle;
        dropLast = b.dropLast;
        prefetch = b.prefetch;
        seed = b.seed;
    }

    /** A builder for a loader over {@code data} (batch 16, shuffled, last batch kept, seed 0, prefetch on). */
    public static Builder builder(Dataset data) {
        if (data == null) throw new IllegalArgumentException("data loader: data set must not be null");
        return new Builder(data);
    }

    /** The data set. */
    public Dataset dataset() {
        return data;
    }

    /** Samples per full batch (B). */
    public int batchSize() {
        return batchSize;
    }

    /** Batches in one epoch: {@code size / B} with dropLast, else rounded up. */
    public int batchesPerEpoch() {
        int n = data.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /** The order in which epoch {@code epoch} visits the data set's indices (a new array). */
    public int[] order(int epoch) {
        int n = data.size();
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        if (shuffle) {
            SplittableRandom rnd = new SplittableRandom(Seeds.stream(seed, 0x4c4f4144, epoch));
            for (int i = n - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int t = p[i];
                p[i] = p[j];
                p[j] = t;
            }
        }
        return p;
    }

    /** Batch {@code index} of epoch {@code epoch}, computed now on the calling thread. */
    public Batch batch(int epoch, int index) {
        checkIndex(index);
        return make(order(epoch), epoch, index);
    }

    /** The batches of epoch {@code epoch}, from the first. */
    public Batches epoch(int epoch) {
        return epoch(epoch, 0);
    }

    /** The batches of epoch {@code epoch} from batch {@code startBatch} ({@code 0..batchesPerEpoch()}). */
    public Batches epoch(int epoch, int startBatch) {
        if (startBatch < 0 || startBatch > batchesPerEpoch()) {
            throw new IllegalArgumentException("data loader: start batch " + startBatch + " out of range [0, " + batchesPerEpoch() + "]");
        }
        return new Batches((long) epoch * batchesPerEpoch() + startBatch, (long) epoch * batchesPerEpoch() + batchesPerEpoch());
    }

    /**
     * Epochs back to back, without end, from global step {@code startStep}: step {@code s} is batch
     * {@code s % batchesPerEpoch()} of epoch {@code s / batchesPerEpoch()}.
     */
    public Batches steps(long startStep) {
        if (batchesPerEpoch() == 0) throw new IllegalStateException("data loader: " + data.name() + " has " + data.size() + " samples, no full batch of " + batchSize);
        if (startStep < 0) throw new IllegalArgumentException("data loader: start step must be >= 0, got " + startStep);
        return new Batches(startStep, Long.MAX_VALUE);
    }

    /** Stops the prefetch thread; pending prefetches are dropped and recomputed on demand. */
    @Override
    public void close() {
        List<Runnable> pending;
        synchronized (lock) {
            closed = true;
            if (executor == null) return;
            pending = executor.shutdownNow();
            executor = null;
        }
        for (Runnable r : pending) if (r instanceof Future<?> f) f.cancel(false);
    }

    private void checkIndex(int index) {
        if (index < 0 || index >= batchesPerEpoch()) {
            throw new IllegalArgumentException("data loader: batch " + index + " out of range [0, " + batchesPerEpoch() + ")");
        }
    }

    private Batch make(int[] order, int epoch, int index) {
        int from = index * batchSize, b = Math.min(batchSize, order.length - from);
        int inLen = data.inputLength(), tgtLen = data.targetLength();
        float[] in = new float[b * inLen], tgt = new float[b * tgtLen];
        int[] samples = new int[b];
        for (int i = 0; i < b; i++) {
            samples[i] = order[from + i];
            data.fill(samples[i], in, i * inLen, tgt, i * tgtLen);
        }
        int c = data.channels(), h = data.height(), w = data.width();
        return new Batch(
                Tensor.wrap(new Storage.F32(in), Shape.of(b, data.inFrames(), c, h, w)),
                Tensor.wrap(new Storage.F32(tgt), Shape.of(b, data.outFrames(), c, h, w)),
                epoch, index, samples);
    }

    /** Starts computing a batch on the prefetch thread, or returns null when prefetch is off or closed. */
    private FutureTask<Batch> submit(int[] order, int epoch, int index) {
        if (!prefetch) return null;
        FutureTask<Batch> task = new FutureTask<>(() -> make(order, epoch, index));
        synchronized (lock) {
            if (closed) return null;
            if (executor == null) {
                executor = Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "pdr4j-data-prefetch");
                    t.setDaemon(true); // never keeps the JVM alive
                    return t;
                });
            }
            try {
                executor.execute(task);
            } catch (RejectedExecutionException e) {
                return null;
            }
        }
        return task;
    }

    /**
     * A one-pass sequence of batches (an {@link Iterator} that is also {@link Iterable} over itself, so
     * it fits a for-each loop). {@link #skip} moves ahead without computing what it passes. Meant for
     * one consuming thread.
     */
    public final class Batches implements Iterator<Batch>, Iterable<Batch>, AutoCloseable {
        private long pos;
        private final long end;
        private int orderEpoch = -1;
        private int[] order;
        private FutureTask<Batch> ahead; // the batch at pos, being prefetched
        private long aheadPos = -1;

        private Batches(long start, long end) {
            this.pos = start;
            this.end = end;
            schedule();
        }

        /** Global position of the next batch (epoch * batchesPerEpoch + index). */
        public long position() {
            return pos;
        }

        @Override
        public boolean hasNext() {
            return pos < end;
        }

        @Override
        public Batch next() {
            if (!hasNext()) throw new NoSuchElementException("data loader: no batches left");
            int bpe = batchesPerEpoch();
            int epoch = Math.toIntExact(pos / bpe), index = (int) (pos % bpe);
            Batch b = null;
            if (ahead != null && aheadPos == pos) b = await(ahead);
            if (b == null) b = make(orderOf(epoch), epoch, index);
            ahead = null;
            pos++;
            schedule();
            return b;
        }

        /** Passes over the next {@code n} batches (or to the end) without computing them. */
        public Batches skip(long n) {
            if (n < 0) throw new IllegalArgumentException("data loader: cannot skip " + n + " batches");
            pos = n >= end - pos ? end : pos + n;
            if (ahead != null && aheadPos != pos) {
                ahead.cancel(false);
                ahead = null;
            }
            schedule();
            return this;
        }

        /** This sequence itself (one pass only). */
        @Override
        public Iterator<Batch> iterator() {
            return this;
        }

        /** Drops the prefetched batch. */
        @Override
        public void close() {
            if (ahead != null) ahead.cancel(false);
            ahead = null;
            pos = end;
        }

        private int[] orderOf(int epoch) {
            if (epoch != orderEpoch) {
                order = order(epoch);
                orderEpoch = epoch;
            }
            return order;
        }

        private void schedule() {
            if (ahead != null || !hasNext() || !prefetch) return;
            int bpe = batchesPerEpoch();
            int epoch = Math.toIntExact(pos / bpe), index = (int) (pos % bpe);
            ahead = submit(orderOf(epoch), epoch, index);
            aheadPos = pos;
        }

        /** The prefetched batch, or null when it was cancelled (the caller then computes it). */
        private static Batch await(FutureTask<Batch> f) {
            boolean interrupted = false;
            try {
                while (true) {
                    try {
                        return f.get();
                    } catch (InterruptedException e) {
                        interrupted = true; // finish the wait, restore the flag below
                    }
                }
            } catch (CancellationException e) {
                return null;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) throw r;
                if (e.getCause() instanceof Error err) throw err;
                throw new IllegalStateException("data loader: prefetch failed", e.getCause());
            } finally {
                if (interrupted) Thread.currentThread().interrupt();
            }
        }
    }

    /** Settings of a {@link DataLoader}. */
    public static final class Builder {
        private final Dataset data;
        private int batchSize = 16;
        private boolean shuffle = true, dropLast, prefetch = true;
        private long seed;

        private Builder(Dataset data) {
            this.data = data;
        }

        /** Samples per batch (B >= 1). */
        public Builder batchSize(int b) {
            if (b < 1) throw new IllegalArgumentException("data loader: batch size must be >= 1, got " + b);
            batchSize = b;
            return this;
        }

        /** Whether each epoch visits the samples in a fresh random order (else in index order). */
        public Builder shuffle(boolean on) {
            shuffle = on;
            return this;
        }

        /** Whether a last batch shorter than B is dropped. */
        public Builder dropLast(boolean on) {
            dropLast = on;
            return this;
        }

        /** Seed of the shuffling. */
        public Builder seed(long s) {
            seed = s;
            return this;
        }

        /** Whether the next batch is filled on a background thread. */
        public Builder prefetch(boolean on) {
            prefetch = on;
            return this;
        }

        /** The loader. */
        public DataLoader build() {
            return new DataLoader(this);
        }
    }
}
