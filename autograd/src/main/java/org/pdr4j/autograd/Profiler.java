package org.pdr4j.autograd;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Opt-in wall-clock accounting per op: how long each {@link Function}'s forward and backward
 * took, and how long the reverse sweep spent summing gradients that meet at a node. Off by
 * default, and then it costs one field read per op.
 *
 * <pre>{@code
 * Profiler.start();
 * ... forward, backward ...
 * System.out.print(Profiler.stop().table(20));
 * }</pre>
 *
 * <p>Times are summed per {@link Function#name()} on the thread that runs autograd (the op's
 * kernels may fan out to other threads inside that time). Not for concurrent use from several
 * autograd threads.
 */
public final class Profiler {
    private Profiler() {}

    private static volatile Map<String, long[]> active;

    /** Starts (or restarts) accounting, discarding anything recorded before. */
    public static void start() {
        active = new HashMap<>();
    }

    /** Stops accounting and returns what was recorded since {@link #start()}. */
    public static Report stop() {
        Map<String, long[]> m = active;
        active = null;
        if (m == null) throw new IllegalStateException("Profiler.stop() without Profiler.start()");
        List<Row> rows = new ArrayList<>();
        m.forEach((k, v) -> rows.add(new Row(k, v[0], v[1])));
        rows.sort((a, b) -> Long.compare(b.nanos(), a.nanos()));
        return new Report(List.copyOf(rows));
    }

    static boolean on() {
        return active != null;
    }

    /** Adds {@code nanos} to the entry {@code key}; a no-op when off. */
    static void record(String key, long nanos) {
        Map<String, long[]> m = active;
        if (m == null) return;
        long[] v = m.computeIfAbsent(key, k -> new long[2]);
        v[0] += nanos;
        v[1]++;
    }

    /** One entry: e.g. {@code Conv2d.backward} or {@code gelu.forward}, total nanoseconds and number of calls. */
    public record Row(String key, long nanos, long calls) {}

    /** Entries sorted by total time, largest first. */
    public record Report(List<Row> rows) {
        public long totalNanos() {
            return rows.stream().mapToLong(Row::nanos).sum();
        }

        /** A fixed-width text table of the {@code limit} largest entries plus the rest as one line. */
        public String table(int limit) {
            long total = Math.max(1, totalNanos());
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-40s %10s %7s %8s%n", "op", "ms", "%", "calls"));
            long rest = 0, restCalls = 0;
            for (int i = 0; i < rows.size(); i++) {
                Row r = rows.get(i);
                if (i < limit) {
                    sb.append(String.format(Locale.ROOT, "%-40s %10.1f %7.1f %8d%n", r.key(), r.nanos() / 1e6, 100.0 * r.nanos() / total, r.calls()));
                } else {
                    rest += r.nanos();
                    restCalls += r.calls();
                }
            }
            if (rest > 0) sb.append(String.format(Locale.ROOT, "%-40s %10.1f %7.1f %8d%n", "(others)", rest / 1e6, 100.0 * rest / total, restCalls));
            sb.append(String.format(Locale.ROOT, "%-40s %10.1f%n", "total", total / 1e6));
            return sb.toString();
        }
    }
}
