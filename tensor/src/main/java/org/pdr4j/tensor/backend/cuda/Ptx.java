package org.pdr4j.tensor.backend.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.pdr4j.tensor.backend.BackendUnavailableException;

/** PTX text shipped as a class-path resource, and what tests and loaders read from it. */
public final class Ptx {
    private Ptx() {}

    private static final Pattern ENTRY = Pattern.compile("\\.entry\\s+([A-Za-z_$][\\w$]*)\\s*\\(");
    private static final Pattern TARGET = Pattern.compile("^\\s*\\.target\\s+(\\S+)", Pattern.MULTILINE);

    /**
     * The PTX at {@code path} next to {@code anchor} (as {@link Class#getResourceAsStream}).
     *
     * @throws BackendUnavailableException when the resource is missing (a broken build)
     */
    public static String resource(Class<?> anchor, String path) {
        try (InputStream in = anchor.getResourceAsStream(path)) {
            if (in == null) {
                throw new BackendUnavailableException("PTX resource " + path + " missing next to " + anchor.getName()
                        + " (the build did not package it)");
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("reading PTX resource " + path, e);
        }
    }

    /** The kernel names ({@code .entry}) in {@code ptx}, in order. */
    public static List<String> entries(String ptx) {
        List<String> out = new ArrayList<>();
        Matcher m = ENTRY.matcher(ptx);
        while (m.find()) out.add(m.group(1));
        return out;
    }

    /** The {@code .target} (e.g. {@code sm_80}), or null. */
    public static String target(String ptx) {
        Matcher m = TARGET.matcher(ptx);
        return m.find() ? m.group(1) : null;
    }
}
