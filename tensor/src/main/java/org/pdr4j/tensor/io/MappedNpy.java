package org.pdr4j.tensor.io;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.pdr4j.tensor.Shape;

/**
 * A NumPy array read in place: the {@code .npy} file (or stored {@code .npz} entry) is memory-mapped
 * and elements are converted to float on demand, so a data set of any size costs only the pages a
 * reader touches. This is what the data loaders stream from; {@link Npy} reads whole arrays.
 *
 * <p>Every {@link NpyDType} in either byte order is readable. A deflated {@code .npz} entry
 * ({@code np.savez_compressed}) cannot be addressed in place; it is inflated once into a temporary
 * file (deleted on {@link #close()} and at exit) and that file is mapped.
 *
 * <p>Reads are thread-safe (the mapping is shared and read-only). The mapping is released when the
 * object becomes unreachable (an automatic arena), so a data set that holds one needs no closing;
 * {@link #close()} deletes the inflated copy at once, and reads after it fail with
 * {@link IllegalStateException}.
 */
public final class MappedNpy implements AutoCloseable {
    private final NpyInfo info;
    private final String where;
    private final MemorySegment data;
    private final ByteOrder order;
    private final Path temp; // inflated copy of a deflated entry, or null
    private volatile boolean closed;

    private MappedNpy(NpyInfo info, String where, MemorySegment data, ByteOrder order, Path temp) {
        this.info = info;
        this.where = where;
        this.data = data;
        this.order = order;
        this.temp = temp;
    }

    /**
     * Maps the array of an {@code .npy} file.
     *
     * @throws NpyFormatException (one line, starting with the path) for a missing, non-NPY,
     *         truncated or unsupported file
     */
    public static MappedNpy open(Path file) throws IOException {
        checkFile(file);
        return map(file, 0, Files.size(file), String.valueOf(file.getFileName()), file.toString(), null);
    }

    /**
     * Maps array {@code key} (entry {@code key.npy}) of an {@code .npz}.
     *
     * @throws NpyFormatException for a missing file or key (listing the keys present), a file that
     *         is not a zip, or a truncated or unsupported entry
     */
    public static MappedNpy openNpz(Path file, String key) throws IOException {
        checkFile(file);
        String where = file + "['" + key + "']";
        try (ZipFile zip = ZipFile.builder().setPath(file).get()) {
            ZipArchiveEntry e = zip.getEntry(key + ".npy");
            if (e == null) throw new NpyFormatException(file + ": no array '" + key + "' (arrays present: " + keys(zip) + ")");
            if (e.getMethod() == ZipEntry.STORED) {
                return map(file, e.getDataOffset(), e.getCompressedSize(), key, where, null);
            }
            Path tmp = Files.createTempFile("pdr4j-npz-" + key + "-", ".npy");
            tmp.toFile().deleteOnExit();
            try (InputStream in = zip.getInputStream(e); OutputStream out = Files.newOutputStream(tmp)) {
                in.transferTo(out);
            } catch (ZipException | EOFException ex) {
                Files.deleteIfExists(tmp);
                throw new NpyFormatException(where + ": corrupt or truncated zip entry (" + ex.getMessage() + ")", ex);
            }
            try {
                return map(tmp, 0, Files.size(tmp), key, where, tmp);
            } catch (RuntimeException | IOException ex) {
                Files.deleteIfExists(tmp);
                throw ex;
            }
        } catch (ZipException | EOFException ex) {
            throw new NpyFormatException(file + ": not an .npz (zip) archive, or a truncated one (" + ex.getMessage() + ")", ex);
        }
    }

    /** Name, type and shape of the array. */
    public NpyInfo info() {
        return info;
    }

    /** Shape of the array. */
    public Shape shape() {
        return info.shape();
    }

    /** Number of elements. */
    public long numel() {
        return info.shape().numel();
    }

    /** Where the array lives, for messages: the path, and for an {@code .npz} the key. */
    public String where() {
        return where;
    }

    /**
     * Copies {@code n} elements starting at flat (C-order) element {@code from} into
     * {@code dst[off..off+n)}, converted to float as {@link Npy#read} converts them.
     */
    public void read(long from, float[] dst, int off, int n) {
        if (closed) throw new IllegalStateException(where + ": read after close");
        if (from < 0 || n < 0 || from + n > numel())
            throw new IndexOutOfBoundsException(where + ": elements [" + from + ", " + (from + n) + ") of " + numel());
        if (off < 0 || off + n > dst.length) throw new IndexOutOfBoundsException(where + ": destination [" + off + ", " + (off + n) + ") of " + dst.length);
        NpyDType dt = info.dtype();
        long b = from * dt.bytes();
        switch (dt) {
            case FLOAT32 -> MemorySegment.copy(data, ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(order), b, dst, off, n);
            case UINT8 -> { for (int i = 0; i < n; i++) dst[off + i] = data.get(ValueLayout.JAVA_BYTE, b + i) & 0xff; }
            case INT8 -> { for (int i = 0; i < n; i++) dst[off + i] = data.get(ValueLayout.JAVA_BYTE, b + i); }
            case BOOL -> { for (int i = 0; i < n; i++) dst[off + i] = data.get(ValueLayout.JAVA_BYTE, b + i) != 0 ? 1f : 0f; }
            case FLOAT64 -> {
                ValueLayout.OfDouble l = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(order);
                for (int i = 0; i < n; i++) dst[off + i] = (float) data.get(l, b + 8L * i);
            }
            case FLOAT16 -> {
                ValueLayout.OfShort l = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(order);
                for (int i = 0; i < n; i++) dst[off + i] = Float.float16ToFloat(data.get(l, b + 2L * i));
            }
            case INT16, UINT16 -> {
                ValueLayout.OfShort l = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(order);
                int mask = dt == NpyDType.UINT16 ? 0xffff : -1;
                for (int i = 0; i < n; i++) {
                    short v = data.get(l, b + 2L * i);
                    dst[off + i] = mask == -1 ? v : v & mask;
                }
            }
            case INT32, UINT32 -> {
                ValueLayout.OfInt l = ValueLayout.JAVA_INT_UNALIGNED.withOrder(order);
                for (int i = 0; i < n; i++) {
                    int v = data.get(l, b + 4L * i);
                    dst[off + i] = dt == NpyDType.UINT32 ? (float) (v & 0xffffffffL) : v;
                }
            }
            case INT64, UINT64 -> {
                ValueLayout.OfLong l = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(order);
                for (int i = 0; i < n; i++) {
                    long v = data.get(l, b + 8L * i);
                    dst[off + i] = dt == NpyDType.UINT64 && v < 0 ? ((float) ((v >>> 1) | (v & 1))) * 2f : v;
                }
            }
        }
    }

    /** Ends reading; deletes the inflated copy of a deflated entry now rather than at exit. */
    @Override
    public void close() throws IOException {
        closed = true;
        if (temp != null) Files.deleteIfExists(temp);
    }

    // ---------------------------------------------------------------- helpers

    private static void checkFile(Path file) {
        if (Files.isDirectory(file)) throw new NpyFormatException(file + ": is a directory, not a file");
        if (!Files.exists(file)) throw new NpyFormatException(file + ": no such file");
    }

    /** Maps bytes {@code [start, start + length)} of {@code file}, which hold an NPY header and its data. */
    private static MappedNpy map(Path file, long start, long length, String name, String where, Path temp) throws IOException {
        NpyCodec.Header h;
        long headerBytes;
        try (CountingInput in = new CountingInput(new BufferedInputStream(Files.newInputStream(file), 1 << 12))) {
            in.skipNBytes(start);
            in.count = 0;
            h = NpyCodec.readHeader(in, name, where);
            headerBytes = in.count;
        } catch (EOFException e) {
            throw new NpyFormatException(where + ": truncated: the file ends before the array starts", e);
        }
        NpyInfo info = h.info();
        if (info.dtype() == null) {
            throw new NpyFormatException(where + ": unsupported dtype '" + info.descr() + "'; supported: " + NpyDType.supportedList());
        }
        long need = info.shape().numel() * (long) info.dtype().bytes();
        long have = length - headerBytes;
        if (have < need) {
            throw new NpyFormatException(where + ": truncated: the header says " + info.dtypeName() + " " + info.shape()
                    + " (" + need + " bytes of data) but only " + Math.max(0, have) + " bytes follow");
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment seg = need == 0 ? MemorySegment.NULL : ch.map(FileChannel.MapMode.READ_ONLY, start + headerBytes, need, Arena.ofAuto());
            ByteOrder order = h.order() == null ? ByteOrder.LITTLE_ENDIAN : h.order();
            return new MappedNpy(info, where, seg, order, temp);
        }
    }

    private static String keys(ZipFile zip) {
        List<String> out = new ArrayList<>();
        for (Enumeration<ZipArchiveEntry> en = zip.getEntries(); en.hasMoreElements(); ) {
            String n = en.nextElement().getName();
            if (n.endsWith(".npy")) out.add(n.substring(0, n.length() - 4));
        }
        return out.isEmpty() ? "none" : String.join(", ", out);
    }

    /** Counts bytes read, so the header's length is known without re-deriving the NPY preamble. */
    private static final class CountingInput extends InputStream {
        private final InputStream in;
        long count;

        CountingInput(InputStream in) {
            this.in = in;
        }

        @Override public int read() throws IOException {
            int b = in.read();
            if (b >= 0) count++;
            return b;
        }

        @Override public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) count += n;
            return n;
        }

        @Override public long skip(long n) throws IOException {
            long s = in.skip(n);
            count += s;
            return s;
        }

        @Override public void close() throws IOException {
            in.close();
        }
    }
}
