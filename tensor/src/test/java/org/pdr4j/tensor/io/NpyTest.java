package org.pdr4j.tensor.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pdr4j.tensor.DType;
import org.pdr4j.tensor.Shape;
import org.pdr4j.tensor.Tensor;

class NpyTest {
    @TempDir
    Path dir;

    /** A fixture made by NumPy (see resources/npy/make_fixtures.py), copied out of the classpath. */
    private Path fixture(String name) {
        try (InputStream in = NpyTest.class.getResourceAsStream("/npy/" + name)) {
            if (in == null) throw new IllegalStateException("missing test resource /npy/" + name);
            Path p = dir.resolve(name);
            Files.copy(in, p);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void assertValues(Tensor t, DType dtype, Shape shape, double... values) {
        assertEquals(dtype, t.dtype());
        assertEquals(shape, t.shape());
        assertArrayEquals(values, t.toDoubleArray(), 0, t.toString());
    }

    private static NpyFormatException formatError(Path file, ThrowingRead read) {
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> read.run(file));
        assertTrue(e.getMessage().startsWith(file.toString()), "message should start with the path: " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return e;
    }

    @FunctionalInterface
    private interface ThrowingRead {
        Object run(Path p) throws IOException;
    }

    /** A version-1.0 .npy built byte by byte: header dict (padded to 64) then {@code data}. */
    private static byte[] npyBytes(String dict, byte[] data) {
        int total = 10 + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        int len = dict.length() + pad + 1;
        ByteBuffer b = ByteBuffer.allocate(10 + len + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0).putShort((short) len);
        b.put(dict.getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < pad; i++) b.put((byte) ' ');
        b.put((byte) '\n').put(data);
        return b.array();
    }

    // ---------------------------------------------------------------- NumPy's own files

    @Test
    void readsNumpyFloat32AndFloat64IncludingRankZero() throws IOException {
        assertValues(Npy.read(fixture("f32_2x3.npy")), DType.F32, Shape.of(2, 3), -2.5, -1.5, -0.5, 0.5, 1.5, 2.5);
        assertValues(Npy.read(fixture("f64_scalar.npy")), DType.F64, Shape.scalar(), 3.25);
        assertValues(Npy.read(fixture("empty_0x3.npy")), DType.F32, Shape.of(0, 3));
    }

    @Test
    void readsNumpyBigEndian() throws IOException {
        assertValues(Npy.read(fixture("f32_vec_be.npy")), DType.F32, Shape.of(3), 1.5, -2.0, (double) 1e-3f);
        assertValues(Npy.read(fixture("i16_be.npy")), DType.F32, Shape.of(4), -2, 300, 32767, -32768);
    }

    @Test
    void readsUint8LikeMovingMnistAsFloat32From0To255() throws IOException {
        Path p = fixture("u8_seq.npy");
        NpyInfo info = Npy.inspect(p);
        assertEquals(NpyDType.UINT8, info.dtype());
        assertEquals("|u1", info.descr());
        assertEquals(Shape.of(2, 1, 3, 4), info.shape());
        Tensor t = Npy.read(p);
        double[] want = new double[24];
        double[] pattern = {0, 1, 127, 128, 200, 255};
        for (int i = 0; i < 24; i++) want[i] = pattern[i % 6];
        assertValues(t, DType.F32, Shape.of(2, 1, 3, 4), want);
    }

    @Test
    void readsTheOtherIntegerTypesAndBoolAndHalf() throws IOException {
        assertValues(Npy.read(fixture("i8.npy")), DType.F32, Shape.of(4), -128, -1, 0, 127);
        assertValues(Npy.read(fixture("u16.npy")), DType.F32, Shape.of(2), 0, 65535);
        assertValues(Npy.read(fixture("i32.npy")), DType.F32, Shape.of(2, 2), -7, 0, 1 << 20, -(1L << 31));
        assertValues(Npy.read(fixture("i64.npy")), DType.F32, Shape.of(2), -5, (double) (float) (1L << 40));
        assertValues(Npy.read(fixture("u64.npy")), DType.F32, Shape.of(2), 0, 0x1p64);
        assertValues(Npy.read(fixture("f16.npy")), DType.F32, Shape.of(3), 0.5, -2, 65504);
        assertValues(Npy.read(fixture("bool.npy")), DType.F32, Shape.of(3), 1, 0, 1);
    }

    @Test
    void readsNumpySavezInArchiveOrder() throws IOException {
        Path p = fixture("savez.npz");
        Map<String, Tensor> all = Npy.readNpz(p);
        assertEquals(List.of("b", "a"), List.copyOf(all.keySet()));
        assertValues(all.get("b"), DType.F32, Shape.of(2, 2), 1, 1, 1, 1);
        assertValues(all.get("a"), DType.F64, Shape.of(3), 0, 1, 2);
    }

    @Test
    void readsNumpySavezCompressedAndInspectsWithoutReading() throws IOException {
        Path p = fixture("savez_compressed.npz");
        List<NpyInfo> infos = Npy.inspectNpz(p);
        assertEquals(2, infos.size());
        assertEquals(new NpyInfo("frames", "|u1", NpyDType.UINT8, Shape.of(2, 3, 4)), infos.get(0));
        assertEquals(new NpyInfo("coords", "<f4", NpyDType.FLOAT32, Shape.of(1, 3, 2)), infos.get(1));
        assertEquals("frames: uint8 [2, 3, 4]", infos.get(0).toString());
        double[] frames = new double[24];
        for (int i = 0; i < 24; i++) frames[i] = 10 * i;
        assertValues(Npy.readNpzEntry(p, "frames"), DType.F32, Shape.of(2, 3, 4), frames);
        assertValues(Npy.readNpzEntry(p, "coords"), DType.F32, Shape.of(1, 3, 2),
                -1, (double) -0.6f, (double) -0.2f, (double) 0.2f, (double) 0.6f, 1);
        Map<String, Tensor> picked = Npy.readNpz(p, List.of("coords", "frames"));
        assertEquals(List.of("coords", "frames"), List.copyOf(picked.keySet()));
    }

    @Test
    void writesExactlyTheBytesNumpyWrites() throws IOException {
        // np.save output for the same arrays: header text, padding and data must match byte for byte.
        Path f32 = dir.resolve("mine_f32.npy");
        Npy.write(f32, Tensor.of(new float[] {-2.5f, -1.5f, -0.5f, 0.5f, 1.5f, 2.5f}, 2, 3));
        assertArrayEquals(Files.readAllBytes(fixture("f32_2x3.npy")), Files.readAllBytes(f32));
        Path f64 = dir.resolve("mine_f64.npy");
        Npy.write(f64, Tensor.full(DType.F64, Shape.scalar(), 3.25));
        assertArrayEquals(Files.readAllBytes(fixture("f64_scalar.npy")), Files.readAllBytes(f64));
        Path empty = dir.resolve("mine_empty.npy");
        Npy.write(empty, Tensor.zeros(0, 3));
        assertArrayEquals(Files.readAllBytes(fixture("empty_0x3.npy")), Files.readAllBytes(empty));
    }

    // ---------------------------------------------------------------- round trips

    @ParameterizedTest
    @ValueSource(strings = {"", "1", "7", "3,4", "2,3,4,5", "0", "2,0,3", "1,1,1,1"})
    void roundTripsEveryRank(String dims) throws IOException {
        int[] shape = dims.isEmpty() ? new int[0] : Arrays.stream(dims.split(",")).mapToInt(Integer::parseInt).toArray();
        Tensor f32 = Tensor.randn(42, shape);
        Tensor f64 = Tensor.randn(43, shape).to(DType.F64);
        Path a = dir.resolve("a.npy"), b = dir.resolve("b.npy");
        Npy.write(a, f32);
        Npy.write(b, f64);
        Tensor ra = Npy.read(a), rb = Npy.read(b);
        assertEquals(DType.F32, ra.dtype());
        assertEquals(DType.F64, rb.dtype());
        assertEquals(f32.shape(), ra.shape());
        assertArrayEquals(f32.toFloatArray(), ra.toFloatArray());
        assertArrayEquals(f64.toDoubleArray(), rb.toDoubleArray());

        Map<String, Tensor> arrays = new LinkedHashMap<>();
        arrays.put("x", f32);
        arrays.put("y", f64);
        for (boolean compress : new boolean[] {false, true}) {
            Path z = dir.resolve("z" + compress + ".npz");
            Npy.writeNpz(z, arrays, compress);
            Map<String, Tensor> back = Npy.readNpz(z);
            assertEquals(List.of("x", "y"), List.copyOf(back.keySet()));
            assertArrayEquals(f32.toFloatArray(), back.get("x").toFloatArray());
            assertEquals(f64.shape(), back.get("y").shape());
            assertArrayEquals(f64.toDoubleArray(), back.get("y").toDoubleArray());
        }
    }

    @Test
    void writesNonContiguousViewsInLogicalOrder() throws IOException {
        Tensor t = Tensor.arange(12).reshape(3, 4).transpose(0, 1).narrow(0, 1, 2);
        Path p = dir.resolve("v.npy");
        Npy.write(p, t);
        Tensor back = Npy.read(p);
        assertEquals(Shape.of(2, 3), back.shape());
        assertArrayEquals(t.toFloatArray(), back.toFloatArray());
    }

    @Test
    void largeArraysCrossTheDecodeChunks() throws IOException {
        Tensor t = Tensor.rand(7, 3, 1 << 17); // 1.5 MiB of float32: more than one 1 MiB chunk
        Path p = dir.resolve("big.npz");
        Npy.writeNpz(p, Map.of("t", t), true);
        assertArrayEquals(t.toFloatArray(), Npy.readNpzEntry(p, "t").toFloatArray());
    }

    // ---------------------------------------------------------------- hand-made files

    @Test
    void readsHandWrittenBigEndianFloat64AndInt32() throws IOException {
        ByteBuffer d = ByteBuffer.allocate(16).order(ByteOrder.BIG_ENDIAN).putDouble(-1.25).putDouble(1e300);
        Path p = dir.resolve("be.npy");
        Files.write(p, npyBytes("{'descr': '>f8', 'fortran_order': False, 'shape': (2,), }", d.array()));
        assertValues(Npy.read(p), DType.F64, Shape.of(2), -1.25, 1e300);

        ByteBuffer i = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putInt(-3).putInt(70000);
        Path q = dir.resolve("be_i4.npy");
        Files.write(q, npyBytes("{'descr': '>i4', 'fortran_order': False, 'shape': (1, 2), }", i.array()));
        assertEquals(new NpyInfo("be_i4.npy", ">i4", NpyDType.INT32, Shape.of(1, 2)), Npy.inspect(q));
        assertValues(Npy.read(q), DType.F32, Shape.of(1, 2), -3, 70000);
    }

    @Test
    void readsAVersion2Header() throws IOException {
        byte[] v1 = Files.readAllBytes(fixture("f32_2x3.npy"));
        int len = (v1[8] & 0xff) | (v1[9] & 0xff) << 8;
        ByteBuffer v2 = ByteBuffer.allocate(v1.length + 2).order(ByteOrder.LITTLE_ENDIAN);
        v2.put(v1, 0, 6).put((byte) 2).put((byte) 0).putInt(len).put(v1, 10, v1.length - 10);
        Path p = dir.resolve("v2.npy");
        Files.write(p, v2.array());
        assertValues(Npy.read(p), DType.F32, Shape.of(2, 3), -2.5, -1.5, -0.5, 0.5, 1.5, 2.5);
    }

    // ---------------------------------------------------------------- errors

    @Test
    void missingFileNamesThePath() {
        Path p = dir.resolve("nope.npy");
        assertTrue(formatError(p, Npy::read).getMessage().contains("no such file"));
        assertTrue(formatError(dir.resolve("nope.npz"), Npy::readNpz).getMessage().contains("no such file"));
        assertTrue(formatError(dir, Npy::read).getMessage().contains("directory"));
    }

    @Test
    void garbageIsNotAnNpyOrNpz() throws IOException {
        Path g = dir.resolve("garbage.npy");
        Files.writeString(g, "hello, this is not numpy");
        assertTrue(formatError(g, Npy::read).getMessage().contains("not an .npy file"));
        assertTrue(formatError(g, Npy::readNpz).getMessage().contains("not an .npz"));
        Path empty = dir.resolve("empty.npy");
        Files.write(empty, new byte[0]);
        assertTrue(formatError(empty, Npy::read).getMessage().contains("not an .npy file"));
        // An .npy is not an .npz, nor the other way round.
        assertTrue(formatError(fixture("f32_2x3.npy"), Npy::readNpz).getMessage().contains("not an .npz"));
        assertTrue(formatError(fixture("savez.npz"), Npy::read).getMessage().contains("not an .npy file"));
    }

    @Test
    void truncatedDataIsReportedWithTheSizes() throws IOException {
        Path p = dir.resolve("t.npy");
        Npy.write(p, Tensor.rand(1, 2, 3));
        byte[] all = Files.readAllBytes(p);
        Files.write(p, Arrays.copyOf(all, all.length - 3));
        String m = formatError(p, Npy::read).getMessage();
        assertTrue(m.contains("truncated") && m.contains("float32 [2, 3]") && m.contains("24 bytes") && m.contains("21"), m);
        // inspect reads only the header, which is whole.
        assertEquals(Shape.of(2, 3), Npy.inspect(p).shape());
        Files.write(p, Arrays.copyOf(all, 40));
        assertTrue(formatError(p, Npy::read).getMessage().contains("ends inside the .npy header"));
    }

    @Test
    void truncatedNpzArchiveIsReported() throws IOException {
        Path z = dir.resolve("t.npz");
        Npy.writeNpz(z, Map.of("x", Tensor.rand(1, 4, 4)));
        byte[] all = Files.readAllBytes(z);
        Files.write(z, Arrays.copyOf(all, all.length / 2));
        assertTrue(formatError(z, Npy::readNpz).getMessage().contains("truncated"));
        assertTrue(formatError(z, Npy::inspectNpz).getMessage().contains("truncated"));
    }

    @Test
    void truncatedEntryInsideAValidZipIsReported() throws IOException {
        byte[] npy = npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", new byte[10]);
        for (int method : new int[] {ZipEntry.STORED, ZipEntry.DEFLATED}) {
            Path z = dir.resolve("short" + method + ".npz");
            try (ZipOutputStream zos = new ZipOutputStream(Files.newOutputStream(z))) {
                ZipEntry e = new ZipEntry("x.npy");
                e.setMethod(method);
                if (method == ZipEntry.STORED) {
                    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
                    crc.update(npy);
                    e.setSize(npy.length);
                    e.setCrc(crc.getValue());
                }
                zos.putNextEntry(e);
                zos.write(npy);
                zos.closeEntry();
            }
            String m = formatError(z, p -> Npy.readNpzEntry(p, "x")).getMessage();
            assertTrue(m.startsWith(z + "['x']: truncated") && m.contains("16 bytes of data") && m.contains("only 10"), m);
        }
    }

    @Test
    void missingNpzKeyListsThePresentOnes() throws IOException {
        Path p = fixture("savez.npz");
        String m = formatError(p, q -> Npy.readNpzEntry(q, "coords")).getMessage();
        assertEquals(p + ": no array 'coords' (arrays present: b, a)", m);
    }

    @Test
    void unsupportedDtypesAreNamed() throws IOException {
        Path c = fixture("complex.npy");
        NpyInfo info = Npy.inspect(c);
        assertFalse(info.isSupported());
        assertNull(info.dtype());
        assertEquals("<c8", info.dtypeName());
        String m = formatError(c, Npy::read).getMessage();
        assertTrue(m.contains("unsupported dtype '<c8'") && m.contains("float32"), m);
        assertTrue(formatError(fixture("strings.npy"), Npy::read).getMessage().contains("unsupported dtype '<U2'"));
    }

    @Test
    void fortranOrderIsAClearError() throws IOException {
        String m = formatError(fixture("fortran.npy"), Npy::read).getMessage();
        assertTrue(m.contains("fortran_order=True") && m.contains("ascontiguousarray"), m);
    }

    @Test
    void malformedHeaderAndUnknownVersionAreReported() throws IOException {
        Path p = dir.resolve("bad.npy");
        Files.write(p, npyBytes("{'descr': '<f4', 'shape': (2,), }", new byte[8]));
        assertTrue(formatError(p, Npy::read).getMessage().contains("malformed .npy header"));
        byte[] v3 = Files.readAllBytes(fixture("f32_2x3.npy"));
        v3[6] = 3;
        Files.write(p, v3);
        assertTrue(formatError(p, Npy::read).getMessage().contains("version 3.0"));
    }

    // ---------------------------------------------------------------- atomic writes

    @Test
    void overwritingLeavesNoTemporaryFiles() throws IOException {
        Path p = dir.resolve("x.npy");
        Npy.write(p, Tensor.ones(3));
        Npy.write(p, Tensor.zeros(5));
        assertEquals(Shape.of(5), Npy.read(p).shape());
        try (var files = Files.list(dir)) {
            assertEquals(List.of(p), files.toList());
        }
    }

    @Test
    void failedWriteLeavesTheExistingTargetUntouched() throws IOException {
        Path p = dir.resolve("keep.npz");
        Npy.writeNpz(p, Map.of("x", Tensor.ones(2)));
        byte[] before = Files.readAllBytes(p);
        Map<String, Tensor> bad = new LinkedHashMap<>();
        bad.put("x", Tensor.zeros(2));
        bad.put("y", null);
        assertThrows(IllegalArgumentException.class, () -> Npy.writeNpz(p, bad));
        // A body that dies half-way through, as a crash would.
        IOException boom = assertThrows(IOException.class, () -> AtomicFiles.write(p, out -> {
            Npy.write(out, Tensor.rand(3, 100));
            throw new IOException("disk on fire");
        }));
        assertEquals("disk on fire", boom.getMessage());
        assertArrayEquals(before, Files.readAllBytes(p));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(p), files.toList(), "no temporary file may be left");
        }
    }

    @Test
    void writeAllCommitsEverythingOrNothing() throws IOException {
        Path a = dir.resolve("a.bin"), b = dir.resolve("b.bin");
        Map<Path, AtomicFiles.Body> outs = new LinkedHashMap<>();
        outs.put(a, out -> out.write(1));
        outs.put(b, out -> {
            throw new IOException("second fails");
        });
        assertThrows(IOException.class, () -> AtomicFiles.writeAll(outs));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(), files.toList());
        }
        outs.put(b, out -> out.write(2));
        AtomicFiles.writeAll(outs);
        assertArrayEquals(new byte[] {1}, Files.readAllBytes(a));
        assertArrayEquals(new byte[] {2}, Files.readAllBytes(b));
        Map<Path, AtomicFiles.Body> twice = new LinkedHashMap<>();
        twice.put(a, out -> {});
        twice.put(dir.resolve(".").resolve("a.bin"), out -> {});
        assertThrows(IllegalArgumentException.class, () -> AtomicFiles.writeAll(twice));
    }

    @Test
    void writeToAMissingDirectoryFailsCleanly() {
        Path p = dir.resolve("no/such/dir/x.npy");
        assertThrows(java.nio.file.NoSuchFileException.class, () -> Npy.write(p, Tensor.ones(1)));
    }

    @Test
    void streamWriterMatchesFileWriter() throws IOException {
        Tensor t = Tensor.randn(5, 2, 2);
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        Npy.write(bos, t);
        Path p = dir.resolve("s.npy");
        Npy.write(p, t);
        assertArrayEquals(Files.readAllBytes(p), bos.toByteArray());
    }
}
