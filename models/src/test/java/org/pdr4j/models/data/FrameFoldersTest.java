package org.pdr4j.models.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameFoldersTest {
    @TempDir Path dir;

    private static float[] resize1d(float[] src, int out) {
        FrameFolders.Axis ax = FrameFolders.Axis.of(src.length, out), one = FrameFolders.Axis.of(1, 1);
        float[] dst = new float[out];
        FrameFolders.resize(src, 0, 1, src.length, one, ax, dst, 0);
        return dst;
    }

    @Test
    void shrinkingAveragesTheCoveredAreaIncludingPartialPixels() {
        assertArrayEquals(new float[] {1.5f, 5.5f}, resize1d(new float[] {0, 1, 2, 3, 4, 5, 6, 7}, 2));
        // 3 -> 2: output 0 covers [0, 1.5): (1*a + 0.5*b) / 1.5; output 1 covers [1.5, 3).
        assertArrayEquals(new float[] {(3 + 0.5f * 6) / 1.5f, (0.5f * 6 + 9) / 1.5f}, resize1d(new float[] {3, 6, 9}, 2), 1e-6f);
    }

    @Test
    void enlargingInterpolatesBetweenPixelCentresClampedAtTheEdges() {
        // 2 -> 4: sources at -0.25 (clamped), 0.25, 0.75, 1.25 (clamped).
        assertArrayEquals(new float[] {10, 12.5f, 17.5f, 20}, resize1d(new float[] {10, 20}, 4), 1e-6f);
        assertArrayEquals(new float[] {7, 7, 7}, resize1d(new float[] {7}, 3));
        assertArrayEquals(new float[] {1, 2, 3}, resize1d(new float[] {1, 2, 3}, 3));
    }

    @Test
    void frameNumbersComeFromTheEndOfImageNames() {
        assertEquals(42, FrameFolders.frameNumber("image_0042.png"));
        assertEquals(1621, FrameFolders.frameNumber("S11_Walking.60457274_001621.JPG"));
        assertEquals(7, FrameFolders.frameNumber("x7.jpeg"));
        assertEquals(-1, FrameFolders.frameNumber("image.png"));
        assertEquals(-1, FrameFolders.frameNumber("image_0001.txt"));
    }

    @Test
    void framesAreSortedByNumberAndDuplicatesRefused() {
        FrameFolderFixtures.gray(dir.resolve("image_10.png"), 0, 2, 2, (t, y, x) -> 0);
        FrameFolderFixtures.gray(dir.resolve("image_9.png"), 0, 2, 2, (t, y, x) -> 0);
        FrameFolderFixtures.text(dir.resolve("notes.txt"), "not a frame");
        var fs = FrameFolders.frames(dir);
        assertEquals(2, fs.size());
        assertEquals("image_9.png", fs.get(0).name());
        FrameFolderFixtures.gray(dir.resolve("image_0009.jpg"), 0, 2, 2, (t, y, x) -> 0);
        DataFormatException e = assertThrows(DataFormatException.class, () -> FrameFolders.frames(dir));
        assertTrue(e.getMessage().startsWith(dir.toString()) && e.getMessage().contains("two frames numbered 9"), e.getMessage());
    }

    @Test
    void grayAndColorImagesDecodeToTheRequestedChannels() throws Exception {
        Path gray = dir.resolve("g.png"), rgb = dir.resolve("c.png");
        FrameFolderFixtures.gray(gray, 0, 3, 2, (t, y, x) -> 40 * y + x);
        FrameFolderFixtures.rgb(rgb, 0, 3, 2, (t, y, x) -> x == 0 ? 0x102030 : 0x505050);
        assertArrayEquals(new float[] {0, 1 / 255f, 2 / 255f, 40 / 255f, 41 / 255f, 42 / 255f}, FrameFolders.decode(gray, 1, 3, 2, gray));
        float[] g3 = FrameFolders.decode(gray, 3, 3, 2, gray);
        assertEquals(41 / 255f, g3[4]);
        assertEquals(41 / 255f, g3[6 + 4]);
        assertEquals(41 / 255f, g3[12 + 4]);
        float[] c3 = FrameFolders.decode(rgb, 3, 3, 2, rgb);
        assertEquals(0x10 / 255f, c3[0]); // R plane first
        assertEquals(0x20 / 255f, c3[6]);
        assertEquals(0x30 / 255f, c3[12]);
        float[] c1 = FrameFolders.decode(rgb, 1, 3, 2, rgb);
        assertEquals(0x50 / 255f, c1[1]); // r == g == b: that value
        assertEquals((float) (0.299 * 0x10 / 255f + 0.587 * 0x20 / 255f + 0.114 * 0x30 / 255f), c1[0], 1e-6f);
        assertEquals(3, FrameFolders.imageSize(rgb)[0]);
        assertEquals(2, FrameFolders.imageSize(rgb)[1]);
    }

    @Test
    void unreadableAndMissingImagesAreNamedOnOneLine() throws Exception {
        Path bad = dir.resolve("bad.png");
        Files.write(bad, new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        for (var call : java.util.List.<org.junit.jupiter.api.function.Executable>of(
                () -> FrameFolders.decode(bad, 1, 2, 2, bad),
                () -> FrameFolders.imageSize(bad),
                () -> FrameFolders.decode(dir.resolve("none.png"), 1, 2, 2, bad),
                () -> FrameFolders.imageSize(dir.resolve("none.png")))) {
            DataFormatException e = assertThrows(DataFormatException.class, call);
            assertTrue(e.getMessage().startsWith(dir.toString()) && !e.getMessage().contains("\n"), e.getMessage());
        }
    }
}
