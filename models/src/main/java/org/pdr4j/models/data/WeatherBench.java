package org.pdr4j.models.data;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Node;
import io.jhdf.api.dataset.ChunkedDataset;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.datatype.FixedPoint;
import io.jhdf.object.datatype.FloatingPoint;
import io.jhdf.object.datatype.OrderedDataType;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * WeatherBench 2 m temperature at 5.625 degrees, as OpenSTL and PDR use it: hourly {@code t2m}
 * fields {@code [time, lat = 32, lon = 64]}, one NetCDF-4 file per year, read in place.
 *
 * <p>Files: {@code <root>/2m_temperature/2m_temperature_<year>_5.625deg.nc}, or the same names
 * directly in {@code <root>}. The variable {@code t2m} is float32 (or float64), or an integer type
 * packed with {@code scale_factor} and {@code add_offset}, which are applied.
 *
 * <p>Splits: train 1979-2015, val 2016, test 2017-2018. A split's hours are its years' hours one
 * after the other; sample {@code i} is the {@code inFrames + outFrames} consecutive hours starting at
 * hour {@code i} (stride 1, so windows cross year boundaries), each frame {@code [1, lat, lon]}.
 *
 * <p>Values are z-scored with the mean and (population) standard deviation of every value in the
 * train years, for every split; {@link #scale()} undoes that into kelvin. The statistics are computed
 * by one streaming pass over the train files and remembered per root (and file sizes and times) for
 * the life of the JVM.
 *
 * <p>Memory stays bounded: opening reads only the files' headers (and, once per root, streams the
 * train years in chunks); {@link #fill} reads just the hours of one sample. Each file is opened on
 * first use and kept; reads of one file are serialised on it, so {@link #fill} is thread-safe and
 * deterministic.
 */
public final class WeatherBench implements Dataset, AutoCloseable {
    /** The name data sets are registered under. */
    public static final String NAME = "weatherbench";
    /** The variable read from each file. */
    static final String VARIABLE = "t2m";
    /** The folder under the root, and the prefix of each file name. */
    static final String FOLDER = "2m_temperature";

    /** An inclusive range of years. */
    record Years(int first, int last) {
        Years {
            if (last < first) throw new IllegalArgumentException("year range " + first + "-" + last + " is empty");
        }

        @Override
        public String toString() {
            return first == last ? Integer.toString(first) : first + "-" + last;
        }
    }

    /** The protocol's years. */
    static final Years TRAIN = new Years(1979, 2015), VAL = new Years(2016, 2016), TEST = new Years(2017, 2018);

    /** Values decoded at a time while computing statistics (8 MB of doubles: 512 hours at 32 x 64). */
    private static final int STATS_CHUNK_VALUES = 1 << 20;
    /** Train sets at least this large show a progress bar while their statistics are computed. */
    private static final long STATS_PROGRESS_VALUES = 50_000_000L;

    /** The decompressed chunks one file keeps for the next reads, in bytes. */
    private static final int KEPT_CHUNK_BYTES = 8 << 20;

    /** Train statistics by root, years and file identities. */
    private static final Map<StatsKey, Stats> STATS = new HashMap<>();

    private final String split;
    private final Years trainYears;
    private final List<YearFile> files;
    /** {@code starts[k]}: the split hour at which file k begins; {@code starts[files.size()]} is the total. */
    private final long[] starts;
    private final int inFrames, outFrames, lat, lon, size;
    private final Stats stats;

    private WeatherBench(String split, Years trainYears, List<YearFile> files, int inFrames, int outFrames, Stats stats) {
        this.split = split;
        this.trainYears = trainYears;
        this.files = List.copyOf(files);
        this.inFrames = inFrames;
        this.outFrames = outFrames;
        this.lat = files.get(0).lat;
        this.lon = files.get(0).lon;
        this.stats = stats;
        this.starts = new long[files.size() + 1];
        for (int k = 0; k < files.size(); k++) starts[k + 1] = starts[k] + files.get(k).hours;
        long windows = starts[files.size()] - (inFrames + outFrames) + 1;
        this.size = (int) Math.min(Integer.MAX_VALUE, windows);
    }

    /**
     * The split {@code request} asks for, with the protocol's years (train 1979-2015, val 2016,
     * test 2017-2018) under {@code request.root()}.
     *
     * @throws DataFormatException when a file is missing or malformed, or the files give frames of
     *                             another size than the request's
     */
    public static Dataset open(DataRequest request) {
        return open(request, TRAIN, VAL, TEST);
    }

    /** {@link #open(DataRequest)} with other year ranges (tests use a few tiny files). */
    static WeatherBench open(DataRequest request, Years train, Years val, Years test) {
        Path root = request.requireRoot(NAME);
        Years years = switch (request.split()) {
            case "train" -> train;
            case "val" -> val;
            default -> test;
        };
        int window = request.inFrames() + request.outFrames();
        List<YearFile> files = index(root, request.split(), years, false);
        YearFile first = files.get(0);
        if (first.lat != request.height() || first.lon != request.width()) {
            throw new DataFormatException(first.path + ": the files give " + first.lat + "x" + first.lon + " frames (lat x lon), the request asks for "
                    + request.height() + "x" + request.width() + " (" + NAME + " is not resized; build the model for " + first.lat + "x" + first.lon + ")");
        }
        long hours = files.stream().mapToLong(f -> f.hours).sum();
        if (hours < window) {
            throw new DataFormatException(folderOf(files) + ": the " + request.split() + " split's files (" + years + ") hold " + hours + " hours, fewer than one "
                    + request.inFrames() + "->" + request.outFrames() + " window (" + window + " consecutive hours)");
        }
        List<YearFile> trainFiles = request.split().equals("train") ? files : index(root, request.split(), train, true);
        for (YearFile f : trainFiles) checkSameGrid(first, f);
        Stats stats = trainStats(root, train, trainFiles);
        if (trainFiles != files) for (YearFile f : trainFiles) f.close();
        return new WeatherBench(request.split(), train, files, request.inFrames(), request.outFrames(), stats);
    }

    @Override public String name() { return NAME + "/" + split; }
    @Override public int size() { return size; }
    @Override public int inFrames() { return inFrames; }
    @Override public int outFrames() { return outFrames; }
    @Override public int channels() { return 1; }
    @Override public int height() { return lat; }
    @Override public int width() { return lon; }

    /** Kelvin, z-scored with the train years' mean and standard deviation. */
    @Override
    public ValueScale scale() {
        return ValueScale.zScore("K", new double[] {stats.mean}, new double[] {stats.std});
    }

    @Override
    public List<String> sources() {
        List<String> lines = new ArrayList<>();
        for (YearFile f : files) lines.add(f.describe());
        lines.add(String.format(Locale.ROOT, "normalisation: z-score K, mean %.6f std %.6f over the train years %s (%d values)", stats.mean, stats.std, trainYears, stats.count));
        return lines;
    }

    @Override
    public void fill(int index, float[] input, int inOff, float[] target, int tgtOff) {
        checkFill(index, input, inOff, target, tgtOff);
        int frame = lat * lon;
        double mean = stats.mean, std = stats.std;
        // The window's hours, split into runs that lie in one file each.
        long hour = index, end = (long) index + inFrames + outFrames;
        int k = fileOf(hour);
        int t = 0; // frames written so far
        while (hour < end) {
            while (hour >= starts[k + 1]) k++;
            int n = (int) (Math.min(end, starts[k + 1]) - hour);
            double[] kelvin = files.get(k).read(hour - starts[k], n);
            for (int j = 0; j < n; j++, t++) {
                float[] dst = t < inFrames ? input : target;
                int off = t < inFrames ? inOff + t * frame : tgtOff + (t - inFrames) * frame;
                for (int i = 0; i < frame; i++) dst[off + i] = (float) ((kelvin[j * frame + i] - mean) / std);
            }
            hour += n;
        }
    }

    /** The file holding split hour {@code hour}. */
    private int fileOf(long hour) {
        int lo = 0, hi = files.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (starts[mid] <= hour) lo = mid;
            else hi = mid - 1;
        }
        return lo;
    }

    /** Closes the files this data set has opened; a later {@link #fill} opens them again. */
    @Override
    public void close() {
        for (YearFile f : files) f.close();
    }

    // ---- files ----

    /** The expected name of {@code year}'s file. */
    static String fileName(int year) {
        return FOLDER + "_" + year + "_5.625deg.nc";
    }

    /** Finds, checks and reads the header of every file of {@code years}. */
    private static List<YearFile> index(Path root, String split, Years years, boolean forStats) {
        Path folder = root.resolve(FOLDER);
        List<YearFile> files = new ArrayList<>();
        for (int y = years.first; y <= years.last; y++) {
            Path p = folder.resolve(fileName(y));
            if (!Files.isRegularFile(p)) p = root.resolve(fileName(y));
            if (!Files.isRegularFile(p)) {
                Path where = Files.isDirectory(folder) ? folder : root;
                String need = forStats ? "the " + split + " split's normalisation needs the train years " + years : "the " + split + " split needs years " + years;
                throw new DataFormatException(where + ": no " + fileName(y) + " (" + need + "; looked in " + folder + " and " + root + ")");
            }
            YearFile f = YearFile.open(p);
            if (!files.isEmpty()) checkSameGrid(files.get(0), f);
            files.add(f);
        }
        return files;
    }

    private static void checkSameGrid(YearFile a, YearFile b) {
        if (a.lat != b.lat || a.lon != b.lon) {
            throw new DataFormatException(b.path + ": t2m is " + b.lat + "x" + b.lon + " (lat x lon), but " + a.path.getFileName() + " is " + a.lat + "x" + a.lon
                    + "; every year must have the same grid");
        }
    }

    private static Path folderOf(List<YearFile> files) {
        Path parent = files.get(0).path.getParent();
        return parent == null ? files.get(0).path : parent;
    }

    /** One line, for messages: jhdf's messages can span lines. */
    private static String oneLine(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) m = e.getClass().getSimpleName();
        return m.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }

    /** The HDF5 signature, found at offset 0, 512, 1024, 2048... */
    private static final byte[] HDF5_MAGIC = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

    /** Says what {@code p} is when it is not NetCDF-4, or returns normally. */
    private static void checkMagic(Path p) {
        byte[] head = new byte[8];
        int n;
        try (InputStream in = Files.newInputStream(p)) {
            n = in.readNBytes(head, 0, 8);
        } catch (IOException e) {
            throw new DataFormatException(p + ": cannot read (" + oneLine(e) + ")", e);
        }
        if (n >= 4 && head[0] == 'C' && head[1] == 'D' && head[2] == 'F' && (head[3] == 1 || head[3] == 2 || head[3] == 5)) {
            throw new DataFormatException(p + ": a NetCDF-3 (classic" + (head[3] == 1 ? "" : head[3] == 2 ? ", 64-bit offset" : ", CDF-5")
                    + ") file; " + NAME + " reads NetCDF-4 (HDF5) files: convert it with `nccopy -k nc4 in.nc out.nc`");
        }
        long size;
        try {
            size = Files.size(p);
        } catch (IOException e) {
            throw new DataFormatException(p + ": cannot read (" + oneLine(e) + ")", e);
        }
        long base = magicAt(p, head, n, size);
        if (base < 0) {
            StringBuilder hex = new StringBuilder();
            for (int i = 0; i < n; i++) hex.append(i == 0 ? "" : " ").append(String.format("%02x", head[i] & 0xff));
            throw new DataFormatException(p + ": not a NetCDF-4 (HDF5) file (" + (n == 0 ? "empty" : "starts with bytes " + hex) + ", expected the HDF5 signature 89 48 44 46 0d 0a 1a 0a)");
        }
        long end = endOfFile(p, base);
        if (end == Long.MAX_VALUE) {
            throw new DataFormatException(p + ": truncated NetCDF-4 (HDF5) file: " + size + " bytes, too short for its superblock (copy or download it again)");
        }
        if (end > size) {
            throw new DataFormatException(p + ": truncated NetCDF-4 (HDF5) file: " + size + " bytes, its superblock says " + end + " (copy or download it again)");
        }
    }

    /** Where the HDF5 signature is (0, 512, 1024, 2048...), or -1. */
    private static long magicAt(Path p, byte[] head, int n, long size) {
        if (n == 8 && Arrays.equals(head, HDF5_MAGIC)) return 0;
        try (var ch = java.nio.channels.FileChannel.open(p)) {
            var buf = ByteBuffer.allocate(8);
            for (long off = 512; off + 8 <= size; off *= 2) {
                buf.clear();
                ch.read(buf, off);
                if (Arrays.equals(buf.array(), HDF5_MAGIC)) return off;
            }
        } catch (IOException e) {
            throw new DataFormatException(p + ": cannot read (" + oneLine(e) + ")", e);
        }
        return -1;
    }

    /**
     * The file size the HDF5 superblock at {@code at} records (its base address plus end-of-file
     * address); 0 when the superblock is of a version this does not know, {@code Long.MAX_VALUE} when it
     * is itself cut short.
     */
    private static long endOfFile(Path p, long at) {
        ByteBuffer sb = ByteBuffer.allocate(128).order(ByteOrder.LITTLE_ENDIAN);
        try (var ch = java.nio.channels.FileChannel.open(p)) {
            while (sb.hasRemaining() && ch.read(sb, at + sb.position()) > 0) {
                // keep reading
            }
        } catch (IOException e) {
            throw new DataFormatException(p + ": cannot read (" + oneLine(e) + ")", e);
        }
        int got = sb.position();
        int version = got > 8 ? sb.get(8) : -1;
        int offsets, field; // size of addresses; where the base address is
        if (version == 0 || version == 1) {
            if (got < 16) return Long.MAX_VALUE;
            offsets = sb.get(13);
            field = version == 0 ? 24 : 28;
        } else if (version == 2 || version == 3) {
            if (got < 12) return Long.MAX_VALUE;
            offsets = sb.get(9);
            field = 12;
        } else {
            return 0;
        }
        if (offsets != 2 && offsets != 4 && offsets != 8) return 0;
        // base address, then (v0/1) free-space address or (v2/3) superblock extension address, then end of file.
        if (got < field + 3 * offsets) return Long.MAX_VALUE;
        long baseAddr = address(sb, field, offsets), eof = address(sb, field + 2 * offsets, offsets);
        if (eof < 0 || baseAddr < 0) return 0;
        return baseAddr + eof;
    }

    private static long address(ByteBuffer b, int at, int size) {
        return switch (size) {
            case 2 -> b.getShort(at) & 0xffffL;
            case 4 -> b.getInt(at) & 0xffffffffL;
            default -> b.getLong(at);
        };
    }

    /**
     * One year's file: its header read at open, its {@link HdfFile} opened on first read and kept.
     * Reads are synchronized on this object.
     *
     * <p>Contiguous data is sliced by jhdf. Chunked data is assembled here from whole decompressed
     * chunks ({@link ChunkedDataset#getDecompressedChunk}): jhdf 0.9.4's sliced read of a chunked
     * dataset returns zeros for slices that cross a chunk boundary.
     */
    private static final class YearFile {
        final Path path;
        final long hours;
        final int lat, lon;
        /** Element size in bytes, byte order, and whether elements are IEEE floats (else integers). */
        final int bytes;
        final ByteOrder order;
        final boolean floating, signed;
        /** Chunk shape {@code [time, lat, lon]}, or null when the data is not chunked. */
        final int[] chunk;
        /** Packing: value = raw * scale + offset (1 and 0 when unpacked). */
        final double scale, offset;
        final boolean packed;
        private HdfFile hdf;
        private io.jhdf.api.Dataset var;
        /**
         * Recently decompressed chunks by offset, least recently used first, at most
         * {@link #KEPT_CHUNK_BYTES} in all: consecutive windows share chunks.
         */
        private final java.util.LinkedHashMap<List<Integer>, ByteBuffer> kept = new java.util.LinkedHashMap<>(16, 0.75f, true);
        private long keptBytes;

        private YearFile(Path path, int[] dims, int bytes, ByteOrder order, boolean floating, boolean signed, int[] chunk, Double scale, Double offset) {
            this.path = path;
            this.hours = dims[0];
            this.lat = dims[1];
            this.lon = dims[2];
            this.bytes = bytes;
            this.order = order;
            this.floating = floating;
            this.signed = signed;
            this.chunk = chunk;
            this.packed = scale != null || offset != null;
            this.scale = scale == null ? 1 : scale;
            this.offset = offset == null ? 0 : offset;
        }

        /** Reads and checks the header of {@code p}; the file is closed again. */
        static YearFile open(Path p) {
            checkMagic(p);
            try (HdfFile h = new HdfFile(p)) {
                io.jhdf.api.Dataset v = variable(h, p);
                int[] dims = v.getDimensions();
                if (dims.length != 3) {
                    throw new DataFormatException(p + ": t2m has shape " + Arrays.toString(dims) + ", expected 3 dimensions [time, lat, lon]");
                }
                if (dims[0] < 1 || dims[1] < 1 || dims[2] < 1) {
                    throw new DataFormatException(p + ": t2m has shape " + Arrays.toString(dims) + ", expected at least one hour of [time, lat, lon]");
                }
                DataType type = v.getDataType();
                boolean floating = type instanceof FloatingPoint && (type.getSize() == 2 || type.getSize() == 4 || type.getSize() == 8);
                boolean integer = type instanceof FixedPoint && (type.getSize() == 1 || type.getSize() == 2 || type.getSize() == 4 || type.getSize() == 8);
                if (!floating && !integer) {
                    throw new DataFormatException(p + ": t2m holds " + type.getClass().getSimpleName() + " values of " + type.getSize()
                            + " bytes, expected float32 (or integers packed with scale_factor/add_offset)");
                }
                ByteOrder order = ((OrderedDataType) type).getByteOrder();
                boolean signed = !(type instanceof FixedPoint f) || f.isSigned();
                int[] chunk = null;
                if (v instanceof ChunkedDataset c) {
                    int[] cd = c.getChunkDimensions();
                    if (cd.length < 3 || cd[0] < 1 || cd[1] < 1 || cd[2] < 1) {
                        throw new DataFormatException(p + ": t2m has chunks " + Arrays.toString(cd) + ", expected 3 positive chunk sizes [time, lat, lon]");
                    }
                    chunk = Arrays.copyOf(cd, 3);
                }
                checkHourly(h, p, dims[0]);
                return new YearFile(p, dims, type.getSize(), order, floating, signed, chunk, number(v, "scale_factor", p), number(v, "add_offset", p));
            } catch (DataFormatException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new DataFormatException(p + ": cannot read as NetCDF-4/HDF5, truncated or damaged? (" + oneLine(e) + ")", e);
            }
        }

        /**
         * When the file has a 1-D {@code time} variable of {@code hours} values in hours, days,
         * minutes or seconds "since" some date, checks that its steps are one hour: windows are
         * consecutive hours. Files without one (or with other units) are taken as hourly.
         */
        private static void checkHourly(HdfFile h, Path p, long hours) {
            if (!(h.getChildren().get("time") instanceof io.jhdf.api.Dataset time) || time.getDimensions().length != 1 || time.getDimensions()[0] != hours || hours < 2) return;
            Attribute u = time.getAttributes().get("units");
            Object units = u == null ? null : u.getData();
            if (units != null && units.getClass().isArray() && java.lang.reflect.Array.getLength(units) == 1) units = java.lang.reflect.Array.get(units, 0);
            if (!(units instanceof String text)) return;
            String unit = text.strip().toLowerCase(Locale.ROOT);
            double perHour;
            if (unit.startsWith("hours since")) perHour = 1;
            else if (unit.startsWith("days since")) perHour = 1.0 / 24;
            else if (unit.startsWith("minutes since")) perHour = 60;
            else if (unit.startsWith("seconds since")) perHour = 3600;
            else return;
            Object data = time.getData();
            for (int i = 1; i < hours; i++) {
                double step = (java.lang.reflect.Array.get(data, i) instanceof Number b ? b.doubleValue() : Double.NaN)
                        - (java.lang.reflect.Array.get(data, i - 1) instanceof Number a ? a.doubleValue() : Double.NaN);
                if (!(Math.abs(step / perHour - 1) < 1e-6)) {
                    throw new DataFormatException(p + ": time steps by " + step / perHour + " hours between entries " + (i - 1) + " and " + i + " (units '" + text.strip()
                            + "'), expected hourly data (windows are consecutive hours)");
                }
            }
        }

        private static io.jhdf.api.Dataset variable(HdfFile h, Path p) {
            Node n = h.getChildren().get(VARIABLE);
            if (n instanceof io.jhdf.api.Dataset d) return d;
            List<String> present = new ArrayList<>();
            for (Map.Entry<String, Node> e : h.getChildren().entrySet()) if (e.getValue() instanceof io.jhdf.api.Dataset) present.add(e.getKey());
            throw new DataFormatException(p + ": no variable t2m (2 m temperature); the file has " + (present.isEmpty() ? "no variables" : "variables " + String.join(", ", present)));
        }

        /** A numeric scalar (or one-element) attribute, or null when absent. */
        private static Double number(io.jhdf.api.Dataset v, String name, Path p) {
            Attribute a = v.getAttributes().get(name);
            if (a == null) return null;
            Object d = a.getData();
            if (d != null && d.getClass().isArray() && java.lang.reflect.Array.getLength(d) == 1) d = java.lang.reflect.Array.get(d, 0);
            if (d instanceof Number num && Double.isFinite(num.doubleValue())) return num.doubleValue();
            throw new DataFormatException(p + ": t2m's " + name + " attribute is " + (d == null ? "empty" : d.getClass().getSimpleName()) + ", expected one finite number");
        }

        /** E.g. {@code "2m_temperature_2016_5.625deg.nc: t2m float32 [8784, 32, 64]"}. */
        String describe() {
            String s = path.getFileName() + ": t2m " + (floating ? "float" : signed ? "int" : "uint") + 8 * bytes + " [" + hours + ", " + lat + ", " + lon + "]";
            if (packed) s += String.format(Locale.ROOT, " packed (scale_factor %s, add_offset %s)", scale, offset);
            return s;
        }

        /** Hours {@code [from, from + n)} of t2m in kelvin (unpacked), {@code [n, lat, lon]} row-major. */
        synchronized double[] read(long from, int n) {
            try {
                if (hdf == null) {
                    hdf = new HdfFile(path);
                    var = hdf.getDatasetByPath(VARIABLE);
                }
                double[] out = new double[n * lat * lon];
                if (chunk != null) readChunks((ChunkedDataset) var, from, n, out);
                else flatten(var.getData(new long[] {from, 0, 0}, new int[] {n, lat, lon}), out);
                if (packed) for (int i = 0; i < out.length; i++) out[i] = out[i] * scale + offset;
                return out;
            } catch (DataFormatException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new DataFormatException(path + ": cannot read hours " + from + "-" + (from + n - 1) + " of t2m, truncated or damaged? (" + oneLine(e) + ")", e);
            }
        }

        /** jhdf's {@code [n][lat][lon]} array into {@code out}. */
        private void flatten(Object data, double[] out) {
            int o = 0;
            for (Object hour : (Object[]) data) {
                for (Object row : (Object[]) hour) {
                    switch (row) {
                        case float[] a -> { for (float v : a) out[o++] = v; }
                        case double[] a -> { for (double v : a) out[o++] = v; }
                        case short[] a -> { for (short v : a) out[o++] = signed ? v : v & 0xffff; }
                        case byte[] a -> { for (byte v : a) out[o++] = signed ? v : v & 0xff; }
                        case int[] a -> { for (int v : a) out[o++] = signed ? v : v & 0xffffffffL; }
                        case long[] a -> { for (long v : a) out[o++] = v; }
                        default -> throw new DataFormatException(path + ": t2m rows read as " + row.getClass().getSimpleName() + ", expected numbers");
                    }
                }
            }
        }

        /** Assembles hours {@code [from, from + n)} from every chunk they touch. */
        private void readChunks(ChunkedDataset ds, long from, int n, double[] out) {
            int ct = chunk[0], cl = chunk[1], cx = chunk[2];
            long end = from + n;
            for (long t0 = from / ct * ct; t0 < end; t0 += ct) {
                for (int r0 = 0; r0 < lat; r0 += cl) {
                    for (int x0 = 0; x0 < lon; x0 += cx) {
                        ByteBuffer b = chunkAt(ds, (int) t0, r0, x0);
                        long need = (long) ct * cl * cx * bytes;
                        if (b.capacity() < need) {
                            throw new DataFormatException(path + ": t2m's chunk at hour " + t0 + ", lat " + r0 + ", lon " + x0 + " has " + b.capacity() + " bytes, expected " + need);
                        }
                        long t1 = Math.min(end, t0 + ct);
                        int r1 = Math.min(lat, r0 + cl), x1 = Math.min(lon, x0 + cx);
                        for (long t = Math.max(from, t0); t < t1; t++) {
                            for (int r = r0; r < r1; r++) {
                                int src = (int) ((((t - t0) * cl + (r - r0)) * cx) * bytes);
                                int dst = (int) (((t - from) * lat + r) * lon);
                                for (int x = x0; x < x1; x++) out[dst + x] = element(b, src + (x - x0) * bytes);
                            }
                        }
                    }
                }
            }
        }

        /** The decompressed chunk whose first element is at {@code (t0, r0, x0)}, from the kept ones when it is there. */
        private ByteBuffer chunkAt(ChunkedDataset ds, int t0, int r0, int x0) {
            List<Integer> at = List.of(t0, r0, x0);
            ByteBuffer b = kept.get(at);
            if (b != null) return b;
            b = ByteBuffer.wrap(ds.getDecompressedChunk(new int[] {t0, r0, x0})).order(order);
            if (b.capacity() <= KEPT_CHUNK_BYTES) {
                kept.put(at, b);
                keptBytes += b.capacity();
                var oldest = kept.entrySet().iterator();
                while (keptBytes > KEPT_CHUNK_BYTES) {
                    keptBytes -= oldest.next().getValue().capacity();
                    oldest.remove();
                }
            }
            return b;
        }

        /** The raw element at byte {@code at} of {@code b}. */
        private double element(ByteBuffer b, int at) {
            if (floating) {
                return switch (bytes) {
                    case 4 -> b.getFloat(at);
                    case 8 -> b.getDouble(at);
                    default -> FloatingPoint.toFloat(b.getShort(at));
                };
            }
            return switch (bytes) {
                case 1 -> signed ? b.get(at) : b.get(at) & 0xff;
                case 2 -> signed ? b.getShort(at) : b.getShort(at) & 0xffff;
                case 4 -> signed ? b.getInt(at) : b.getInt(at) & 0xffffffffL;
                default -> b.getLong(at);
            };
        }

        synchronized void close() {
            if (hdf != null) {
                hdf.close();
                hdf = null;
                var = null;
                kept.clear();
                keptBytes = 0;
            }
        }

        /** Adds every value of this file to {@code acc}, a chunk of hours at a time, then closes the file. */
        void accumulate(Accumulator acc) {
            int frame = lat * lon;
            int chunkHours = Math.max(1, STATS_CHUNK_VALUES / frame);
            try {
                for (long h = 0; h < hours; h += chunkHours) {
                    int n = (int) Math.min(chunkHours, hours - h);
                    double[] data = read(h, n);
                    for (int j = 0; j < n; j++) {
                        double sum = 0;
                        for (int i = j * frame; i < (j + 1) * frame; i++) sum += data[i];
                        double mean = sum / frame, m2 = 0;
                        for (int i = j * frame; i < (j + 1) * frame; i++) {
                            double v = data[i];
                            if (!Double.isFinite(v)) {
                                int k = i - j * frame;
                                throw new DataFormatException(path + ": t2m has a non-finite value (" + v + ") at hour " + (h + j) + ", lat " + k / lon + ", lon " + k % lon);
                            }
                            m2 += (v - mean) * (v - mean);
                        }
                        acc.add(frame, mean, m2);
                    }
                }
            } finally {
                close();
            }
        }
    }

    // ---- train statistics ----

    /** Mean, population standard deviation and count of the train values. */
    record Stats(double mean, double std, long count) {}

    /** Identifies the train files a {@link Stats} was computed from. */
    private record StatsKey(Path root, Years years, List<String> files) {}

    /** Chan et al.'s pairwise combination of (count, mean, M2), chunk by chunk. */
    private static final class Accumulator {
        long count;
        double mean, m2;

        void add(long n, double chunkMean, double chunkM2) {
            long total = count + n;
            double delta = chunkMean - mean;
            mean += delta * n / total;
            m2 += chunkM2 + delta * delta * ((double) count * n / total);
            count = total;
        }
    }

    private static Stats trainStats(Path root, Years train, List<YearFile> trainFiles) {
        List<String> ids = new ArrayList<>();
        for (YearFile f : trainFiles) {
            try {
                ids.add(f.path.toAbsolutePath().normalize() + "|" + Files.size(f.path) + "|" + Files.getLastModifiedTime(f.path).toMillis());
            } catch (IOException e) {
                throw new DataFormatException(f.path + ": cannot read (" + oneLine(e) + ")", e);
            }
        }
        StatsKey key = new StatsKey(root.toAbsolutePath().normalize(), train, List.copyOf(ids));
        synchronized (STATS) {
            Stats s = STATS.get(key);
            if (s != null) return s;
        }
        Accumulator acc = new Accumulator();
        long values = trainFiles.stream().mapToLong(f -> f.hours * f.lat * f.lon).sum();
        // The real train years (664M values) take ~40 s: long enough to show progress, on stderr.
        try (ProgressBar pb = values < STATS_PROGRESS_VALUES ? null : new ProgressBarBuilder()
                .setTaskName("weatherbench: train mean/std").setInitialMax(trainFiles.size()).setUnit(" years", 1)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(1000).setConsumer(new ConsoleProgressBarConsumer(System.err)).build()) {
            for (YearFile f : trainFiles) {
                f.accumulate(acc);
                if (pb != null) pb.step();
            }
        }
        double std = Math.sqrt(acc.m2 / acc.count);
        if (!(std > 0) || !Double.isFinite(std)) {
            throw new DataFormatException(folderOf(trainFiles) + ": t2m over the train years " + train + " has standard deviation " + std + "; cannot z-score it");
        }
        Stats s = new Stats(acc.mean, std, acc.count);
        synchronized (STATS) {
            STATS.putIfAbsent(key, s);
            return STATS.get(key);
        }
    }

    /** The train statistics {@link #open} uses (for tests). */
    Stats stats() {
        return stats;
    }
}
