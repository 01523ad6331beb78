package org.pdr4j.tensor.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;
import org.pdr4j.tensor.PdrConfig;
import org.pdr4j.tensor.backend.cpu.simd.SimdSpecies;

/** The configured vector width is the one the kernels run with (also run at 128 bits). */
class SimdWidthContractTest {
    @Test
    void speciesFollowsTheConfiguredCap() {
        int cap = PdrConfig.vectorBits();
        int preferred = FloatVector.SPECIES_PREFERRED.vectorBitSize();
        int expected = cap == 0 ? preferred : Math.min(cap, preferred);
        assertEquals(expected, SimdSpecies.F.vectorBitSize());
        assertEquals(expected / 32, SimdSpecies.LANES);
        assertTrue(SimdSpecies.LANES >= 2);
    }
}
