package org.pdr4j.models.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KthTest {
    /** Frame t's gray value at (y, x); distinct enough to tell frames, rows and columns apart. */
    static final FrameFolderFixtures.Gray PATTERN = (t, y, x) -> (7 * t + 3 * y + 5 * x) % 256;

    @TempDir Path root;

    private static DataRequest request(String split, Path root, int in, int out, int h, int w) {
        return new DataRequest(split, 0, root, in, out, h, w);
    }

    /** Persons 01 (train) and 17 (test), boxing and running, one 35-frame 16x16 sequence each. */
    private void twoPersonsTwoActions() {
        for (int person : new int[] {1, 17}) {
            for (String action : List.of("boxing", "running")) FrameFolderFixtures.kthSequence(root, action, person, 35, 16, PATTERN);
        }
    }

    private static void assertOneLineNaming(Path path, RuntimeException e) {
        assertTrue(e instanceof DataFormatException, e.toString());
        String m = e.getMessage();
        assertTrue(m.startsWith(path.toString()) && !m.contains("\n"), m);
    }

    @Test
    void openStlWindowRule() {
        int[] n35 = java.util.stream.IntStream.rangeClosed(1, 35).toArray();
        assertEquals(List.of(15), Kth.windowStarts(n35, 20, 20));
        assertEquals(List.of(0, 3, 6, 9, 12, 15), Kth.windowStarts(n35, 20, 3));
        assertEquals(List.of(5), Kth.windowStarts(n35, 30, 30));
        assertEquals(List.of(2, 5), Kth.windowStarts(n35, 30, 3));
        assertEquals(List.of(), Kth.windowStarts(n35, 36, 3));
        // A gap between frames 6 and 8: windows across it are skipped one end at a time.
        assertEquals(List.of(1), Kth.windowStarts(new int[] {1, 2, 3, 4, 5, 6, 8, 9, 10, 11}, 5, 5));
    }

    @Test
    void splitsByPersonAndCountsWindowsAsOpenStl() {
        twoPersonsTwoActions();
        // 10 -> 10: boxing 1 window (start 15), running 6 (starts 0, 3, ..., 15), per person.
        Dataset train = Kth.open(request("train", root, 10, 10, 16, 16));
        assertEquals("kth/train", train.name());
        assertEquals(7, train.size());
        assertEquals(1, train.channels());
        assertEquals(16, train.height());
        assertEquals(16, train.width());
        Dataset test = Kth.open(request("test", root, 10, 10, 16, 16));
        Dataset val = Kth.open(request("val", root, 10, 10, 16, 16));
        assertEquals(7, test.size());
        assertEquals(7, val.size());
        // 10 -> 20 (OpenSTL's KTH setting): boxing 1 (start 5), running 2 (starts 2, 5).
        assertEquals(3, Kth.open(request("train", root, 10, 20, 16, 16)).size());
        assertTrue(test.sources().get(0).startsWith(root.toString()) && test.sources().get(0).contains("persons 17-25"), test.sources().toString());
        assertTrue(train.sources().get(1).startsWith("2 sequences, 70 frames, 7 clips"), train.sources().toString());
        assertTrue(train.sources().get(2).contains("16x16") && train.sources().get(2).contains("as they are"), train.sources().toString());
    }

    @Test
    void samplesHoldTheirFramesPixelForPixel() {
        twoPersonsTwoActions();
        Dataset train = Kth.open(request("train", root, 10, 10, 16, 16));
        // Sample 0: boxing, frames 15..34; sample 3: running, start 6.
        Dataset.Sample s = train.get(0);
        assertEquals(org.pdr4j.tensor.Shape.of(10, 1, 16, 16), s.input().shape());
        assertEquals(org.pdr4j.tensor.Shape.of(10, 1, 16, 16), s.target().shape());
        float[] in = s.input().toFloatArray(), tgt = s.target().toFloatArray();
        assertEquals(PATTERN.at(15, 0, 0) / 255f, in[0]);
        assertEquals(PATTERN.at(15, 2, 3) / 255f, in[2 * 16 + 3]);
        assertEquals(PATTERN.at(24, 15, 15) / 255f, in[9 * 256 + 255]);
        assertEquals(PATTERN.at(25, 4, 9) / 255f, tgt[4 * 16 + 9]);
        assertEquals(PATTERN.at(34, 1, 1) / 255f, tgt[9 * 256 + 17]);
        float[] r = train.get(3).input().toFloatArray();
        assertEquals(PATTERN.at(6 + 2, 5, 7) / 255f, r[2 * 256 + 5 * 16 + 7]);
        // Deterministic and in place: a second fill at an offset writes the same values.
        float[] in2 = new float[train.inputLength() + 3], tgt2 = new float[train.targetLength() + 5];
        train.fill(0, in2, 3, tgt2, 5);
        assertArrayEquals(in, java.util.Arrays.copyOfRange(in2, 3, in2.length));
        assertArrayEquals(tgt, java.util.Arrays.copyOfRange(tgt2, 5, tgt2.length));
    }

    @Test
    void concurrentFillsAgreeWithSerialOnes() throws Exception {
        twoPersonsTwoActions();
        Dataset d = Kth.open(request("test", root, 10, 10, 8, 8));
        float[][] serial = new float[d.size()][];
        for (int i = 0; i < d.size(); i++) serial[i] = d.get(i).target().toFloatArray();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(4)) {
            var futures = new java.util.ArrayList<java.util.concurrent.Future<float[]>>();
            for (int r = 0; r < 3; r++) for (int i = d.size() - 1; i >= 0; i--) {
                int k = i;
                futures.add(pool.submit(() -> d.get(k).target().toFloatArray()));
            }
            for (int f = 0; f < futures.size(); f++) assertArrayEquals(serial[d.size() - 1 - f % d.size()], futures.get(f).get());
        }
    }

    @Test
    void resizesByAreaWhenShrinkingAndBilinearlyWhenEnlarging() {
        // Frame t at (y, x) is x^2 + y + t: area and bilinear differ on the x^2 part.
        FrameFolderFixtures.kthSequence(root, "walking", 3, 3, 16, (t, y, x) -> x * x + y + t);
        float[] d8 = Kth.open(request("train", root, 2, 1, 8, 8)).get(0).input().toFloatArray();
        // 16 -> 8: mean of the 2x2 block, 4j^2 + 2j + 0.5 + 2i + 0.5 + t. By hand: (0,0) at t=0 is
        // (0 + 1 + 1 + 2) / 4 = 1; (1,3) is (36+2 + 49+2 + 36+3 + 49+3) / 4 = 45.
        assertEquals(1 / 255f, d8[0], 1e-6f);
        assertEquals(45 / 255f, d8[8 + 3], 1e-6f);
        for (int t = 0; t < 2; t++) {
            for (int i = 0; i < 8; i++) {
                for (int j = 0; j < 8; j++) assertEquals((4 * j * j + 2 * j + 0.5f + 2 * i + 0.5f + t) / 255f, d8[t * 64 + i * 8 + j], 1e-5f);
            }
        }
        // 16 -> 4: mean of 4 columns, 16j^2 + 12j + 3.5 (bilinear would give 16j^2 + 12j + 2.5).
        float[] d4 = Kth.open(request("train", root, 2, 1, 4, 4)).get(0).input().toFloatArray();
        assertEquals((16 + 12 + 3.5f + 1.5f) / 255f, d4[1], 1e-6f);
        // Height 16 -> 8 (area), width 16 -> 32 (bilinear at sources j/2 - 0.25): 0, 0.25, 0.75, 1.75, ..., 225.
        Dataset mixed = Kth.open(request("train", root, 2, 1, 8, 32));
        float[] m = mixed.get(0).input().toFloatArray();
        float[] row0 = java.util.Arrays.copyOfRange(m, 0, 4);
        assertArrayEquals(new float[] {0.5f / 255f, 0.75f / 255f, 1.25f / 255f, 2.25f / 255f}, row0, 1e-6f);
        assertEquals(225.5f / 255f, m[31], 1e-6f);
        assertTrue(mixed.sources().get(2).contains("resized to 32x8"), mixed.sources().toString());
    }

    @Test
    void readsJpegFramesAndAKthSubfolder() {
        Path kth = root.resolve("kth");
        Path seq = kth.resolve("handwaving").resolve("person20_handwaving_d2_uncomp");
        for (int t = 0; t < 4; t++) FrameFolderFixtures.gray(seq.resolve(String.format("image_%04d.jpg", t + 1)), t, 8, 8, (tt, y, x) -> 128);
        Dataset d = Kth.open(request("test", root, 2, 2, 8, 8));
        assertEquals(1, d.size());
        for (float v : d.get(0).target().toFloatArray()) assertEquals(128 / 255f, v, 2 / 255f);
        assertTrue(d.sources().get(0).startsWith(kth.toString()), d.sources().toString());
    }

    @Test
    void missingRootNoSequencesAndNoClipsAreOneLineErrors() throws Exception {
        Path missing = root.resolve("nope");
        assertOneLineNaming(missing, assertThrows(DataFormatException.class, () -> Kth.open(request("train", missing, 10, 10, 16, 16))));
        DataFormatException e = assertThrows(DataFormatException.class, () -> Kth.open(request("train", root, 10, 10, 16, 16)));
        assertOneLineNaming(root, e);
        assertTrue(e.getMessage().contains("boxing") && e.getMessage().contains("person01_boxing_d1_uncomp") && e.getMessage().contains("image_0001.png"), e.getMessage());
        FrameFolderFixtures.kthSequence(root, "boxing", 17, 12, 16, PATTERN);
        e = assertThrows(DataFormatException.class, () -> Kth.open(request("train", root, 10, 10, 16, 16)));
        assertOneLineNaming(root, e);
        assertTrue(e.getMessage().contains("persons 01-16"), e.getMessage());
        e = assertThrows(DataFormatException.class, () -> Kth.open(request("test", root, 10, 10, 16, 16)));
        assertOneLineNaming(root, e);
        assertTrue(e.getMessage().contains("20 consecutive frames") && e.getMessage().contains("longest 12"), e.getMessage());
        assertEquals(1, Kth.open(request("test", root, 6, 6, 16, 16)).size());
    }

    @Test
    void corruptOrMisSizedFramesAreNamedWhenFilled() throws Exception {
        Path seq = FrameFolderFixtures.kthSequence(root, "boxing", 2, 20, 16, PATTERN);
        Path bad = seq.resolve("image_0007.png");
        Files.write(bad, new byte[] {1, 2, 3, 4});
        Dataset d = Kth.open(request("train", root, 10, 10, 16, 16));
        RuntimeException e = assertThrows(DataFormatException.class, () -> d.get(0));
        assertOneLineNaming(bad, e);
        FrameFolderFixtures.gray(bad, 6, 8, 8, PATTERN);
        e = assertThrows(DataFormatException.class, () -> d.get(0));
        assertOneLineNaming(bad, e);
        assertTrue(e.getMessage().contains("8x8") && e.getMessage().contains("16x16") && e.getMessage().contains("image_0001.png"), e.getMessage());
        Files.write(seq.resolve("image_0001.png"), new byte[] {1, 2, 3, 4});
        assertOneLineNaming(seq.resolve("image_0001.png"), assertThrows(DataFormatException.class, () -> Kth.open(request("train", root, 10, 10, 16, 16))));
    }
}
