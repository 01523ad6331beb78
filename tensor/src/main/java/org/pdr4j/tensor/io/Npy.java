package org.pdr4j.tensor.io;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.pdr4j.tensor.Tensor;

/**
 * NumPy {@code .npy} and {@code .npz} files as tensors.
 *
 * <p><b>Reading</b> accepts C-order arrays of every {@link NpyDType} in either byte order
 * (format versions 1.0 and 2.0): float64 becomes an F64 tensor, everything else F32 (so the
 * uint8 frames of Moving MNIST's {@code mnist_test_seq.npy} read as 0..255 floats). An
 * {@code .npz} is a zip of {@code NAME.npy} entries, stored ({@code np.savez}) or deflated
 * ({@code np.savez_compressed}); entries not ending in {@code .npy} are ignored. Fortran-order
 * arrays, complex, string and object arrays are refused with an {@link NpyFormatException}.
 *
 * <p><b>Writing</b> produces what {@code np.save}/{@code np.savez} would: little-endian
 * {@code <f4} or {@code <f8}, C order. Every write is atomic ({@link AtomicFiles}): a failure
 * leaves an existing target untouched.
 *
 * <p><b>Errors.</b> A missing file, a file that is not NPY/NPZ, a truncated one (fewer data
 * bytes than the header's shape needs), an unsupported dtype and a missing {@code .npz} key
 * throw {@link NpyFormatException} ({@link IllegalArgumentException}) with a one-line message
 * that starts with the path; other I/O failures are {@link IOException}s.
 *
 * <p>The header text is parsed by {@code org.jetbrains.bio:npy}. Its own readers and writers are
 * not used: in 0.3.5 they treat unsigned types as signed, cannot read or write rank-0 arrays
 * (it writes the shape as {@code (, )}), loop forever on a truncated file, and answer a missing
 * {@code .npz} key with a {@link NullPointerException}.
 */
public final class Npy {
    private Npy() {}

    // ---------------------------------------------------------------- .npy

    /** The array in an {@code .npy} file. */
    public static Tensor read(Path file) throws IOException {
        try (InputStream in = open(file)) {
            String where = file.toString();
            NpyCodec.Header h = NpyCodec.readHeader(in, String.valueOf(file.getFileName()), where);
            return NpyCodec.readData(in, h, where);
        }
    }

    /** Type and shape of the array in an {@code .npy} file, from its header alone. */
    public static NpyInfo inspect(Path file) throws IOException {
        try (InputStream in = open(file)) {
            return NpyCodec.readHeader(in, String.valueOf(file.getFileName()), file.toString()).info();
        }
    }

    /** Writes {@code t} to {@code file} as an {@code .npy} (float32 or float64), atomically. */
    public static void write(Path file, Tensor t) throws IOException {
        AtomicFiles.write(file, out -> write(out, t));
    }

    /**
     * Writes {@code t} in {@code .npy} format to a stream (not closed). For composing outputs,
     * e.g. several files committed together with {@link AtomicFiles#writeAll}.
     */
    public static void write(OutputStream out, Tensor t) throws IOException {
        NpyCodec.write(out, t);
    }

    // ---------------------------------------------------------------- .npz

    /** Every array of an {@code .npz}, by key, in the archive's order. */
    public static Map<String, Tensor> readNpz(Path file) throws IOException {
        try (ZipFile zip = openZip(file)) {
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (Map.Entry<String, ZipEntry> e : arrays(zip).entrySet()) {
                out.put(e.getKey(), readEntry(zip, e.getValue(), file, e.getKey()));
            }
            return out;
        }
    }

    /**
     * The arrays {@code names} of an {@code .npz}, in the order asked.
     *
     * @throws NpyFormatException when one is missing, listing the keys present
     */
    public static Map<String, Tensor> readNpz(Path file, Collection<String> names) throws IOException {
        try (ZipFile zip = openZip(file)) {
            Map<String, ZipEntry> all = arrays(zip);
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (String name : names) {
                ZipEntry entry = all.get(name);
                if (entry == null) throw missingKey(file, name, all.keySet());
                out.put(name, readEntry(zip, entry, file, name));
            }
            return out;
        }
    }

    /** The array {@code name} (entry {@code name.npy}) of an {@code .npz}. */
    public static Tensor readNpzEntry(Path file, String name) throws IOException {
        return readNpz(file, List.of(name)).get(name);
    }

    /**
     * Type and shape of every array of an {@code .npz}, in the archive's order, without reading
     * the data (only each entry's header is inflated). Unsupported dtypes are listed, with
     * {@link NpyInfo#dtype()} null.
     */
    public static List<NpyInfo> inspectNpz(Path file) throws IOException {
        try (ZipFile zip = openZip(file)) {
            List<NpyInfo> out = new ArrayList<>();
            for (Map.Entry<String, ZipEntry> e : arrays(zip).entrySet()) {
                String where = where(file, e.getKey());
                try (InputStream in = zip.getInputStream(e.getValue())) {
                    out.add(NpyCodec.readHeader(in, e.getKey(), where).info());
                } catch (ZipException | EOFException ex) {
                    throw corrupt(where, ex);
                }
            }
            return out;
        }
    }

    /** Writes {@code arrays} as an uncompressed {@code .npz} (like {@code np.savez}), atomically. */
    public static void writeNpz(Path file, Map<String, Tensor> arrays) throws IOException {
        writeNpz(file, arrays, false);
    }

    /**
     * Writes {@code arrays} as an {@code .npz}, deflated when {@code compress} (like
     * {@code np.savez_compressed}), atomically. Key {@code k} becomes entry {@code k.npy}.
     *
     * @throws IllegalArgumentException for an empty key or a null tensor
     */
    public static void writeNpz(Path file, Map<String, Tensor> arrays, boolean compress) throws IOException {
        for (Map.Entry<String, Tensor> e : arrays.entrySet()) {
            if (e.getKey() == null || e.getKey().isEmpty()) throw new IllegalArgumentException("writeNpz: empty array name for " + file);
            if (e.getValue() == null) throw new IllegalArgumentException("writeNpz: array '" + e.getKey() + "' is null");
        }
        AtomicFiles.write(file, out -> writeNpz(out, arrays, compress));
    }

    /** Writes an {@code .npz} to a stream (finished, not closed); see {@link #writeNpz(Path, Map, boolean)}. */
    public static void writeNpz(OutputStream out, Map<String, Tensor> arrays, boolean compress) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(new NonClosing(out))) {
            for (Map.Entry<String, Tensor> e : arrays.entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey() + ".npy");
                if (compress) {
                    entry.setMethod(ZipEntry.DEFLATED);
                } else {
                    // A stored entry needs its size and CRC up front: one counting pass, then the real one.
                    CRC32 crc = new CRC32();
                    Counting count = new Counting(new CheckedOutputStream(OutputStream.nullOutputStream(), crc));
                    NpyCodec.write(count, e.getValue());
                    entry.setMethod(ZipEntry.STORED);
                    entry.setSize(count.n);
                    entry.setCompressedSize(count.n);
                    entry.setCrc(crc.getValue());
                }
                zip.putNextEntry(entry);
                NpyCodec.write(zip, e.getValue());
                zip.closeEntry();
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    private static InputStream open(Path file) throws IOException {
        checkReadable(file);
        return new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    }

    private static void checkReadable(Path file) {
        if (Files.isDirectory(file)) throw new NpyFormatException(file + ": is a directory, not a file");
        if (!Files.exists(file)) throw new NpyFormatException(file + ": no such file");
    }

    private static ZipFile openZip(Path file) throws IOException {
        checkReadable(file);
        try {
            return new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new NpyFormatException(file + ": not an .npz (zip) archive, or a truncated one (" + e.getMessage() + ")", e);
        }
    }

    /** The {@code .npy} entries of an archive by key, in archive order. */
    private static Map<String, ZipEntry> arrays(ZipFile zip) {
        Map<String, ZipEntry> out = new LinkedHashMap<>();
        for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
            ZipEntry e = en.nextElement();
            String n = e.getName();
            if (!e.isDirectory() && n.endsWith(".npy")) out.put(n.substring(0, n.length() - 4), e);
        }
        return out;
    }

    private static Tensor readEntry(ZipFile zip, ZipEntry entry, Path file, String key) throws IOException {
        String where = where(file, key);
        try (InputStream in = new BufferedInputStream(zip.getInputStream(entry), 1 << 16)) {
            NpyCodec.Header h = NpyCodec.readHeader(in, key, where);
            return NpyCodec.readData(in, h, where);
        } catch (ZipException | EOFException e) {
            throw corrupt(where, e);
        }
    }

    private static String where(Path file, String key) {
        return file + "['" + key + "']";
    }

    private static NpyFormatException corrupt(String where, IOException e) {
        return new NpyFormatException(where + ": corrupt or truncated zip entry (" + e.getMessage() + ")", e);
    }

    private static NpyFormatException missingKey(Path file, String name, Set<String> present) {
        String keys = present.isEmpty() ? "none" : String.join(", ", new LinkedHashSet<>(present));
        return new NpyFormatException(file + ": no array '" + name + "' (arrays present: " + keys + ")");
    }

    /** Counts the bytes written through it. */
    private static final class Counting extends OutputStream {
        private final OutputStream out;
        long n;

        Counting(OutputStream out) {
            this.out = out;
        }

        @Override public void write(int b) throws IOException { out.write(b); n++; }
        @Override public void write(byte[] b, int off, int len) throws IOException { out.write(b, off, len); n += len; }
    }

    /** Keeps {@link ZipOutputStream#close()} from closing the caller's stream. */
    private static final class NonClosing extends OutputStream {
        private final OutputStream out;

        NonClosing(OutputStream out) {
            this.out = out;
        }

        @Override public void write(int b) throws IOException { out.write(b); }
        @Override public void write(byte[] b, int off, int len) throws IOException { out.write(b, off, len); }
        @Override public void flush() throws IOException { out.flush(); }
        @Override public void close() throws IOException { out.flush(); }
    }
}
