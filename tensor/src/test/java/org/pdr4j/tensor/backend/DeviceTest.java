package org.pdr4j.tensor.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DeviceTest {
    @Test
    void parsesTheThreeKindsWithOptionalIndex() {
        assertEquals(Device.CPU, Device.parse("cpu"));
        assertEquals(new Device("opencl", 0), Device.parse("opencl"));
        assertEquals(new Device("opencl", 2), Device.parse(" OpenCL:2 "));
        assertEquals(new Device("cuda", 1), Device.parse("cuda:1"));
        assertEquals("cuda:1", Device.parse("cuda:1").toString());
        assertEquals("cpu", Device.CPU.toString());
    }

    @Test
    void badSpellingsNameTheAcceptedForms() {
        for (String bad : new String[] {"gpu", "cpu:1", "cuda:", "cuda:-1", "opencl:x", ""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Device.parse(bad), bad);
            assertTrue(e.getMessage().contains(":N") && !e.getMessage().contains("\n"), e.getMessage());
        }
    }
}
