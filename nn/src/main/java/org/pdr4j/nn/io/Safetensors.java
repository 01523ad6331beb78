package org.pdr4j.nn.io;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pdr4j.tensor.DType;
import org.pdr4j.tensor.Shape;
import org.pdr4j.tensor.Storage;
import org.pdr4j.tensor.Tensor;
import org.pdr4j.tensor.io.AtomicFiles;

/**
 * The safetensors format (Hugging Face): an 8-byte little-endian header length N, N bytes of
 * JSON {@code {"name": {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {...}}}
 * padded with spaces to a multiple of 8, then the raw little-endian data. Files written here
 * load in Python's {@code safetensors} and vice versa.
 */
public final class Safetensors {
    private Safetensors() {}

    /** What {@link #read} returns: the tensors in file order and the string metadata. */
    public record Loaded(LinkedHashMap<String, Tensor> tensors, Map<String, String> metadata) {}

    private static final String META = "__metadata__";
    private static final long MAX_HEADER = 100L << 20;

    /**
     * Writes {@code tensors} (float32 as F32, float64 as F64) and {@code metadata} to {@code file}
     * atomically: a crash part-way leaves any previous file as it was.
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        JsonObject header = new JsonObject();
        if (metadata != null && !metadata.isEmpty()) {
            JsonObject m = new JsonObject();
            metadata.forEach((k, v) -> m.addProperty(k, v));
            header.add(META, m);
        }
        List<Tensor> data = new ArrayList<>();
        long offset = 0;
        for (var e : tensors.entrySet()) {
            if (e.getKey().equals(META)) throw new IllegalArgumentException("safetensors: a tensor may not be named " + META);
            Tensor t = e.getValue().contiguous();
            JsonObject o = new JsonObject();
            o.addProperty("dtype", t.dtype() == DType.F64 ? "F64" : "F32");
            JsonArray shape = new JsonArray();
            for (int d : t.shape().toArray()) shape.add(d);
            o.add("shape", shape);
            long len = (long) t.numel() * (t.dtype() == DType.F64 ? 8 : 4);
            JsonArray offs = new JsonArray();
            offs.add(offset);
            offs.add(offset + len);
            o.add("data_offsets", offs);
            header.add(e.getKey(), o);
            offset += len;
            data.add(t);
        }
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        byte[] head = Arrays.copyOf(json, padded);
        Arrays.fill(head, json.length, padded, (byte) ' ');
        AtomicFiles.write(file, out -> {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
            out.write(len.array());
            out.write(head);
            byte[] chunk = new byte[1 << 16];
            for (Tensor t : data) {
                ByteBuffer bb = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
                switch (t.storage()) {
                    case Storage.F32 s -> {
                        float[] a = s.array();
                        for (int i = 0, n = t.numel(), o = t.offset(); i < n; i++) {
                            if (bb.remaining() < 4) { out.write(chunk, 0, bb.position()); bb.clear(); }
                            bb.putFloat(a[o + i]);
                        }
                    }
                    case Storage.F64 s -> {
                        double[] a = s.array();
                        for (int i = 0, n = t.numel(), o = t.offset(); i < n; i++) {
                            if (bb.remaining() < 8) { out.write(chunk, 0, bb.position()); bb.clear(); }
                            bb.putDouble(a[o + i]);
                        }
                    }
                }
                out.write(chunk, 0, bb.position());
            }
        });
    }

    /**
     * Reads a safetensors file. F32, F16, BF16, I32 and I64 become float32 tensors, F64 stays
     * float64. Everything is validated; any problem is a {@link SafetensorsFormatException}.
     */
    public static Loaded read(Path file) throws IOException {
        long size = Files.size(file);
        if (size < 8) throw bad(file, "file is " + size + " bytes, shorter than the 8-byte header length");
        byte[] bytes;
        if (size > Integer.MAX_VALUE - 16) throw bad(file, "file of " + size + " bytes is too large");
        bytes = Files.readAllBytes(file);
        ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long n = bb.getLong(0);
        if (n < 2 || n > MAX_HEADER || n > bytes.length - 8)
            throw bad(file, "header length " + n + " does not fit a file of " + bytes.length + " bytes");
        int dataStart = 8 + (int) n;
        long dataLen = bytes.length - dataStart;
        JsonObject header;
        try {
            JsonElement el = JsonParser.parseString(new String(bytes, 8, (int) n, StandardCharsets.UTF_8));
            if (!el.isJsonObject()) throw bad(file, "header is not a JSON object");
            header = el.getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw bad(file, "header is not valid JSON (" + firstLine(e.getMessage()) + ")");
        }
        Map<String, String> meta = new LinkedHashMap<>();
        record Entry(String name, String dtype, int[] shape, long begin, long end) {}
        List<Entry> entries = new ArrayList<>();
        for (var e : header.entrySet()) {
            String name = e.getKey();
            if (name.equals(META)) {
                if (!e.getValue().isJsonObject()) throw bad(file, META + " is not an object");
                for (var m : e.getValue().getAsJsonObject().entrySet()) {
                    if (!(m.getValue() instanceof JsonPrimitive p) || !p.isString())
                        throw bad(file, "metadata value of '" + m.getKey() + "' is not a string");
                    meta.put(m.getKey(), p.getAsString());
                }
                continue;
            }
            if (!e.getValue().isJsonObject()) throw bad(file, "entry '" + name + "' is not an object");
            JsonObject o = e.getValue().getAsJsonObject();
            String dtype = string(file, name, o, "dtype");
            int elem = elemSize(file, name, dtype);
            JsonArray sh = array(file, name, o, "shape");
            int[] shape = new int[sh.size()];
            long numel = 1;
            for (int i = 0; i < shape.length; i++) {
                long d = integer(file, name, sh.get(i), "shape");
                if (d < 0 || d > Integer.MAX_VALUE) throw bad(file, "entry '" + name + "' has a bad dimension " + d);
                shape[i] = (int) d;
                numel *= d;
                if (numel > Integer.MAX_VALUE) throw bad(file, "entry '" + name + "' has too many elements");
            }
            JsonArray off = array(file, name, o, "data_offsets");
            if (off.size() != 2) throw bad(file, "entry '" + name + "' data_offsets must have 2 values, got " + off.size());
            long b = integer(file, name, off.get(0), "data_offsets"), en = integer(file, name, off.get(1), "data_offsets");
            if (b < 0 || en < b || en > dataLen)
                throw bad(file, "entry '" + name + "' data_offsets [" + b + ", " + en + "] out of range for " + dataLen + " data bytes");
            if (en - b != numel * elem)
                throw bad(file, "entry '" + name + "' has " + (en - b) + " bytes but " + dtype + " " + Arrays.toString(shape) + " needs " + numel * elem);
            entries.add(new Entry(name, dtype, shape, b, en));
        }
        // The tensors must tile the data section exactly: no overlaps, no gaps, nothing trailing.
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long at = 0;
        for (Entry e : sorted) {
            if (e.begin() != at)
                throw bad(file, "entry '" + e.name() + "' starts at " + e.begin() + " but the previous data ends at " + at + " (overlap or gap)");
            at = e.end();
        }
        if (at != dataLen) throw bad(file, "tensors cover " + at + " of " + dataLen + " data bytes");
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        for (Entry e : entries) out.put(e.name(), decode(bb, dataStart + (int) e.begin(), e.dtype(), e.shape()));
        return new Loaded(out, meta);
    }

    private static Tensor decode(ByteBuffer bb, int at, String dtype, int[] shape) {
        Shape s = Shape.of(shape);
        int n = s.numel();
        if (dtype.equals("F64")) {
            double[] d = new double[n];
            for (int i = 0; i < n; i++) d[i] = bb.getDouble(at + 8 * i);
            return Tensor.wrap(new Storage.F64(d), s);
        }
        float[] f = new float[n];
        switch (dtype) {
            case "F32" -> { for (int i = 0; i < n; i++) f[i] = bb.getFloat(at + 4 * i); }
            case "F16" -> { for (int i = 0; i < n; i++) f[i] = Float.float16ToFloat(bb.getShort(at + 2 * i)); }
            case "BF16" -> { for (int i = 0; i < n; i++) f[i] = Float.intBitsToFloat((bb.getShort(at + 2 * i) & 0xffff) << 16); }
            case "I32" -> { for (int i = 0; i < n; i++) f[i] = bb.getInt(at + 4 * i); }
            case "I64" -> { for (int i = 0; i < n; i++) f[i] = bb.getLong(at + 8 * i); }
            default -> throw new IllegalStateException(dtype);
        }
        return Tensor.wrap(new Storage.F32(f), s);
    }

    private static int elemSize(Path file, String name, String dtype) {
        return switch (dtype) {
            case "F64", "I64" -> 8;
            case "F32", "I32" -> 4;
            case "F16", "BF16" -> 2;
            default -> throw bad(file, "entry '" + name + "' has unsupported dtype '" + dtype + "' (supported: F32, F64, F16, BF16, I32, I64)");
        };
    }

    private static String string(Path file, String name, JsonObject o, String key) {
        if (!(o.get(key) instanceof JsonPrimitive p) || !p.isString()) throw bad(file, "entry '" + name + "' lacks a string " + key);
        return p.getAsString();
    }

    private static JsonArray array(Path file, String name, JsonObject o, String key) {
        if (!(o.get(key) instanceof JsonArray a)) throw bad(file, "entry '" + name + "' lacks an array " + key);
        return a;
    }

    private static long integer(Path file, String name, JsonElement el, String key) {
        if (!(el instanceof JsonPrimitive p) || !p.isNumber()) throw bad(file, "entry '" + name + "' has a non-integer in " + key);
        try {
            return p.getAsBigDecimal().longValueExact();
        } catch (ArithmeticException e) {
            throw bad(file, "entry '" + name + "' has a non-integer in " + key + ": " + p);
        }
    }

    private static String firstLine(String s) {
        if (s == null) return "unparseable";
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }

    private static SafetensorsFormatException bad(Path file, String what) {
        return new SafetensorsFormatException(file + ": not a valid safetensors file: " + what);
    }
}
