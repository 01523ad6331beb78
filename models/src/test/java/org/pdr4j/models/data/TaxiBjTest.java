package org.pdr4j.models.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pdr4j.models.data.DataFiles.assertOneLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaxiBjTest {
    @TempDir Path dir;

    private static final int SAMPLE = DataFiles.TAXIBJ_SAMPLE;

    private static double value(int a, int n, int i) {
        return DataFiles.taxiBjValue(a, n, i);
    }

    private static byte[] array(int a, int n) {
        return DataFiles.taxiBjArray(a, n);
    }

    private Path write(Path folder, boolean deflate, int train, int test) throws IOException {
        return DataFiles.taxiBj(folder, deflate, train, test);
    }

    private static DataRequest request(String split, Path root) {
        return new DataRequest(split, 0, root, 4, 4, 32, 32);
    }

    @Test
    void splitsAreTheNpzArraysRescaledToUnit() throws IOException {
        for (boolean deflate : new boolean[] {false, true}) {
            write(dir.resolve("taxibj"), deflate, 3, 2);
            Dataset train = Datasets.open("taxibj", request("train", dir)), test = TaxiBj.open(request("test", dir)), val = TaxiBj.open(request("val", dir));
            assertEquals(3, train.size());
            assertEquals(2, test.size());
            assertEquals(2, train.channels());
            assertEquals(ValueScale.UNIT_INTERVAL, train.scale());
            Dataset.Sample s = train.get(2);
            float[] in = s.input().toFloatArray(), tgt = s.target().toFloatArray();
            for (int i : new int[] {0, 1, 1000, SAMPLE - 1}) {
                assertEquals((value(0, 2, i) + 1) / 2, in[i], 1e-6);
                assertEquals((value(1, 2, i) + 1) / 2, tgt[i], 1e-6);
            }
            assertEquals((value(3, 1, 77) + 1) / 2, test.get(1).target().toFloatArray()[77], 1e-6);
            assertArrayEquals(test.get(1).target().toFloatArray(), val.get(1).target().toFloatArray());
            assertTrue(val.sources().get(0).contains("val is the test split"), val.sources().toString());
        }
    }

    @Test
    void badFilesAndClipsGetOneLineErrors() throws IOException {
        DataFormatException e = assertThrows(DataFormatException.class, () -> TaxiBj.open(request("train", dir)));
        assertOneLine(e, TaxiBj.FILE);
        Path f = write(dir, false, 2, 2);
        e = assertThrows(DataFormatException.class, () -> TaxiBj.open(new DataRequest("train", 0, dir, 12, 12, 32, 32)));
        assertOneLine(e, f);
        assertTrue(e.getMessage().contains("4 -> 4"), e.getMessage());

        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("X_train", array(0, 2));
        m.put("Y_train", DataFiles.npy("<f8", new long[] {2, 4, 2, 16, 16}, new byte[8 * 2 * 4 * 2 * 256]));
        DataFiles.npz(f, m, false);
        e = assertThrows(DataFormatException.class, () -> TaxiBj.open(request("train", dir)));
        assertOneLine(e, "Y_train");
        assertTrue(e.getMessage().contains("[N, 4, 2, 32, 32]"), e.getMessage());
        e = assertThrows(DataFormatException.class, () -> TaxiBj.open(request("test", dir)));
        assertOneLine(e, "X_test");

        byte[] whole = Files.readAllBytes(write(dir, false, 2, 2));
        Files.write(f, java.util.Arrays.copyOf(whole, whole.length / 3));
        e = assertThrows(DataFormatException.class, () -> TaxiBj.open(request("train", dir)));
        assertOneLine(e, f);
    }
}
