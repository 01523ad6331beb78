package org.pdr4j.models.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DataLoaderTest {
    /** 37 small samples: batches of 8 leave a short last batch of 5. */
    private static final MovingDigits DATA = MovingDigits.builder().size(16, 8).frames(2, 3).sizes(37, 5, 5).build("train", 3);

    private static DataLoader.Builder loader() {
        return DataLoader.builder(DATA).batchSize(8).seed(99);
    }

    private static List<DataLoader.Batch> all(Iterable<DataLoader.Batch> it) {
        List<DataLoader.Batch> out = new ArrayList<>();
        for (DataLoader.Batch b : it) out.add(b);
        return out;
    }

    private static void assertSameBatches(List<DataLoader.Batch> want, List<DataLoader.Batch> got) {
        assertEquals(want.size(), got.size(), "batch count");
        for (int i = 0; i < want.size(); i++) {
            DataLoader.Batch a = want.get(i), b = got.get(i);
            assertEquals(a.epoch(), b.epoch());
            assertEquals(a.index(), b.index());
            assertArrayEquals(a.samples(), b.samples(), "samples of batch " + i);
            assertArrayEquals(a.input().toFloatArray(), b.input().toFloatArray(), "input of batch " + i);
            assertArrayEquals(a.target().toFloatArray(), b.target().toFloatArray(), "target of batch " + i);
        }
    }

    @Test
    void batchesHaveTheRightShapesAndTheLastOneIsShortUnlessDropped() {
        try (DataLoader keep = loader().build(); DataLoader drop = loader().dropLast(true).build()) {
            assertEquals(5, keep.batchesPerEpoch());
            assertEquals(4, drop.batchesPerEpoch());
            List<DataLoader.Batch> k = all(keep.epoch(0));
            assertEquals(5, k.size());
            assertEquals("[8, 2, 1, 16, 16]", k.get(0).input().shape().toString());
            assertEquals("[8, 3, 1, 16, 16]", k.get(0).target().shape().toString());
            assertEquals("[5, 2, 1, 16, 16]", k.get(4).input().shape().toString());
            assertEquals(5, k.get(4).size());
            List<DataLoader.Batch> d = all(drop.epoch(0));
            assertEquals(4, d.size());
            for (DataLoader.Batch b : d) assertEquals(8, b.size());
        }
    }

    @Test
    void anEpochVisitsEverySampleOnceAndBatchesHoldTheDataSetsSamples() {
        try (DataLoader l = loader().build()) {
            List<Integer> seen = new ArrayList<>();
            for (DataLoader.Batch b : l.epoch(2)) {
                float[] in = b.input().toFloatArray(), tgt = b.target().toFloatArray();
                for (int i = 0; i < b.size(); i++) {
                    int s = b.samples()[i];
                    seen.add(s);
                    Dataset.Sample one = DATA.get(s);
                    assertArrayEquals(one.input().toFloatArray(), Arrays.copyOfRange(in, i * DATA.inputLength(), (i + 1) * DATA.inputLength()));
                    assertArrayEquals(one.target().toFloatArray(), Arrays.copyOfRange(tgt, i * DATA.targetLength(), (i + 1) * DATA.targetLength()));
                }
            }
            assertEquals(37, seen.size());
            assertEquals(37, seen.stream().distinct().count());
        }
    }

    @Test
    void shufflingDiffersPerEpochButRepeatsForTheSameSeed() {
        try (DataLoader a = loader().build(); DataLoader b = loader().build(); DataLoader c = loader().seed(100).build()) {
            assertArrayEquals(a.order(0), b.order(0));
            assertArrayEquals(a.order(5), b.order(5));
            assertFalse(Arrays.equals(a.order(0), a.order(1)));
            assertFalse(Arrays.equals(a.order(0), c.order(0)));
            int[] sorted = a.order(3).clone();
            Arrays.sort(sorted);
            for (int i = 0; i < sorted.length; i++) assertEquals(i, sorted[i]);
            assertSameBatches(all(a.epoch(1)), all(b.epoch(1)));
        }
        try (DataLoader plain = loader().shuffle(false).build()) {
            int[] o = plain.order(4);
            for (int i = 0; i < o.length; i++) assertEquals(i, o[i]);
        }
    }

    @Test
    void startingOrSkippingAheadGivesExactlyTheRemainingBatches() {
        try (DataLoader l = loader().build(); DataLoader fresh = loader().build()) {
            List<DataLoader.Batch> epoch1 = all(l.epoch(1));
            assertSameBatches(epoch1.subList(3, 5), all(fresh.epoch(1, 3)));
            assertSameBatches(epoch1.subList(2, 5), all(fresh.epoch(1).skip(2)));
            assertSameBatches(List.of(), all(fresh.epoch(1, 5)));
            assertSameBatches(List.of(), all(fresh.epoch(1).skip(50)));
            assertSameBatches(List.of(epoch1.get(4)), List.of(fresh.batch(1, 4)));

            // Steps run the epochs back to back: a run resumed at step 7 continues with epoch 1, batch 2.
            List<DataLoader.Batch> run = new ArrayList<>(all(l.epoch(0)));
            run.addAll(epoch1);
            run.addAll(all(l.epoch(2)));
            DataLoader.Batches steps = fresh.steps(7);
            List<DataLoader.Batch> resumed = new ArrayList<>();
            for (int i = 0; i < 8; i++) resumed.add(steps.next());
            assertSameBatches(run.subList(7, 15), resumed);
            assertEquals(15, steps.position());
            DataLoader.Batches skipped = fresh.steps(0).skip(7);
            List<DataLoader.Batch> viaSkip = new ArrayList<>();
            for (int i = 0; i < 8; i++) viaSkip.add(skipped.next());
            assertSameBatches(run.subList(7, 15), viaSkip);
        }
    }

    @Test
    void prefetchingChangesNothingAndCloseStopsIt() {
        try (DataLoader on = loader().build(); DataLoader off = loader().prefetch(false).build()) {
            assertSameBatches(all(off.epoch(4)), all(on.epoch(4)));
            DataLoader.Batches it = on.epoch(5);
            List<DataLoader.Batch> got = new ArrayList<>();
            got.add(it.next());
            on.close(); // pending prefetch is dropped; the rest is computed on demand
            while (it.hasNext()) got.add(it.next());
            assertSameBatches(all(off.epoch(5)), got);
            assertSameBatches(all(off.epoch(6)), all(on.epoch(6)));
        }
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> loader().batchSize(0));
        assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(null));
        try (DataLoader l = loader().build()) {
            assertThrows(IllegalArgumentException.class, () -> l.epoch(0, 6));
            assertThrows(IllegalArgumentException.class, () -> l.epoch(0, -1));
            assertThrows(IllegalArgumentException.class, () -> l.batch(0, 5));
            assertThrows(IllegalArgumentException.class, () -> l.steps(-1));
            assertThrows(IllegalArgumentException.class, () -> l.epoch(0).skip(-1));
            DataLoader.Batches done = l.epoch(0, 5);
            assertFalse(done.hasNext());
            assertThrows(java.util.NoSuchElementException.class, done::next);
        }
        try (DataLoader tooBig = DataLoader.builder(DATA).batchSize(64).dropLast(true).build()) {
            assertEquals(0, tooBig.batchesPerEpoch());
            assertFalse(tooBig.epoch(0).hasNext());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> tooBig.steps(0));
            assertTrue(e.getMessage().contains("37"), e.getMessage());
        }
    }
}
