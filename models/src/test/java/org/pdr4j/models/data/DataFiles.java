package org.pdr4j.models.data;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Writes tiny files in the formats the loaders read, and checks their error messages. */
public final class DataFiles {
    private DataFiles() {}

    /** A version-1.0 {@code .npy} of {@code descr} (e.g. {@code "|u1"}, {@code "<f8"}) holding {@code data}. */
    public static byte[] npy(String descr, long[] shape, byte[] data) {
        StringBuilder dims = new StringBuilder();
        for (long d : shape) dims.append(d).append(", ");
        dims.setLength(dims.length() - (shape.length > 1 ? 2 : 1)); // numpy writes (3,) and (2, 3)
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + dims + "), }";
        int pad = 64 - (10 + dict.length() + 1) % 64;
        String header = dict + " ".repeat(pad % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        b.putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII)).put(data);
        return b.array();
    }

    /** Little-endian float64 bytes of {@code v}. */
    public static byte[] f8(double[] v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double x : v) b.putDouble(x);
        return b.array();
    }

    /** An {@code .npz} (stored or deflated) of {@code entries}: array name to {@code .npy} bytes. */
    public static void npz(Path file, Map<String, byte[]> entries, boolean deflate) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipEntry z = new ZipEntry(e.getKey() + ".npy");
                if (!deflate) {
                    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
                    crc.update(e.getValue());
                    z.setMethod(ZipEntry.STORED);
                    z.setSize(e.getValue().length);
                    z.setCrc(crc.getValue());
                }
                zip.putNextEntry(z);
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        Files.write(file, bytes.toByteArray());
    }

    /** The message is one line and names {@code what} (a file, folder or key). */
    public static void assertOneLine(Throwable e, Object what) {
        String m = e.getMessage();
        assertFalse(m.contains("\n"), m);
        assertTrue(m.contains(what.toString()), "'" + m + "' should name " + what);
    }

    /** Elements of one TaxiBJ clip, {@code [4, 2, 32, 32]}. */
    public static final int TAXIBJ_SAMPLE = 4 * 2 * 32 * 32;

    /** Element {@code i} of sample {@code n} of TaxiBJ array {@code a} (0 X_train, 1 Y_train, 2 X_test, 3 Y_test): distinct, in [-1, 1]. */
    public static double taxiBjValue(int a, int n, int i) {
        return ((a * 7919 + n * 104729 + i * 31) % 2001) / 1000.0 - 1;
    }

    /** The float64 .npy of TaxiBJ array {@code a} with {@code n} samples. */
    public static byte[] taxiBjArray(int a, int n) {
        double[] v = new double[n * TAXIBJ_SAMPLE];
        for (int s = 0; s < n; s++) for (int i = 0; i < TAXIBJ_SAMPLE; i++) v[s * TAXIBJ_SAMPLE + i] = taxiBjValue(a, s, i);
        return npy("<f8", new long[] {n, 4, 2, 32, 32}, f8(v));
    }

    /** A TaxiBJ {@code dataset.npz} in {@code folder} with {@code train} and {@code test} samples; returns its path. */
    public static Path taxiBj(Path folder, boolean deflate, int train, int test) throws IOException {
        Files.createDirectories(folder);
        Map<String, byte[]> e = new java.util.LinkedHashMap<>();
        e.put("X_train", taxiBjArray(0, train));
        e.put("Y_train", taxiBjArray(1, train));
        e.put("X_test", taxiBjArray(2, test));
        e.put("Y_test", taxiBjArray(3, test));
        Path f = folder.resolve("dataset.npz");
        npz(f, e, deflate);
        return f;
    }
}
