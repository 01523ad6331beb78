package org.pdr4j.tensor.backend.opencl;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;


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
        if (OpenCl.icdInstalled()) fail("an OpenCL ICD is registered but no device opened: " + reason);
        assumeTrue(false, "no OpenCL platform installed (" + reason + ")");
        throw new AssertionError("unreachable");
    }
}
