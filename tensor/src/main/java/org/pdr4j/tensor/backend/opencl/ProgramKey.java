package org.pdr4j.tensor.backend.opencl;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What a built program is cached under within one device's context: the source's SHA-256 and
 * the build options with runs of whitespace collapsed (so {@code "-D A=1  -D B"} and
 * {@code " -D A=1 -D B "} share a build).
 */
record ProgramKey(String sourceSha256, String options) {
    static ProgramKey of(String source, String options) {
        return new ProgramKey(sha256(source), normalise(options));
    }

    static String normalise(String options) {
        return options == null ? "" : options.trim().replaceAll("\\s+", " ");
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from this JVM", e);
        }
    }
}
