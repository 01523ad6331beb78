package org.pdr4j.tensor.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pdr4j.tensor.DType;
import org.pdr4j.tensor.Shape;
import org.pdr4j.tensor.Tensor;

class MappedNpyTest {
    @TempDir
    Path dir;

    private Path fixture(String name) {
        try (InputStream in = MappedNpyTest.class.getResourceAsStream("/npy/" + name)) {
            if (in == null) throw new IllegalStateException("missing test resource /npy/" + name);
            Path p = dir.resolve(name);
            Files.copy(in, p);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static float[] all(MappedNpy m) {
        float[] out = new float[(int) m.numel()];
        m.read(0, out, 0, out.length);
        return out;
    }

    private static float[] floats(Tensor t) {
        double[] d = t.toDoubleArray();
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }

    /** Every dtype and byte order NumPy wrote reads in place exactly as the whole-array reader reads it. */
    @ParameterizedTest
    @ValueSource(strings = {"f32_2x3.npy", "f64_scalar.npy", "empty_0x3.npy", "f32_vec_be.npy", "i16_be.npy", "u8_seq.npy",
            "i8.npy", "u16.npy", "i32.npy", "i64.npy", "u64.npy", "f16.npy", "bool.npy"})
    void mappedReadsMatchTheWholeArrayReader(String name) throws IOException {
        Path p = fixture(name);
        Tensor whole = Npy.read(p);
        try (MappedNpy m = MappedNpy.open(p)) {
            assertEquals(whole.shape(), m.shape());
            assertEquals(Npy.inspect(p), m.info());
            assertArrayEquals(floats(whole), all(m), name);
        }
    }

    @Test
    void readsAnyRangeIntoAnyOffset() throws IOException {
        Path p = dir.resolve("r.npy");
        Tensor t = Tensor.arange(100).reshape(4, 25);
        Npy.write(p, t);
        try (MappedNpy m = MappedNpy.open(p)) {
            float[] dst = new float[12];
            m.read(37, dst, 2, 10);
            for (int i = 0; i < 10; i++) assertEquals(37 + i, dst[2 + i]);
            assertEquals(0, dst[0]);
            assertThrows(IndexOutOfBoundsException.class, () -> m.read(95, dst, 0, 6));
            assertThrows(IndexOutOfBoundsException.class, () -> m.read(0, dst, 5, 8));
        }
    }

    @Test
    void mapsStoredAndDeflatedNpzEntries() throws IOException {
        Map<String, Tensor> arrays = new LinkedHashMap<>();
        arrays.put("X_train", Tensor.arange(24).reshape(2, 3, 4).mul(0.5).to(DType.F64));
        arrays.put("Y_train", Tensor.arange(6));
        for (boolean compress : new boolean[] {false, true}) {
            Path p = dir.resolve("d" + compress + ".npz");
            Npy.writeNpz(p, arrays, compress);
            for (var e : arrays.entrySet()) {
                try (MappedNpy m = MappedNpy.openNpz(p, e.getKey())) {
                    assertEquals(e.getValue().shape(), m.shape());
                    assertArrayEquals(floats(e.getValue()), all(m), e.getKey() + " compressed=" + compress);
                    assertTrue(m.where().contains(e.getKey()));
                }
            }
        }
        // NumPy's own archives (np.savez writes zip64 extras; np.savez_compressed deflates).
        try (MappedNpy m = MappedNpy.openNpz(fixture("savez.npz"), "a")) {
            assertArrayEquals(new float[] {0, 1, 2}, all(m));
        }
        try (MappedNpy m = MappedNpy.openNpz(fixture("savez_compressed.npz"), "frames")) {
            assertEquals(Shape.of(2, 3, 4), m.shape());
            assertEquals(230f, all(m)[23]);
        }
    }

    @Test
    void errorsAreOneLineAndNameTheFile() throws IOException {
        Path missing = dir.resolve("nope.npy");
        assertOneLine(assertThrows(NpyFormatException.class, () -> MappedNpy.open(missing)), missing);

        Path p = dir.resolve("t.npy");
        Npy.write(p, Tensor.arange(64));
        byte[] b = Files.readAllBytes(p);
        Path cut = dir.resolve("cut.npy");
        Files.write(cut, java.util.Arrays.copyOf(b, b.length - 10));
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> MappedNpy.open(cut));
        assertOneLine(e, cut);
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());

        Path npz = dir.resolve("k.npz");
        Npy.writeNpz(npz, Map.of("a", Tensor.arange(3)));
        e = assertThrows(NpyFormatException.class, () -> MappedNpy.openNpz(npz, "X_test"));
        assertOneLine(e, npz);
        assertTrue(e.getMessage().contains("arrays present: a"), e.getMessage());

        Path junk = dir.resolve("junk.npz");
        Files.writeString(junk, "not a zip at all");
        assertOneLine(assertThrows(NpyFormatException.class, () -> MappedNpy.openNpz(junk, "a")), junk);
    }

    @Test
    void readsAfterCloseFail() throws IOException {
        Path p = dir.resolve("c.npy");
        Npy.write(p, Tensor.arange(8));
        MappedNpy m = MappedNpy.open(p);
        m.close();
        assertThrows(IllegalStateException.class, () -> m.read(0, new float[8], 0, 8));
    }

    private static void assertOneLine(NpyFormatException e, Path file) {
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
}
