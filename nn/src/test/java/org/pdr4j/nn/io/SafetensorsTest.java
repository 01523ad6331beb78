package org.pdr4j.nn.io;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdr4j.tensor.DType;
import org.pdr4j.tensor.Tensor;

class SafetensorsTest {
    @TempDir Path dir;

    private static LinkedHashMap<String, Tensor> sample() {
        LinkedHashMap<String, Tensor> m = new LinkedHashMap<>();
        m.put("a.weight", Tensor.rand(1, 3, 4));
        m.put("b", Tensor.of(new double[] {1.5, -2.25, Math.PI}, 3));
        m.put("scalar", Tensor.scalar(7));
        m.put("empty", Tensor.zeros(0, 5));
        m.put("view", Tensor.rand(2, 4, 6).transpose(0, 1));
        return m;
    }

    @Test void roundTrip() throws IOException {
        Path f = dir.resolve("x.safetensors");
        var t = sample();
        Safetensors.write(f, t, Map.of("format", "pt", "note", "é \"quoted\""));
        Safetensors.Loaded l = Safetensors.read(f);
        assertEquals(List.copyOf(t.keySet()), List.copyOf(l.tensors().keySet()));
        for (var e : t.entrySet()) {
            Tensor r = l.tensors().get(e.getKey());
            assertEquals(e.getValue().shape(), r.shape(), e.getKey());
            assertEquals(e.getValue().dtype(), r.dtype(), e.getKey());
            assertArrayEquals(e.getValue().toDoubleArray(), r.toDoubleArray(), e.getKey());
        }
        assertEquals(Map.of("format", "pt", "note", "é \"quoted\""), l.metadata());
        long n = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, n % 8, "header padded to 8 bytes");
    }

    /** Builds a file by hand as the spec describes, with the other dtypes. */
    @Test void readsHalfBfloatAndIntegers() throws IOException {
        ByteBuffer d = ByteBuffer.allocate(2 * 2 + 2 * 2 + 4 * 2 + 8 * 2).order(ByteOrder.LITTLE_ENDIAN);
        d.putShort(Float.floatToFloat16(1.5f)).putShort(Float.floatToFloat16(-0.25f));
        d.putShort((short) (Float.floatToIntBits(3.0f) >>> 16)).putShort((short) (Float.floatToIntBits(-2.0f) >>> 16));
        d.putInt(-7).putInt(42);
        d.putLong(123456L).putLong(-1L);
        String json = "{\"h\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]},"
                + "\"bf\":{\"dtype\":\"BF16\",\"shape\":[2,1],\"data_offsets\":[4,8]},"
                + "\"i\":{\"dtype\":\"I32\",\"shape\":[2],\"data_offsets\":[8,16]},"
                + "\"l\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[16,32]}}";
        Path f = dir.resolve("h.safetensors");
        Files.write(f, file(json, d.array()));
        var l = Safetensors.read(f);
        assertArrayEquals(new float[] {1.5f, -0.25f}, l.tensors().get("h").toFloatArray());
        assertArrayEquals(new float[] {3f, -2f}, l.tensors().get("bf").toFloatArray());
        assertArrayEquals(new float[] {-7f, 42f}, l.tensors().get("i").toFloatArray());
        assertArrayEquals(new float[] {123456f, -1f}, l.tensors().get("l").toFloatArray());
        assertEquals(DType.F32, l.tensors().get("l").dtype());
        assertTrue(l.metadata().isEmpty());
    }

    private static byte[] file(String json, byte[] data) {
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(data);
        return b.array();
    }

    private void assertBad(byte[] content, String fragment) throws IOException {
        Path f = dir.resolve("bad.safetensors");
        Files.write(f, content);
        var e = assertThrows(SafetensorsFormatException.class, () -> Safetensors.read(f));
        assertTrue(e.getMessage().contains("bad.safetensors"), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test void corruptFilesAreRejected() throws IOException {
        assertBad(new byte[3], "shorter");
        assertBad(file("{\"a\":", new byte[0]), "not valid JSON");
        assertBad(file("[1,2]", new byte[0]), "not a JSON object");
        assertBad(file("{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}", new byte[1]), "unsupported dtype");
        assertBad(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", new byte[4]), "out of range");
        assertBad(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", new byte[8]), "needs 12");
        assertBad(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[8]), "cover 4 of 8");
        assertBad(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4]), "overlap");
        assertBad(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", new byte[4]), "bad dimension");
        assertBad(file("{\"__metadata__\":{\"k\":3}}", new byte[0]), "not a string");
        byte[] huge = file("{}", new byte[0]);
        ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1000);
        assertBad(huge, "header length 1000");
    }

    @Test void truncatedFileIsRejected() throws IOException {
        Path f = dir.resolve("t.safetensors");
        Safetensors.write(f, sample(), Map.of());
        byte[] all = Files.readAllBytes(f);
        for (int cut : new int[] {0, 7, 20, all.length - 1}) {
            assertBad(Arrays.copyOf(all, cut), "");
        }
    }

    @Test void interruptedWriteLeavesOldFile() throws IOException {
        Path f = dir.resolve("c.safetensors");
        Safetensors.write(f, Map.of("x", Tensor.ones(2)), Map.of("v", "1"));
        byte[] before = Files.readAllBytes(f);
        // A write that fails leaves the target alone.
        Map<String, Tensor> failing = new LinkedHashMap<>(Map.of("y", Tensor.rand(3, 1000))) {
            @Override public java.util.Set<Map.Entry<String, Tensor>> entrySet() {
                throw new IllegalStateException("simulated crash");
            }
        };
        assertThrows(IllegalStateException.class, () -> Safetensors.write(f, failing, Map.of()));
        // A crash after the temporary file was (half) written but before the rename: the target is
        // the old file, and a later write still replaces it cleanly.
        Files.write(dir.resolve(".c.safetensors.0123abcd.tmp"), Arrays.copyOf(before, 11));
        assertArrayEquals(before, Files.readAllBytes(f));
        assertEquals("1", Safetensors.read(f).metadata().get("v"));
        Safetensors.write(f, Map.of("x", Tensor.zeros(3)), Map.of("v", "2"));
        assertEquals("2", Safetensors.read(f).metadata().get("v"));
        assertEquals(3, Safetensors.read(f).tensors().get("x").numel());
    }
}
