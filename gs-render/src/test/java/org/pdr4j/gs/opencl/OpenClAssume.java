package org.pdr4j.gs.opencl;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
        if (OpenCl.icdInstalled()) fail("an OpenCL ICD is registered but no device opened: " + reason);
        assumeTrue(false, "no OpenCL platform installed (" + reason + ")");
    }
}
