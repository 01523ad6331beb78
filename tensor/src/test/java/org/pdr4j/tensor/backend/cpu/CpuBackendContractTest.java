package org.pdr4j.tensor.backend.cpu;

import org.pdr4j.tensor.backend.Backend;
import org.pdr4j.tensor.backend.BackendContractTest;

/** The Vector API backend against the scalar reference. */
class CpuBackendContractTest extends BackendContractTest {
    private final Backend cpu = new CpuBackend();

    @Override
    protected Backend backend() {
        return cpu;
    }
}
