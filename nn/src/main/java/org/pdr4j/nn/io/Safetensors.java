package org.pdr4j.nn.io;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pdr4j.nn.Module;
import org.pdr4j.tensor.DType;
import org.pdr4j.tensor.Storage;
import org.pdr4j.tensor.Tensor;
import org.pdr4j.tensor.io.AtomicFiles;

/**
 * The safetensors format (Hugging Face): an 8-byte little-endian header length, a JSON header
 * mapping each name to {dtype, shape, data_offsets} plus an optional "__metadata__" of strings,
 * then the raw little-endian data. Writes F32 and F64 atomically (temp file and rename, so a
 * crash mid-save leaves the previous file); reads F32, F64, F16, BF16, I64, I32 and I8/U8,
 * converting all but F64 to float32, and checks every offset and size.
 */
public final class Safetensors {
    private Safetensors() {}

    /** What a file holds: tensors in file order and the metadata. */
    public record Loaded(LinkedHashMap<String, Tensor> tensors, Map<String, String> metadata) {}

    private static final long MAX_HEADER = 100L << 20;

    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        JsonObject header = new JsonObject();
        if (metadata != null && !metadata.isEmpty()) {
            JsonObject meta = new JsonObject();
            metadata.forEach(meta::addProperty);
            header.add("__metadata__", meta);
        }
        List<Tensor> order = new ArrayList<>();
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (e.getKey().equals("__metadata__")) throw new IllegalArgumentException("a tensor cannot be called __metadata__");
            Tensor t = e.getValue().isContiguous() && e.getValue().offset() == 0 ? e.getValue() : e.getValue().copy();
            long bytes = t.numel() * (t.dtype() == DType.F64 ? 8L : 4L);
            JsonObject o = new JsonObject();
            o.addProperty("dtype", t.dtype() == DType.F64 ? "F64" : "F32");
            JsonArray shape = new JsonArray();
            for (int d : t.shape().toArray()) shape.add(d);
            o.add("shape", shape);
            JsonArray offs = new JsonArray();
            offs.add(offset);
            offs.add(offset + bytes);
            o.add("data_offsets", offs);
            header.add(e.getKey(), o);
            order.add(t);
            offset += bytes;
        }
        byte[] json = new Gson().toJson(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        AtomicFiles.write(file, out -> {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
            out.write(len.array());
            out.write(json);
            for (int i = json.length; i < padded; i++) out.write(' ');
            byte[] chunk = new byte[1 << 16];
            for (Tensor t : order) {
                ByteBuffer bb = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
                if (t.storage() instanceof Storage.F32 f) {
                    float[] a = f.array();
                    for (int i = 0; i < t.numel(); i++) {
                        if (bb.remaining() < 4) { out.write(chunk, 0, bb.position()); bb.clear(); }
                        bb.putFloat(a[i]);
                    }
                } else {
                    double[] a = ((Storage.F64) t.storage()).array();
                    for (int i = 0; i < t.numel(); i++) {
                        if (bb.remaining() < 8) { out.write(chunk, 0, bb.position()); bb.clear(); }
                        bb.putDouble(a[i]);
                    }
                }
                out.write(chunk, 0, bb.position());
            }
        });
    }

    public static Loaded read(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        if (all.length < 8) throw bad(file, "file is " + all.length + " bytes, shorter than the 8-byte header length");
        ByteBuffer buf = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        long n = buf.getLong(0);
        if (n < 2 || n > MAX_HEADER || 8 + n > all.length) throw bad(file, "header length " + n + " does not fit a file of " + all.length + " bytes");
        JsonObject header;
        try {
            JsonElement el = JsonParser.parseString(new String(all, 8, (int) n, StandardCharsets.UTF_8));
            if (!el.isJsonObject()) throw bad(file, "header is not a JSON object");
            header = el.getAsJsonObject();
        } catch (RuntimeException e) {
            if (e instanceof SafetensorsFormatException s) throw s;
            throw bad(file, "header is not valid JSON");
        }
        long dataStart = 8 + n, dataLen = all.length - dataStart;
        Map<String, String> meta = new LinkedHashMap<>();
        LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
        long covered = 0;
        try {
            for (Map.Entry<String, JsonElement> e : header.entrySet()) {
                if (e.getKey().equals("__metadata__")) {
                    for (Map.Entry<String, JsonElement> m : e.getValue().getAsJsonObject().entrySet()) meta.put(m.getKey(), m.getValue().getAsString());
                    continue;
                }
                JsonObject o = e.getValue().getAsJsonObject();
                String dtype = o.get("dtype").getAsString();
                JsonArray sh = o.getAsJsonArray("shape");
                int[] shape = new int[sh.size()];
                long numel = 1;
                for (int i = 0; i < shape.length; i++) {
                    long d = sh.get(i).getAsLong();
                    if (d < 0 || d > Integer.MAX_VALUE) throw bad(file, e.getKey() + ": bad dimension " + d);
                    shape[i] = (int) d;
                    numel *= d;
                }
                JsonArray offs = o.getAsJsonArray("data_offsets");
                long b = offs.get(0).getAsLong(), end = offs.get(1).getAsLong();
                int width = switch (dtype) {
                    case "F64", "I64" -> 8; case "F32", "I32" -> 4; case "F16", "BF16" -> 2; case "I8", "U8", "BOOL" -> 1;
                    default -> throw bad(file, e.getKey() + ": unsupported dtype " + dtype);
                };
                if (b < 0 || end < b || end > dataLen) throw bad(file, e.getKey() + ": data offsets [" + b + ", " + end + "] outside the " + dataLen + " data bytes");
                if (end - b != numel * width) throw bad(file, e.getKey() + ": " + (end - b) + " bytes for " + numel + " " + dtype + " values");
                if (numel > Integer.MAX_VALUE) throw bad(file, e.getKey() + ": too many elements");
                covered += end - b;
                tensors.put(e.getKey(), decode(buf, (int) (dataStart + b), (int) numel, dtype, shape));
            }
        } catch (SafetensorsFormatException e) {
            throw e;
        } catch (RuntimeException e) {
            throw bad(file, "malformed header entry (" + e.getClass().getSimpleName() + ")");
        }
        if (covered > dataLen) throw bad(file, "tensors overlap");
        return new Loaded(tensors, meta);
    }

    private static Tensor decode(ByteBuffer buf, int at, int n, String dtype, int[] shape) {
        if (dtype.equals("F64")) {
            double[] d = new double[n];
            for (int i = 0; i < n; i++) d[i] = buf.getDouble(at + 8 * i);
            return Tensor.of(d, shape);
        }
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = switch (dtype) {
                case "F32" -> buf.getFloat(at + 4 * i);
                case "I32" -> buf.getInt(at + 4 * i);
                case "I64" -> buf.getLong(at + 8 * i);
                case "F16" -> Float.float16ToFloat(buf.getShort(at + 2 * i));
                case "BF16" -> Float.intBitsToFloat((buf.getShort(at + 2 * i) & 0xffff) << 16);
                case "U8", "BOOL" -> buf.get(at + i) & 0xff;
                default -> buf.get(at + i);
            };
        }
        return Tensor.of(f, shape);
    }

    private static SafetensorsFormatException bad(Path file, String what) {
        return new SafetensorsFormatException(file + ": not a valid safetensors file: " + what);
    }

    /** Saves a module's state dict. */
    public static void save(Module m, Path file, Map<String, String> metadata) throws IOException {
        write(file, m.stateDict(), metadata);
    }

    /** Loads a state dict into a module, strictly. */
    public static void load(Module m, Path file) throws IOException {
        m.loadStateDict(read(file).tensors());
    }
}
