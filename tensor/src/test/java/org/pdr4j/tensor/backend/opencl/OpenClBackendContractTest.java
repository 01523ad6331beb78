package org.pdr4j.tensor.backend.opencl;

import org.junit.jupiter.api.BeforeAll;
import org.pdr4j.tensor.backend.Backend;
import org.pdr4j.tensor.backend.BackendContractTest;

/** The OpenCL backend against the scalar reference, at the CPU backend's tolerances (pocl in CI). */
class OpenClBackendContractTest extends BackendContractTest {
    private static Backend opencl;

    @BeforeAll
    static void device() {
        opencl = new OpenClBackend(OpenClTestSupport.requireDevice());
    }

    @Override
    protected Backend backend() {
        return opencl;
    }
}
