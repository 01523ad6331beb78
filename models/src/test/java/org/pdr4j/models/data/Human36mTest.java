package org.pdr4j.models.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Human36mTest {
    /** Frame t at (y, x): R = 10 + t, G = 100 + y, B = 200 + x. */
    static final FrameFolderFixtures.Rgb PATTERN = (t, y, x) -> (10 + t) << 16 | (100 + y) << 8 | (200 + x);

    @TempDir Path root;

    private static DataRequest request(String split, Path root, int h, int w) {
        return new DataRequest(split, 0, root, 4, 4, h, w);
    }

    /** Frames 1..n of {@code video} (e.g. "S1_Walking.54138969_"), 8x8, frame number as t. */
    private void video(String video, int n) {
        for (int f = 1; f <= n; f++) FrameFolderFixtures.rgb(root.resolve("images").resolve(video + String.format("%06d", f) + ".png"), f, 8, 8, PATTERN);
    }

    private static void assertOneLineNaming(Path path, RuntimeException e) {
        assertTrue(e instanceof DataFormatException, e.toString());
        String m = e.getMessage();
        assertTrue(m.startsWith(path.toString()) && !m.contains("\n"), m);
    }

    @Test
    void withoutListsSplitsBySubjectWithClipsEveryFifthFrame() {
        video("S1_Walking.54138969_", 45);
        video("S9_Walking.54138969_", 45);
        video("S11_Eating.55011271_", 30); // too short for 8 frames 5 apart (needs 36)
        Dataset train = Human36m.open(request("train", root, 8, 8));
        assertEquals("human3.6m/train", train.name());
        assertEquals(3, train.channels());
        // Starts 1 and 6 (6 + 35 = 41 <= 45; 11 + 35 > 45).
        assertEquals(2, train.size());
        assertEquals(2, Human36m.open(request("test", root, 8, 8)).size());
        assertEquals(2, Human36m.open(request("val", root, 8, 8)).size());
        Dataset.Sample s = train.get(1);
        assertEquals(org.pdr4j.tensor.Shape.of(4, 3, 8, 8), s.input().shape());
        assertEquals(org.pdr4j.tensor.Shape.of(4, 3, 8, 8), s.target().shape());
        float[] in = s.input().toFloatArray(), tgt = s.target().toFloatArray();
        int plane = 64, frame = 3 * plane;
        // Input frame k is file 6 + 5k: R, G, B planes in that order.
        assertEquals((10 + 6) / 255f, in[0]);
        assertEquals((100 + 2) / 255f, in[plane + 2 * 8 + 5]);
        assertEquals((200 + 5) / 255f, in[2 * plane + 2 * 8 + 5]);
        assertEquals((10 + 21) / 255f, in[3 * frame + 7]);
        assertEquals((10 + 26) / 255f, tgt[0]);
        assertEquals((10 + 41) / 255f, tgt[3 * frame]);
        assertTrue(train.sources().get(0).contains("by subject"), train.sources().toString());
    }

    @Test
    void openStlListsGiveTheListedClipsInOrder() {
        video("S1_Walking.54138969_", 45);
        video("S9_Walking.54138969_", 45);
        FrameFolderFixtures.text(root.resolve("train.txt"), "images/S1_Walking.54138969_,1,71\nimages/S9_Walking.54138969_,6,76\n");
        FrameFolderFixtures.text(root.resolve("test.txt"), "images/S9_Walking.54138969_,1,71\n\n");
        Dataset train = Human36m.open(request("train", root, 8, 8));
        assertEquals(2, train.size());
        assertEquals((10 + 6) / 255f, train.get(1).input().toFloatArray()[0]);
        Dataset test = Human36m.open(request("test", root, 8, 8));
        assertEquals(1, test.size());
        assertEquals((10 + 36) / 255f, test.get(0).target().toFloatArray()[3 * 3 * 64]);
        assertTrue(test.sources().get(0).startsWith(root.resolve("test.txt").toString()), test.sources().toString());
        assertEquals(1, Human36m.open(request("val", root, 8, 8)).size());
    }

    @Test
    void resizesEachChannel() {
        video("S5_Posing.54138969_", 36);
        Dataset d = Human36m.open(request("train", root, 4, 16));
        float[] in = d.get(0).input().toFloatArray();
        int plane = 4 * 16;
        assertEquals(11 / 255f, in[5], 1e-6f); // R is constant over a frame
        assertEquals((100 + 2.5f) / 255f, in[plane + 16 + 3], 1e-6f); // G: rows 2, 3 averaged
        assertEquals((200 + 0.25f) / 255f, in[2 * plane + 1], 1e-6f); // B: 8 -> 16 bilinear, source 0.25
        assertTrue(d.sources().get(2).contains("8x8") && d.sources().get(2).contains("resized to 16x4"), d.sources().toString());
    }

    @Test
    void errorsNameThePathOnOneLine() throws Exception {
        Path missing = root.resolve("nope");
        assertOneLineNaming(missing, assertThrows(DataFormatException.class, () -> Human36m.open(request("train", missing, 8, 8))));
        DataFormatException e = assertThrows(DataFormatException.class, () -> Human36m.open(request("train", root, 8, 8)));
        assertOneLineNaming(root, e);
        assertTrue(e.getMessage().contains("S1_Directions.54138969_000001.jpg"), e.getMessage());

        video("S9_Walking.54138969_", 20);
        e = assertThrows(DataFormatException.class, () -> Human36m.open(request("train", root, 8, 8)));
        assertOneLineNaming(root.resolve("images"), e);
        assertTrue(e.getMessage().contains("S1, S5, S6, S7, S8"), e.getMessage());
        e = assertThrows(DataFormatException.class, () -> Human36m.open(request("test", root, 8, 8)));
        assertOneLineNaming(root.resolve("images"), e);
        assertTrue(e.getMessage().contains("8 frames, 5 apart"), e.getMessage());

        FrameFolderFixtures.text(root.resolve("train.txt"), "images/S9_Walking.54138969_,1,71\n");
        assertOneLineNaming(root.resolve("test.txt"), assertThrows(DataFormatException.class, () -> Human36m.open(request("train", root, 8, 8))));
        FrameFolderFixtures.text(root.resolve("test.txt"), "images/S9_Walking.54138969_,one,71\n");
        e = assertThrows(DataFormatException.class, () -> Human36m.open(request("test", root, 8, 8)));
        assertOneLineNaming(root.resolve("test.txt"), e);
        assertTrue(e.getMessage().contains("line 1"), e.getMessage());
        FrameFolderFixtures.text(root.resolve("test.txt"), "images/S9_Walking.54138969_,101,171\n");
        assertOneLineNaming(root.resolve("images").resolve("S9_Walking.54138969_000101.jpg"),
                assertThrows(DataFormatException.class, () -> Human36m.open(request("test", root, 8, 8))));
        // The first frame exists, a later one does not: named when the clip is filled.
        Dataset d = Human36m.open(request("train", root, 8, 8));
        assertOneLineNaming(root.resolve("images").resolve("S9_Walking.54138969_000021.png"), assertThrows(DataFormatException.class, () -> d.get(0)));
        Files.write(root.resolve("images").resolve("S9_Walking.54138969_000011.png"), new byte[] {7, 7, 7});
        Dataset d2 = Human36m.open(request("train", root, 8, 8));
        assertOneLineNaming(root.resolve("images").resolve("S9_Walking.54138969_000011.png"), assertThrows(DataFormatException.class, () -> d2.get(0)));
    }
}
