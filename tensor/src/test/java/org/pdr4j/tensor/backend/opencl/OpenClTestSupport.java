package org.pdr4j.tensor.backend.opencl;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Device tests skip only where no OpenCL platform is installed at all. Where an ICD is
 * registered (pocl in CI) but no device opens, they fail with the reason instead of skipping.
 */
public final class OpenClTestSupport {
    private OpenClTestSupport() {}

    /** Call from {@code @BeforeAll}/{@code @BeforeEach}: returns the default context or skips/fails as above. */
    public static ClContext requireDevice() {
        if (OpenCl.available()) return OpenCl.context();
        String reason = OpenCl.unavailableReason();
        if (icdInstalled()) fail("an OpenCL ICD is registered but no device opened: " + reason);
        assumeTrue(false, "no OpenCL platform installed (" + reason + ")");
        throw new AssertionError("unreachable");
    }

    private static boolean icdInstalled() {
        if (System.getenv("OCL_ICD_VENDORS") != null) return true;
        Path vendors = Path.of("/etc/OpenCL/vendors");
        if (!Files.isDirectory(vendors)) return false;
        try (Stream<Path> s = Files.list(vendors)) {
            return s.anyMatch(p -> p.toString().endsWith(".icd"));
        } catch (IOException e) {
            return false;
        }
    }
}
