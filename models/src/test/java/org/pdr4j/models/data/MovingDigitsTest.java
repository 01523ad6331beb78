package org.pdr4j.models.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class MovingDigitsTest {
    private static float[][] sample(Dataset d, int index) {
        float[] in = new float[d.inputLength()], tgt = new float[d.targetLength()];
        d.fill(index, in, 0, tgt, 0);
        return new float[][] {in, tgt};
    }

    /** All frames of a sample, input then target, each H*W (one channel). */
    private static float[][] frames(Dataset d, int index) {
        float[][] s = sample(d, index);
        int plane = d.height() * d.width(), n = d.inFrames() + d.outFrames();
        float[][] f = new float[n][];
        for (int t = 0; t < n; t++) {
            float[] src = t < d.inFrames() ? s[0] : s[1];
            int off = (t < d.inFrames() ? t : t - d.inFrames()) * plane;
            f[t] = Arrays.copyOfRange(src, off, off + plane);
        }
        return f;
    }

    private static double mass(float[] f) {
        double m = 0;
        for (float v : f) m += v;
        return m;
    }

    private static double[] centre(float[] f, int w) {
        double m = 0, x = 0, y = 0;
        for (int i = 0; i < f.length; i++) {
            m += f[i];
            x += f[i] * (i % w);
            y += f[i] * (i / w);
        }
        return new double[] {x / m, y / m};
    }

    @Test
    void defaultsMatchMovingMnist() {
        MovingDigits d = MovingDigits.of("train", 1);
        assertEquals(10000, d.size());
        assertEquals(1000, MovingDigits.of("val", 1).size());
        assertEquals(1000, MovingDigits.of("test", 1).size());
        assertEquals(10, d.inFrames());
        assertEquals(10, d.outFrames());
        assertEquals(1, d.channels());
        assertEquals(64, d.height());
        assertEquals(64, d.width());
        assertEquals(2, d.digits());
        assertEquals("moving-digits/train", d.name());
        Dataset.Sample s = d.get(3);
        assertEquals("[10, 1, 64, 64]", s.input().shape().toString());
        assertEquals("[10, 1, 64, 64]", s.target().shape().toString());
    }

    @Test
    void aSampleIsAPureFunctionOfSeedSplitAndIndex() {
        MovingDigits a = MovingDigits.of("train", 7), b = MovingDigits.of("train", 7);
        for (int i : new int[] {0, 1, 999, 9999}) {
            float[][] x = sample(a, i), y = sample(b, i);
            assertArrayEquals(x[0], y[0], "input " + i);
            assertArrayEquals(x[1], y[1], "target " + i);
        }
        // Order of calls does not matter: index 5 after index 9999 is index 5.
        float[][] first = sample(a, 5);
        sample(a, 9999);
        assertArrayEquals(first[0], sample(a, 5)[0]);
        assertArrayEquals(first[0], a.get(5).input().toFloatArray());
    }

    @Test
    void splitsSeedsAndIndicesGiveDifferentSequences() {
        float[] base = sample(MovingDigits.of("train", 7), 3)[0];
        assertFalse(Arrays.equals(base, sample(MovingDigits.of("val", 7), 3)[0]));
        assertFalse(Arrays.equals(base, sample(MovingDigits.of("test", 7), 3)[0]));
        assertFalse(Arrays.equals(base, sample(MovingDigits.of("train", 8), 3)[0]));
        assertFalse(Arrays.equals(base, sample(MovingDigits.of("train", 7), 4)[0]));
    }

    @Test
    void streamSeedsOfDifferentSplitsNeverCollide() {
        long[] seeds = new long[3 * 5000];
        for (int s = 0; s < 3; s++) for (int i = 0; i < 5000; i++) seeds[s * 5000 + i] = Seeds.stream(42, s, i);
        assertEquals(seeds.length, Arrays.stream(seeds).distinct().count());
    }

    @Test
    void valuesAreInTheUnitRangeAndEveryFrameHasMass() {
        MovingDigits d = MovingDigits.of("val", 3);
        for (int i = 0; i < 50; i++) {
            for (float[] f : frames(d, i)) {
                for (float v : f) assertTrue(v >= 0 && v <= 1, "value " + v);
                assertTrue(mass(f) > 20, "a frame with two digits has ink");
            }
        }
    }

    @Test
    void digitsMove() {
        MovingDigits d = MovingDigits.of("train", 11);
        for (int i = 0; i < 50; i++) {
            float[][] f = frames(d, i);
            double moved = 0;
            double[] c0 = centre(f[0], 64);
            for (float[] frame : f) {
                double[] c = centre(frame, 64);
                moved = Math.max(moved, Math.hypot(c[0] - c0[0], c[1] - c0[1]));
            }
            assertTrue(moved > 2, "sample " + i + ": centre of mass moved only " + moved + " px");
            assertFalse(Arrays.equals(f[0], f[1]), "sample " + i + ": frames 0 and 1 are the same");
        }
    }

    @Test
    void bouncingKeepsTheWholeGlyphInsideTheFrame() {
        // One fast digit bounces often; with nothing to overlap, every frame must hold the whole glyph,
        // so every frame's mass is the same sum of the same mask values.
        MovingDigits d = MovingDigits.builder().digits(1).speed(15, 30).frames(6, 14).build("train", 5);
        int reversals = 0;
        for (int i = 0; i < 100; i++) {
            float[][] f = frames(d, i);
            double m0 = mass(f[0]);
            assertTrue(m0 > 10);
            double prevDx = 0;
            double[] prev = centre(f[0], 64);
            for (int t = 1; t < f.length; t++) {
                assertEquals(m0, mass(f[t]), 0.0, "sample " + i + " frame " + t + " lost ink at a wall");
                double[] c = centre(f[t], 64);
                double dx = c[0] - prev[0];
                if (dx * prevDx < 0) reversals++;
                prevDx = dx;
                prev = c;
            }
        }
        assertTrue(reversals > 100, "fast digits bounce: only " + reversals + " reversals");
    }

    @Test
    void fillOverwritesItsRangeAndNothingElse() {
        MovingDigits d = MovingDigits.builder().size(32, 16).frames(2, 3).build("test", 1);
        int inOff = 7, tgtOff = 3;
        float[] in = new float[inOff + d.inputLength() + 5], tgt = new float[tgtOff + d.targetLength() + 4];
        Arrays.fill(in, 0.5f);
        Arrays.fill(tgt, 0.5f);
        d.fill(2, in, inOff, tgt, tgtOff);
        float[][] clean = sample(d, 2);
        assertArrayEquals(clean[0], Arrays.copyOfRange(in, inOff, inOff + d.inputLength()));
        assertArrayEquals(clean[1], Arrays.copyOfRange(tgt, tgtOff, tgtOff + d.targetLength()));
        for (int i = 0; i < inOff; i++) assertEquals(0.5f, in[i]);
        for (int i = inOff + d.inputLength(); i < in.length; i++) assertEquals(0.5f, in[i]);
        for (int i = 0; i < tgtOff; i++) assertEquals(0.5f, tgt[i]);
        for (int i = tgtOff + d.targetLength(); i < tgt.length; i++) assertEquals(0.5f, tgt[i]);
    }

    @Test
    void concurrentReadsAgreeWithSequentialOnes() {
        MovingDigits d = MovingDigits.of("train", 9);
        float[][] seq = IntStream.range(0, 64).mapToObj(i -> sample(d, i)[1]).toArray(float[][]::new);
        float[][] par = IntStream.range(0, 64).parallel().mapToObj(i -> sample(d, i)[1]).toArray(float[][]::new);
        for (int i = 0; i < 64; i++) assertArrayEquals(seq[i], par[i], "sample " + i);
    }

    @Test
    void configurationIsHonoured() {
        MovingDigits d = MovingDigits.builder().size(48, 20).digits(3).frames(4, 6).sizes(5, 6, 7).build("val", 0);
        assertEquals(6, d.size());
        assertEquals(4 * 48 * 48, d.inputLength());
        assertEquals(6 * 48 * 48, d.targetLength());
        assertEquals(3, d.digits());
        assertEquals(20, d.glyphSize());
        float[][] f = frames(d, 5);
        assertEquals(10, f.length);
        for (float[] frame : f) assertTrue(mass(frame) > 10);
    }

    @Test
    void badArgumentsAreRefusedWithClearMessages() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MovingDigits.of("dev", 0));
        assertTrue(e.getMessage().contains("train") && e.getMessage().contains("dev"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MovingDigits.builder().size(20, 28));
        assertThrows(IllegalArgumentException.class, () -> MovingDigits.builder().digits(0));
        assertThrows(IllegalArgumentException.class, () -> MovingDigits.builder().frames(0, 1));
        assertThrows(IllegalArgumentException.class, () -> MovingDigits.builder().speed(3, 2));
        MovingDigits d = MovingDigits.of("val", 0);
        float[] in = new float[d.inputLength()], tgt = new float[d.targetLength()];
        assertThrows(IllegalArgumentException.class, () -> d.fill(1000, in, 0, tgt, 0));
        assertThrows(IllegalArgumentException.class, () -> d.fill(-1, in, 0, tgt, 0));
        e = assertThrows(IllegalArgumentException.class, () -> d.fill(0, in, 1, tgt, 0));
        assertTrue(e.getMessage().contains("input"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> d.fill(0, in, 0, new float[10], 0));
    }

    @Test
    void glyphMasksAreInkInTheUnitRangeAndFitTheirBox() {
        Glyphs g = Glyphs.bank(28);
        for (int digit = 0; digit < 10; digit++) {
            for (int v = 0; v < Glyphs.VARIANTS; v++) {
                float[] m = g.mask(digit, v);
                double ink = 0, border = 0;
                for (int i = 0; i < m.length; i++) {
                    assertTrue(m[i] >= 0 && m[i] <= 1);
                    ink += m[i];
                    int x = i % 28, y = i / 28;
                    if (x == 0 || y == 0 || x == 27 || y == 27) border += m[i];
                }
                assertTrue(ink > 15, "digit " + digit + " variant " + v + " has ink " + ink);
                assertTrue(border < 0.5, "digit " + digit + " variant " + v + " is clipped (border ink " + border + ")");
            }
        }
    }
}
