package org.pdr4j.gs.opencl;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.pdr4j.tensor.backend.opencl.OpenCl;

/**
 * The rule of the runtime's own device tests ({@code OpenClTestSupport} in tensor's test
 * sources, which gs-render cannot see): skip only where no OpenCL platform is installed at all;
 * where an ICD is registered (pocl in CI) but no device opens, fail with the reason.
 */
public final class OpenClAssume {
    private OpenClAssume() {}

    /** Returns normally when a device exists; otherwise skips or fails as above. */
    public static void device() {
        if (OpenCl.available()) return;
        String reason = OpenCl.unavailableReason();
        if (icdInstalled()) fail("an OpenCL ICD is registered but no device opened: " + reason);
        assumeTrue(false, "no OpenCL platform installed (" + reason + ")");
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
