package org.pdr4j.tensor.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Pattern;
import org.jetbrains.bio.npy.NpyFile;
import org.pdr4j.tensor.DType;
import org.pdr4j.tensor.Shape;
import org.pdr4j.tensor.ShapeException;
import org.pdr4j.tensor.Storage;
import org.pdr4j.tensor.Tensor;

/**
 * The NPY format on streams (format versions 1.0 and 2.0). The header's Python-dict text is
 * parsed by the {@code org.jetbrains.bio:npy} library; the fixed preamble around it, the
 * element data and the writer are here, because the library mishandles exactly the cases this
 * project needs (see {@link Npy}).
 */
final class NpyCodec {
    private NpyCodec() {}

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** Headers are small (shapes and a type); anything larger is not a real one. */
    private static final int MAX_HEADER = 1 << 20;
    /** Bytes decoded per step: a multiple of every element size. */
    private static final int CHUNK = 1 << 20;
    private static final Pattern FORTRAN = Pattern.compile("['\"]fortran_order['\"]\\s*:\\s*True");

    /** A parsed header: what the array is, and the byte order of its data ({@code null}: one-byte types). */
    record Header(NpyInfo info, ByteOrder order) {}

    /**
     * Reads the header from {@code in}, leaving the stream at the first data byte.
     *
     * @param where the file (and entry) for messages, e.g. {@code g.npz['coords']}
     */
    static Header readHeader(InputStream in, String name, String where) throws IOException {
        byte[] pre = in.readNBytes(8);
        if (pre.length < 8 || !Arrays.equals(pre, 0, 6, MAGIC, 0, 6)) {
            throw new NpyFormatException(where + ": not an .npy file (it does not start with the NPY magic \\x93NUMPY)");
        }
        int major = pre[6] & 0xff, minor = pre[7] & 0xff;
        if ((major != 1 && major != 2) || minor != 0) {
            throw new NpyFormatException(where + ": unsupported .npy format version " + major + "." + minor + " (1.0 and 2.0 are supported)");
        }
        byte[] len = in.readNBytes(major == 1 ? 2 : 4);
        if (len.length < (major == 1 ? 2 : 4)) throw new NpyFormatException(where + ": truncated: the file ends inside the .npy header");
        long size = (len[0] & 0xffL) | (len[1] & 0xffL) << 8;
        if (major == 2) size |= (len[2] & 0xffL) << 16 | (len[3] & 0xffL) << 24;
        if (size > MAX_HEADER) throw new NpyFormatException(where + ": bad .npy header: it claims to be " + size + " bytes long");
        byte[] dict = in.readNBytes((int) size);
        if (dict.length < size) throw new NpyFormatException(where + ": truncated: the file ends inside the .npy header");

        // The library reads a version-1.0 header length as a signed short; hand it a 2.0 preamble.
        ByteBuffer buf = ByteBuffer.allocate(12 + dict.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(MAGIC).put((byte) 2).put((byte) 0).putInt(dict.length).put(dict).flip();
        String text = new String(dict, StandardCharsets.ISO_8859_1).strip();
        NpyFile.Header h;
        try {
            h = NpyFile.Header.Companion.read(buf);
        } catch (RuntimeException e) {
            if (FORTRAN.matcher(text).find()) {
                throw new NpyFormatException(where + ": fortran_order=True arrays are not supported; save a C-order copy (np.ascontiguousarray)", e);
            }
            throw new NpyFormatException(where + ": unsupported or malformed .npy header " + abbreviate(text) + " (" + e + ")", e);
        }
        ByteOrder order = h.getOrder();
        String descr = (order == null ? "|" : order == ByteOrder.BIG_ENDIAN ? ">" : "<") + h.getType() + h.getBytes();
        Shape shape;
        try {
            shape = Shape.of(h.getShape());
        } catch (ShapeException e) {
            throw new NpyFormatException(where + ": shape " + Arrays.toString(h.getShape()) + " cannot be a tensor: " + e.getMessage(), e);
        }
        return new Header(new NpyInfo(name, descr, NpyDType.of(h.getType(), h.getBytes()), shape), order);
    }

    /** Reads the data that follows {@code h} in {@code in} into a new tensor (F64 for float64, else F32). */
    static Tensor readData(InputStream in, Header h, String where) throws IOException {
        NpyInfo info = h.info();
        NpyDType dt = info.dtype();
        if (dt == null) {
            throw new NpyFormatException(where + ": unsupported dtype '" + info.descr() + "'; supported: " + NpyDType.supportedList());
        }
        int n = info.shape().numel();
        long need = (long) n * dt.bytes();
        Storage storage = Storage.allocate(dt.tensorDType(), n);
        ByteOrder order = h.order() == null ? ByteOrder.LITTLE_ENDIAN : h.order();
        byte[] chunk = new byte[(int) Math.min(CHUNK, Math.max(need, 8))];
        long done = 0;
        int elem = 0;
        while (done < need) {
            int want = (int) Math.min(chunk.length, need - done);
            int got = in.readNBytes(chunk, 0, want);
            done += got;
            if (got < want) {
                throw new NpyFormatException(where + ": truncated: the header says " + info.dtypeName() + " " + info.shape()
                        + " (" + need + " bytes of data) but only " + done + " bytes follow");
            }
            ByteBuffer bb = ByteBuffer.wrap(chunk, 0, got).order(order);
            decode(dt, bb, storage, elem, got / dt.bytes());
            elem += got / dt.bytes();
        }
        return Tensor.wrap(storage, info.shape());
    }

    private static void decode(NpyDType dt, ByteBuffer bb, Storage storage, int at, int count) {
        if (dt == NpyDType.FLOAT64) {
            bb.asDoubleBuffer().get(((Storage.F64) storage).array(), at, count);
            return;
        }
        float[] out = ((Storage.F32) storage).array();
        switch (dt) {
            case FLOAT32 -> bb.asFloatBuffer().get(out, at, count);
            case FLOAT16 -> { for (int i = 0; i < count; i++) out[at + i] = Float.float16ToFloat(bb.getShort(2 * i)); }
            case BOOL -> { for (int i = 0; i < count; i++) out[at + i] = bb.get(i) != 0 ? 1f : 0f; }
            case INT8 -> { for (int i = 0; i < count; i++) out[at + i] = bb.get(i); }
            case UINT8 -> { for (int i = 0; i < count; i++) out[at + i] = bb.get(i) & 0xff; }
            case INT16 -> { for (int i = 0; i < count; i++) out[at + i] = bb.getShort(2 * i); }
            case UINT16 -> { for (int i = 0; i < count; i++) out[at + i] = bb.getShort(2 * i) & 0xffff; }
            case INT32 -> { for (int i = 0; i < count; i++) out[at + i] = bb.getInt(4 * i); }
            case UINT32 -> { for (int i = 0; i < count; i++) out[at + i] = bb.getInt(4 * i) & 0xffffffffL; }
            case INT64 -> { for (int i = 0; i < count; i++) out[at + i] = bb.getLong(8 * i); }
            case UINT64 -> { for (int i = 0; i < count; i++) out[at + i] = unsignedToFloat(bb.getLong(8 * i)); }
            case FLOAT64 -> throw new AssertionError("handled above");
        }
    }

    private static float unsignedToFloat(long v) {
        if (v >= 0) return v;
        // Halve (keeping the low bit so rounding stays right), convert, double.
        return ((float) ((v >>> 1) | (v & 1))) * 2f;
    }

    /** Writes {@code t} as an .npy (little-endian float32 or float64, C order) to {@code out}. */
    static void write(OutputStream out, Tensor t) throws IOException {
        Tensor c = t.contiguous();
        out.write(header(c));
        int n = c.numel(), off = c.offset();
        ByteBuffer bb = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        switch (c.storage()) {
            case Storage.F32 s -> {
                float[] a = s.array();
                for (int i = 0; i < n; ) {
                    int k = Math.min(bb.capacity() / 4, n - i);
                    bb.clear();
                    bb.asFloatBuffer().put(a, off + i, k);
                    out.write(bb.array(), 0, 4 * k);
                    i += k;
                }
            }
            case Storage.F64 s -> {
                double[] a = s.array();
                for (int i = 0; i < n; ) {
                    int k = Math.min(bb.capacity() / 8, n - i);
                    bb.clear();
                    bb.asDoubleBuffer().put(a, off + i, k);
                    out.write(bb.array(), 0, 8 * k);
                    i += k;
                }
            }
        }
    }

    /** The header NumPy itself would write: version 1.0 (2.0 if too long), padded to 64 bytes. */
    private static byte[] header(Tensor t) {
        StringBuilder shape = new StringBuilder("(");
        for (int i = 0; i < t.rank(); i++) {
            if (i > 0) shape.append(", ");
            shape.append(t.size(i));
        }
        if (t.rank() == 1) shape.append(',');
        shape.append(')');
        String descr = t.dtype() == DType.F64 ? "<f8" : "<f4";
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int pre = 10;
        int total = pre + dict.length() + 1;
        if (total + (64 - total % 64) % 64 - pre > 0xffff) pre = 12;
        total = pre + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        int len = dict.length() + pad + 1;
        ByteBuffer b = ByteBuffer.allocate(pre + len).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) (pre == 10 ? 1 : 2)).put((byte) 0);
        if (pre == 10) b.putShort((short) len);
        else b.putInt(len);
        b.put(dict.getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < pad; i++) b.put((byte) ' ');
        b.put((byte) '\n');
        return b.array();
    }

    private static String abbreviate(String s) {
        return s.length() <= 160 ? s : s.substring(0, 157) + "...";
    }
}
