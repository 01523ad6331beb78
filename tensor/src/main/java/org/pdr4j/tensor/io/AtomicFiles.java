package org.pdr4j.tensor.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * All-or-nothing file writes: the content goes to a hidden temporary file in the target's
 * directory, is flushed to disk, and is then renamed over the target with
 * {@link StandardCopyOption#ATOMIC_MOVE}. A failure or a crash part-way leaves the target as it
 * was; a failure also removes the temporary file (a killed process may leave a stray
 * {@code .NAME.*.tmp} behind, never a half-written {@code NAME}).
 *
 * <p>The temporary file is created with the default permissions (the umask applies), not the
 * owner-only ones of {@link Files#createTempFile}, so the result looks like any other new file.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Writes one file's content to a stream; the stream is buffered and closed by the caller. */
    @FunctionalInterface
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Writes {@code target} atomically with what {@code body} produces. */
    public static void write(Path target, Body body) throws IOException {
        Map<Path, Body> one = new LinkedHashMap<>();
        one.put(target, body);
        writeAll(one);
    }

    /**
     * Writes several files as one unit: every body runs into its own temporary file first, and
     * only when all have succeeded are they renamed into place, in order. If a rename fails, the
     * targets already renamed are deleted again (a file they replaced is not restored) and the
     * remaining temporary files are removed, so either every target is new or none is.
     *
     * @throws IllegalArgumentException when two targets are the same file
     */
    public static void writeAll(Map<Path, Body> outputs) throws IOException {
        List<Path> targets = new ArrayList<>();
        for (Path p : outputs.keySet()) {
            Path abs = p.toAbsolutePath().normalize();
            if (targets.contains(abs)) throw new IllegalArgumentException("the same output file is given twice: " + p);
            targets.add(abs);
        }
        List<Path> temps = new ArrayList<>();
        int moved = 0;
        boolean done = false;
        try {
            int i = 0;
            for (Body body : outputs.values()) {
                Path tmp = createTemp(targets.get(i++));
                temps.add(tmp);
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE);
                     OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16)) {
                    body.writeTo(out);
                    out.flush();
                    ch.force(true);
                }
            }
            for (; moved < targets.size(); moved++) {
                Files.move(temps.get(moved), targets.get(moved), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
        } finally {
            if (!done) {
                for (int j = 0; j < moved; j++) deleteQuietly(targets.get(j));
                for (int j = moved; j < temps.size(); j++) deleteQuietly(temps.get(j));
            }
        }
    }

    private static Path createTemp(Path target) throws IOException {
        Path dir = target.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new NoSuchFileException(String.valueOf(dir), null, "the output directory does not exist");
        }
        String prefix = "." + target.getFileName() + ".";
        for (int attempt = 0; ; attempt++) {
            Path tmp = dir.resolve(prefix + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1) + ".tmp");
            try {
                return Files.createFile(tmp);
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 100) throw e;
            }
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // Best effort: the original failure is the one worth reporting.
        }
    }
}
