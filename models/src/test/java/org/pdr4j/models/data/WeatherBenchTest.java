package org.pdr4j.models.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads the tiny fixtures that {@code src/test/resources/weatherbench/make_fixtures.py} wrote: a 4 x 8
 * grid, {@code t2m = 250 + 10 (year - 2000) + t + 0.5 r + 0.25 x} kelvin, years 2000 (7 hours), 2001
 * (6, int16 packed), 2002 (5), 2003 (4), 2004 (3). The test splits are train 2000-2001, val 2002,
 * test 2003-2004, with 2 -> 2 clips (windows of 4 hours).
 */
class WeatherBenchTest {
    static final WeatherBench.Years TRAIN = new WeatherBench.Years(2000, 2001), VAL = new WeatherBench.Years(2002, 2002), TEST = new WeatherBench.Years(2003, 2004);
    static final Map<Integer, Integer> HOURS = Map.of(2000, 7, 2001, 6, 2002, 5, 2003, 4, 2004, 3);
    static final int LAT = 4, LON = 8;

    @TempDir Path dir;

    /** The fixture's value (kelvin) at hour {@code t} of {@code year}, row {@code r}, column {@code x}. */
    static double kelvin(int year, int t, int r, int x) {
        return 250 + 10 * (year - 2000) + t + 0.5 * r + 0.25 * x;
    }

    static void copy(String resource, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        try (InputStream in = WeatherBenchTest.class.getResourceAsStream("/weatherbench/" + resource)) {
            if (in == null) throw new IllegalStateException("missing test resource weatherbench/" + resource);
            Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** {@code <dir>/<sub>/2m_temperature/} with the given years' fixtures; returns the root. */
    Path root(String sub, int... years) throws IOException {
        Path root = dir.resolve(sub);
        for (int y : years) copy(WeatherBench.fileName(y), root.resolve("2m_temperature").resolve(WeatherBench.fileName(y)));
        return root;
    }

    Path root(String sub) throws IOException {
        return root(sub, 2000, 2001, 2002, 2003, 2004);
    }

    static DataRequest request(String split, Path root) {
        return new DataRequest(split, 0, root, 2, 2, LAT, LON);
    }

    static WeatherBench open(String split, Path root) {
        return WeatherBench.open(request(split, root), TRAIN, VAL, TEST);
    }

    static String message(Path root, String split) {
        return message(() -> open(split, root));
    }

    static String message(Runnable r) {
        DataFormatException e = assertThrows(DataFormatException.class, r::run);
        String m = e.getMessage();
        assertFalse(m.contains("\n") || m.contains("\r"), "one line: " + m);
        return m;
    }

    /** Train-years mean and population std, by hand from the closed form. */
    static double[] trainStats() {
        double sum = 0, n = 0;
        for (int y = 2000; y <= 2001; y++) for (int t = 0; t < HOURS.get(y); t++) for (int r = 0; r < LAT; r++) for (int x = 0; x < LON; x++) {
            sum += kelvin(y, t, r, x);
            n++;
        }
        double mean = sum / n, ss = 0;
        for (int y = 2000; y <= 2001; y++) for (int t = 0; t < HOURS.get(y); t++) for (int r = 0; r < LAT; r++) for (int x = 0; x < LON; x++) {
            ss += Math.pow(kelvin(y, t, r, x) - mean, 2);
        }
        return new double[] {mean, Math.sqrt(ss / n), n};
    }

    @Test
    void samplesPerSplitAreSlidingWindowsAcrossYears() throws IOException {
        Path root = root("all");
        try (WeatherBench train = open("train", root); WeatherBench val = open("val", root); WeatherBench test = open("test", root)) {
            assertEquals(7 + 6 - 4 + 1, train.size());
            assertEquals(5 - 4 + 1, val.size());
            assertEquals(4 + 3 - 4 + 1, test.size());
            for (WeatherBench d : List.of(train, val, test)) {
                assertEquals(2, d.inFrames());
                assertEquals(2, d.outFrames());
                assertEquals(1, d.channels());
                assertEquals(LAT, d.height());
                assertEquals(LON, d.width());
                Dataset.Sample s = d.get(d.size() - 1);
                assertArrayEquals(new int[] {2, 1, LAT, LON}, s.input().shape().toArray());
                assertArrayEquals(new int[] {2, 1, LAT, LON}, s.target().shape().toArray());
            }
            assertEquals("weatherbench/val", val.name());
            assertThrows(IllegalArgumentException.class, () -> val.fill(2, new float[64], 0, new float[64], 0));
        }
    }

    @Test
    void normalisesWithTrainOnlyStatistics() throws IOException {
        Path root = root("stats");
        double[] hand = trainStats();
        try (WeatherBench train = open("train", root); WeatherBench val = open("val", root); WeatherBench test = open("test", root)) {
            for (WeatherBench d : List.of(train, val, test)) {
                ValueScale s = d.scale();
                assertEquals("K", s.unit());
                assertFalse(s.bounded());
                assertEquals(hand[0], s.mean()[0], 1e-9, d.name());
                assertEquals(hand[1], s.std()[0], 1e-9, d.name());
                assertEquals(train.scale(), s);
            }
            // Closed form as a check on the check: train holds 13 hours, hour mean (7*3 + 6*(10 + 2.5)) / 13.
            assertEquals(250 + (7 * 3 + 6 * 12.5) / 13 + 0.5 * 1.5 + 0.25 * 3.5, hand[0], 1e-12);
            assertEquals((long) hand[2], train.stats().count());
            // Val's own mean (270 + 2 + ...) is far from the train mean: val was not used.
            assertNotEquals(270 + 2 + 0.75 + 0.875, train.scale().mean()[0], 1);
        }
    }

    /** Sample {@code index} of a split whose hours are {@code (year, hour)} pairs, normalised as the data set does. */
    static float[][] expected(WeatherBench d, int[][] yearHours) {
        double mean = d.scale().mean()[0], std = d.scale().std()[0];
        float[] in = new float[2 * LAT * LON], tgt = new float[2 * LAT * LON];
        for (int f = 0; f < 4; f++) {
            for (int r = 0; r < LAT; r++) for (int x = 0; x < LON; x++) {
                float v = (float) ((kelvin(yearHours[f][0], yearHours[f][1], r, x) - mean) / std);
                if (f < 2) in[(f * LAT + r) * LON + x] = v;
                else tgt[((f - 2) * LAT + r) * LON + x] = v;
            }
        }
        return new float[][] {in, tgt};
    }

    @Test
    void fillGivesTheNormalisedValuesAcrossAYearBoundary() throws IOException {
        Path root = root("fill");
        try (WeatherBench test = open("test", root); WeatherBench train = open("train", root)) {
            // Test sample 2: hours 2, 3 of 2003 (zlib float32), then 0, 1 of 2004 (contiguous).
            float[][] want = expected(test, new int[][] {{2003, 2}, {2003, 3}, {2004, 0}, {2004, 1}});
            float[] in = new float[5 + 64], tgt = new float[3 + 64];
            in[4] = tgt[2] = 42; // outside the destination ranges: left alone
            test.fill(2, in, 5, tgt, 3);
            assertArrayEquals(want[0], java.util.Arrays.copyOfRange(in, 5, 69));
            assertArrayEquals(want[1], java.util.Arrays.copyOfRange(tgt, 3, 67));
            assertEquals(42, in[4]);
            assertEquals(42, tgt[2]);
            // A hand-checked element: 2004 hour 1, row 3, column 7 = 250 + 40 + 1 + 1.5 + 1.75 K.
            double[] hand = trainStats();
            assertEquals((294.25 - hand[0]) / hand[1], tgt[3 + (LAT * LON) + 3 * LON + 7], 1e-6);

            // Train sample 5: hours 5, 6 of 2000 (float32), then 0, 1 of 2001 (int16 packed, chunked).
            want = expected(train, new int[][] {{2000, 5}, {2000, 6}, {2001, 0}, {2001, 1}});
            Dataset.Sample s = train.get(5);
            assertArrayEquals(want[0], s.input().toFloatArray());
            assertArrayEquals(want[1], s.target().toFloatArray());
        }
    }

    @Test
    void everySampleOfEverySplitMatchesTheClosedForm() throws IOException {
        // Covers each storage layout: contiguous, chunked along time only, chunked in all three
        // dimensions with partial edge chunks (2003), packed int16.
        Path root = root("every");
        Map<String, int[]> years = Map.of("train", new int[] {2000, 2001}, "val", new int[] {2002}, "test", new int[] {2003, 2004});
        for (String split : DataRequest.SPLITS) {
            List<int[]> hours = new ArrayList<>();
            for (int y : years.get(split)) for (int t = 0; t < HOURS.get(y); t++) hours.add(new int[] {y, t});
            try (WeatherBench d = open(split, root)) {
                assertEquals(hours.size() - 3, d.size(), split);
                for (int i = 0; i < d.size(); i++) {
                    float[][] want = expected(d, hours.subList(i, i + 4).toArray(new int[0][]));
                    Dataset.Sample s = d.get(i);
                    assertArrayEquals(want[0], s.input().toFloatArray(), split + " " + i);
                    assertArrayEquals(want[1], s.target().toFloatArray(), split + " " + i);
                }
            }
        }
    }

    @Test
    void trainStatisticsAreComputedOncePerRoot() throws IOException {
        Path root = root("memo");
        try (WeatherBench a = open("val", root); WeatherBench b = open("test", root); WeatherBench c = open("train", root)) {
            assertSame(a.stats(), b.stats());
            assertSame(a.stats(), c.stats());
        }
        // Another root with other train files gets its own: 2001 alone.
        Path other = root("memo2", 2001, 2002);
        WeatherBench.Years y2001 = new WeatherBench.Years(2001, 2001);
        try (WeatherBench d = WeatherBench.open(request("val", other), y2001, VAL, TEST)) {
            assertEquals(260 + 2.5 + 0.75 + 0.875, d.scale().mean()[0], 1e-9);
        }
    }

    @Test
    void decodesPackedInt16() throws IOException {
        // 2001 alone, packed with scale_factor 0.25 and add_offset 250: its values, mean and std.
        Path root = root("packed", 2001);
        WeatherBench.Years y = new WeatherBench.Years(2001, 2001);
        try (WeatherBench d = WeatherBench.open(new DataRequest("train", 0, root, 1, 1, LAT, LON), y, y, y)) {
            assertEquals(5, d.size());
            // Mean of 260 + t + 0.5 r + 0.25 x over t < 6, r < 4, x < 8.
            assertEquals(260 + 2.5 + 0.75 + 0.875, d.scale().mean()[0], 1e-9);
            Dataset.Sample s = d.get(3);
            double mean = d.scale().mean()[0], std = d.scale().std()[0];
            float[] in = s.input().toFloatArray(), tgt = s.target().toFloatArray();
            for (int r = 0; r < LAT; r++) for (int x = 0; x < LON; x++) {
                assertEquals(kelvin(2001, 3, r, x), in[r * LON + x] * std + mean, 1e-4);
                assertEquals(kelvin(2001, 4, r, x), d.scale().physical(tgt[r * LON + x], 0), 1e-4);
            }
            assertTrue(d.sources().get(0).startsWith("2m_temperature_2001_5.625deg.nc: t2m int16 [6, 4, 8] packed (scale_factor 0.25, add_offset 250.0)"), d.sources().get(0));
        }
    }

    @Test
    void sourcesNameEachFileAndTheNormalisation() throws IOException {
        Path root = root("sources");
        try (WeatherBench test = open("test", root)) {
            List<String> s = test.sources();
            assertEquals(3, s.size(), s.toString());
            assertEquals("2m_temperature_2003_5.625deg.nc: t2m float32 [4, 4, 8]", s.get(0));
            assertEquals("2m_temperature_2004_5.625deg.nc: t2m float32 [3, 4, 8]", s.get(1));
            assertTrue(s.get(2).startsWith("normalisation: z-score K, mean ") && s.get(2).contains("train years 2000-2001 (416 values)"), s.get(2));
        }
    }

    @Test
    void acceptsFilesDirectlyInTheRoot() throws IOException {
        Path root = dir.resolve("flat");
        for (int y : new int[] {2000, 2001, 2002}) copy(WeatherBench.fileName(y), root.resolve(WeatherBench.fileName(y)));
        try (WeatherBench val = open("val", root)) {
            assertEquals(2, val.size());
            assertEquals(trainStats()[0], val.scale().mean()[0], 1e-9);
        }
    }

    @Test
    void fillIsDeterministicAcrossThreads() throws Exception {
        Path root = root("threads");
        try (WeatherBench train = open("train", root)) {
            float[][] once = new float[train.size()][];
            for (int i = 0; i < train.size(); i++) once[i] = train.get(i).target().toFloatArray();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<Boolean>> jobs = new ArrayList<>();
                for (int k = 0; k < 40; k++) {
                    int i = (k * 7) % train.size();
                    jobs.add(pool.submit(() -> java.util.Arrays.equals(once[i], train.get(i).target().toFloatArray())));
                }
                for (Future<Boolean> j : jobs) assertTrue(j.get());
            } finally {
                pool.shutdown();
            }
        }
    }

    // ---- errors: one line, starting with the file or folder ----

    @Test
    void missingRoot() {
        Path root = dir.resolve("nowhere");
        String m = message(root, "train");
        assertTrue(m.startsWith(root.toString()), m);
        String none = message(() -> WeatherBench.open(new DataRequest("train", 0, null, 12, 12, 32, 64)));
        assertTrue(none.contains("--data-root"), none);
    }

    @Test
    void missingYearNamesTheFileAndTheYears() throws IOException {
        Path root = root("missing", 2000, 2002);
        String m = message(root, "train");
        Path folder = root.resolve("2m_temperature");
        assertTrue(m.startsWith(folder + ": no 2m_temperature_2001_5.625deg.nc"), m);
        assertTrue(m.contains("years 2000-2001"), m);
        // Val needs the train years too, for the normalisation.
        String v = message(root, "val");
        assertTrue(v.startsWith(folder + ": no 2m_temperature_2001_5.625deg.nc") && v.contains("normalisation"), v);
        // The protocol's years, through the public entry point.
        String p = message(() -> WeatherBench.open(new DataRequest("test", 0, root, 12, 12, 32, 64)));
        assertTrue(p.startsWith(folder + ": no 2m_temperature_2017_5.625deg.nc") && p.contains("years 2017-2018"), p);
        String t = message(() -> WeatherBench.open(new DataRequest("train", 0, root, 12, 12, 32, 64)));
        assertTrue(t.contains("2m_temperature_1979_5.625deg.nc") && t.contains("years 1979-2015"), t);
    }

    /** A root whose val year 2002 is the fixture {@code bad}; returns that file's path. */
    Path withBadVal(String sub, String bad) throws IOException {
        Path root = root(sub, 2000, 2001);
        Path p = root.resolve("2m_temperature").resolve(WeatherBench.fileName(2002));
        copy("bad/" + bad, p);
        return p;
    }

    @Test
    void netcdf3SaysSoAndHowToConvert() throws IOException {
        Path p = withBadVal("nc3", "classic.nc");
        String m = message(p.getParent().getParent(), "val");
        assertTrue(m.startsWith(p.toString()), m);
        assertTrue(m.contains("NetCDF-3") && m.contains("nccopy -k nc4 in.nc out.nc"), m);
    }

    @Test
    void notHdf5AndTruncated() throws IOException {
        Path root = root("nothdf", 2000, 2001);
        Path p = root.resolve("2m_temperature").resolve(WeatherBench.fileName(2002));
        Files.writeString(p, "year,hour,t2m\n2002,0,271.5\n");
        String m = message(root, "val");
        assertTrue(m.startsWith(p + ": not a NetCDF-4 (HDF5) file"), m);
        Files.write(p, new byte[0]);
        m = message(root, "val");
        assertTrue(m.startsWith(p + ": not a NetCDF-4 (HDF5) file (empty"), m);

        // A train file cut in half: its header may still parse, but the statistics pass reads every hour.
        Path cut = dir.resolve("cut");
        root("cut", 2000, 2001, 2002);
        Path f = cut.resolve("2m_temperature").resolve(WeatherBench.fileName(2000));
        byte[] all = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(all, all.length / 2));
        m = message(cut, "val");
        assertTrue(m.startsWith(f.toString()), m);
        // Cut to the first 100 bytes: the header itself is gone.
        Files.write(f, java.util.Arrays.copyOf(all, 100));
        m = message(cut, "val");
        assertTrue(m.startsWith(f.toString()), m);
    }

    @Test
    void damagedHeaderIsReportedNotLeaked() throws IOException {
        Path root = root("damaged", 2000, 2001, 2002);
        Path p = root.resolve("2m_temperature").resolve(WeatherBench.fileName(2002));
        byte[] all = Files.readAllBytes(p);
        java.util.Arrays.fill(all, 48, 400, (byte) 0x5a); // past the superblock: the root group's header
        Files.write(p, all);
        String m = message(root, "val");
        assertTrue(m.startsWith(p + ": cannot read as NetCDF-4/HDF5"), m);
    }

    @Test
    void missingVariableListsThoseThere() throws IOException {
        Path p = withBadVal("novar", "no_t2m.nc");
        String m = message(p.getParent().getParent(), "val");
        assertTrue(m.startsWith(p + ": no variable t2m"), m);
        assertTrue(m.contains("tas") && m.contains("lat") && m.contains("lon"), m);
    }

    @Test
    void wrongRankOrGrid() throws IOException {
        Path p = withBadVal("rank", "rank2.nc");
        String m = message(p.getParent().getParent(), "val");
        assertTrue(m.startsWith(p + ": t2m has shape [4, 8], expected 3 dimensions [time, lat, lon]"), m);

        // Test split: 2003 is 4x8, 2004 is 5x6.
        Path root = root("grid", 2000, 2001, 2003);
        Path q = root.resolve("2m_temperature").resolve(WeatherBench.fileName(2004));
        copy("bad/grid5x6.nc", q);
        m = message(root, "test");
        assertTrue(m.startsWith(q + ": t2m is 5x6 (lat x lon), but 2m_temperature_2003_5.625deg.nc is 4x8"), m);

        // Val on 5x6 (asked as 5x6) while train is 4x8: the grids must agree too.
        Path v = withBadVal("grid2", "grid5x6.nc");
        m = message(() -> WeatherBench.open(new DataRequest("val", 0, v.getParent().getParent(), 1, 1, 5, 6), TRAIN, VAL, TEST));
        assertTrue(m.startsWith(v.getParent().resolve(WeatherBench.fileName(2000)) + ": t2m is 4x8"), m);
    }

    @Test
    void timeThatIsNotHourly() throws IOException {
        Path p = withBadVal("sixhourly", "six_hourly.nc");
        String m = message(p.getParent().getParent(), "val");
        assertTrue(m.startsWith(p + ": time steps by 6.0 hours between entries 0 and 1"), m);
        assertTrue(m.contains("expected hourly data"), m);
    }

    @Test
    void requestOfAnotherFrameSizeSaysWhatTheFilesGive() throws IOException {
        Path root = root("size", 2000, 2001, 2002);
        String m = message(() -> WeatherBench.open(new DataRequest("val", 0, root, 12, 12, 32, 64), TRAIN, VAL, TEST));
        assertTrue(m.startsWith(root.resolve("2m_temperature").resolve(WeatherBench.fileName(2002)) + ": the files give 4x8 frames"), m);
        assertTrue(m.contains("32x64"), m);
    }

    @Test
    void tooFewHoursForOneWindow() throws IOException {
        Path root = root("short", 2000, 2001, 2002);
        // Val has 5 hours; 3 -> 3 needs 6.
        String m = message(() -> WeatherBench.open(new DataRequest("val", 0, root, 3, 3, LAT, LON), TRAIN, VAL, TEST));
        assertTrue(m.startsWith(root.resolve("2m_temperature") + ": the val split's files (2002) hold 5 hours, fewer than one 3->3 window"), m);
    }
}
