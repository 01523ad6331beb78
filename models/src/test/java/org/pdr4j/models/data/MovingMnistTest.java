package org.pdr4j.models.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pdr4j.models.data.DataFiles.assertOneLine;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MovingMnistTest {
    @TempDir Path dir;

    /** The test file's pixel (frame t, sequence s, row r, column c): a pattern that differs in every index. */
    private static int pixel(int t, int s, int r, int c) {
        return (t * 7 + s * 31 + r * 3 + c) & 0xff;
    }

    private Path writeTestSeq(Path folder, int frames, int seqs) throws IOException {
        byte[] px = new byte[frames * seqs * 64 * 64];
        int i = 0;
        for (int t = 0; t < frames; t++)
            for (int s = 0; s < seqs; s++)
                for (int r = 0; r < 64; r++)
                    for (int c = 0; c < 64; c++) px[i++] = (byte) pixel(t, s, r, c);
        Files.createDirectories(folder);
        Path f = folder.resolve(MovingMnist.TEST_FILE);
        Files.write(f, DataFiles.npy("|u1", new long[] {frames, seqs, 64, 64}, px));
        return f;
    }

    /** An idx3 file of {@code n} 28x28 digits, digit k filled with {@code 255 - k}. */
    private Path writeIdx(String name, int n, boolean gzip) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream raw = gzip ? new GZIPOutputStream(bytes) : bytes; DataOutputStream d = new DataOutputStream(raw)) {
            d.writeInt(0x0803);
            d.writeInt(n);
            d.writeInt(28);
            d.writeInt(28);
            for (int k = 0; k < n; k++) for (int p = 0; p < 784; p++) d.writeByte(255 - k);
        }
        Path f = dir.resolve(name);
        Files.write(f, bytes.toByteArray());
        return f;
    }

    private static DataRequest request(String split, Path root, int in, int out) {
        return new DataRequest(split, 3, root, in, out, 64, 64);
    }

    @Test
    void testAndValReadTheFixedSequencesScaledToUnit() throws IOException {
        writeTestSeq(dir.resolve("moving_mnist"), 20, 3);
        MovingMnist test = MovingMnist.open(request("test", dir, 10, 10));
        assertEquals(3, test.size());
        assertEquals("moving-mnist/test", test.name());
        Dataset.Sample s = test.get(2);
        assertArrayEquals(new int[] {10, 1, 64, 64}, s.input().shape().toArray());
        float[] in = s.input().toFloatArray(), tgt = s.target().toFloatArray();
        assertEquals(pixel(4, 2, 5, 9) / 255f, in[(4 * 64 + 5) * 64 + 9], 1e-7);
        assertEquals(pixel(17, 2, 63, 0) / 255f, tgt[(7 * 64 + 63) * 64], 1e-7);
        MovingMnist val = (MovingMnist) Datasets.open("moving-mnist", request("val", dir, 10, 10));
        assertArrayEquals(tgt, val.get(2).target().toFloatArray());
        assertTrue(val.sources().get(0).contains("val is the test file"), val.sources().toString());
        // A shorter clip takes the first frames of each sequence.
        assertArrayEquals(java.util.Arrays.copyOf(in, 5 * 4096), MovingMnist.open(request("test", dir, 5, 3)).get(2).input().toFloatArray());
    }

    @Test
    void trainingSequencesFollowTheBouncingProtocol() throws IOException {
        writeIdx(MovingMnist.TRAIN_FILE + ".gz", 5, true);
        MovingMnist train = MovingMnist.open(request("train", dir, 10, 10));
        assertEquals(10_000, train.size());
        float[] in = new float[10 * 4096], tgt = new float[10 * 4096];
        for (int i : new int[] {0, 1, 977}) {
            train.fill(i, in, 0, tgt, 0);
            int[] prev = null;
            for (int t = 0; t < 20; t++) {
                float[] f = t < 10 ? in : tgt;
                int base = (t % 10) * 4096;
                // Every lit pixel belongs to a full 28x28 square of one of the digit values; find the
                // squares' corners as the top-left pixels of lit runs.
                int lit = 0, top = 64, left = 64, bottom = -1, right = -1;
                for (int p = 0; p < 4096; p++) {
                    float v = f[base + p];
                    if (v == 0) continue;
                    lit++;
                    assertTrue(v >= 251 / 255f - 1e-6 && v <= 1, "value " + v);
                    top = Math.min(top, p / 64);
                    left = Math.min(left, p % 64);
                    bottom = Math.max(bottom, p / 64);
                    right = Math.max(right, p % 64);
                }
                // Two squares of 784 pixels: between one (full overlap) and two of them lit.
                assertTrue(lit >= 784 && lit <= 2 * 784, "lit " + lit);
                assertTrue(top >= 0 && bottom <= 63 && bottom - top >= 27 && right - left >= 27);
                int[] box = {top, left, bottom, right};
                if (prev != null)
                    for (int k = 0; k < 4; k++) assertTrue(Math.abs(box[k] - prev[k]) <= 4, "a digit moves at most 0.1 * 36 px per frame, " + t);
                prev = box;
            }
        }
        float[] again = new float[tgt.length];
        train.fill(977, new float[in.length], 0, again, 0);
        assertArrayEquals(tgt, again);
        MovingMnist other = MovingMnist.open(new DataRequest("train", 4, dir, 10, 10, 64, 64));
        other.fill(977, new float[in.length], 0, again, 0);
        assertFalse(java.util.Arrays.equals(tgt, again), "another seed draws other sequences");
    }

    @Test
    void theFullSizeFileIsMappedNotRead() throws IOException {
        // The real file's shape, 819 MB, as a sparse file: opening and reading the last sequence
        // touches only its pages (the heap would not hold the file as float32).
        byte[] header = DataFiles.npy("|u1", new long[] {20, 10_000, 64, 64}, new byte[0]);
        Path f = dir.resolve(MovingMnist.TEST_FILE);
        try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(f.toFile(), "rw")) {
            raf.write(header);
            raf.setLength(header.length + 20L * 10_000 * 4096);
            raf.seek(header.length + (19L * 10_000 + 9_999) * 4096 + 4095);
            raf.write(200);
        }
        MovingMnist test = MovingMnist.open(request("test", dir, 10, 10));
        assertEquals(10_000, test.size());
        float[] tgt = test.get(9_999).target().toFloatArray();
        assertEquals(200 / 255f, tgt[tgt.length - 1], 1e-7);
        assertEquals(0f, tgt[tgt.length - 2]);
    }

    @Test
    void uncompressedIdxIsReadToo() throws IOException {
        writeIdx(MovingMnist.TRAIN_FILE, 2, false);
        assertEquals(2 * 784, MovingMnist.readIdx(dir.resolve(MovingMnist.TRAIN_FILE)).length);
    }

    @Test
    void badFilesGetOneLineErrorsNamingThem() throws IOException {
        DataFormatException e = assertThrows(DataFormatException.class, () -> MovingMnist.open(request("test", dir, 10, 10)));
        assertOneLine(e, MovingMnist.TEST_FILE);
        e = assertThrows(DataFormatException.class, () -> MovingMnist.open(request("test", null, 10, 10)));
        assertOneLine(e, "--data-root");
        e = assertThrows(DataFormatException.class, () -> MovingMnist.open(request("train", dir, 10, 10)));
        assertOneLine(e, MovingMnist.TRAIN_FILE);

        Path f = writeTestSeq(dir, 12, 2);
        e = assertThrows(DataFormatException.class, () -> MovingMnist.open(request("test", dir, 10, 10)));
        assertOneLine(e, f);
        assertTrue(e.getMessage().contains("12-frame"), e.getMessage());
        e = assertThrows(DataFormatException.class, () -> MovingMnist.open(new DataRequest("test", 0, dir, 10, 2, 32, 32)));
        assertOneLine(e, "64x64");

        Files.write(f, DataFiles.npy("|u1", new long[] {20, 2, 32, 32}, new byte[20 * 2 * 1024]));
        e = assertThrows(DataFormatException.class, () -> MovingMnist.open(request("test", dir, 10, 10)));
        assertOneLine(e, f);
        byte[] whole = DataFiles.npy("|u1", new long[] {20, 2, 64, 64}, new byte[20 * 2 * 4096]);
        Files.write(f, java.util.Arrays.copyOf(whole, whole.length / 2));
        e = assertThrows(DataFormatException.class, () -> MovingMnist.open(request("test", dir, 10, 10)));
        assertOneLine(e, f);

        Path idx = writeIdx(MovingMnist.TRAIN_FILE, 3, false);
        byte[] b = Files.readAllBytes(idx);
        Files.write(idx, java.util.Arrays.copyOf(b, b.length - 100));
        e = assertThrows(DataFormatException.class, () -> MovingMnist.readIdx(idx));
        assertOneLine(e, idx);
        b[3] = 1; // idx1 (labels) magic
        Files.write(idx, b);
        e = assertThrows(DataFormatException.class, () -> MovingMnist.readIdx(idx));
        assertOneLine(e, "idx3");
    }
}
