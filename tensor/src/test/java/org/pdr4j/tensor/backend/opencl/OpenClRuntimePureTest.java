package org.pdr4j.tensor.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The parts of the OpenCL runtime that need no device: geometry, status names, cache keys, specs. */
class OpenClRuntimePureTest {
    @Test
    void globalSizesRoundUpToTheWorkGroup() {
        assertEquals(64, ClLaunch.roundUp(1, 64));
        assertEquals(64, ClLaunch.roundUp(64, 64));
        assertEquals(128, ClLaunch.roundUp(65, 64));
        assertEquals(7, ClLaunch.roundUp(7, 7));
        assertEquals(16, ClLaunch.roundUp(0, 16), "an empty range still launches one (guarded) group");
        assertArrayEquals(new long[] {4160, 16}, ClLaunch.globalSizes(new long[] {4099, 13}, new long[] {64, 8}, 1024));
        assertArrayEquals(new long[] {13, 1}, ClLaunch.globalSizes(new long[] {13, 0}, null, 1024));
    }

    @Test
    void badGeometryNamesWhatIsWrong() {
        var e = assertThrows(IllegalArgumentException.class, () -> ClLaunch.globalSizes(new long[] {64, 64}, new long[] {32, 32}, 256));
        assertTrue(e.getMessage().contains("1024 items") && e.getMessage().contains("256"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ClLaunch.globalSizes(new long[] {1, 2, 3, 4}, null, 256));
        assertTrue(e.getMessage().contains("1 to 3 dimensions"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ClLaunch.globalSizes(new long[] {8}, new long[] {8, 1}, 256));
        assertTrue(e.getMessage().contains("local must have 1 dimensions"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ClLaunch.globalSizes(new long[] {-1}, null, 256));
        assertThrows(IllegalArgumentException.class, () -> ClLaunch.roundUp(5, 0));
    }

    @Test
    void statusCodesHaveNames() {
        assertEquals("CL_OUT_OF_RESOURCES", ClStatus.name(-5));
        assertEquals("CL_BUILD_PROGRAM_FAILURE", ClStatus.name(-11));
        assertEquals("CL_INVALID_WORK_GROUP_SIZE", ClStatus.name(-54));
        assertEquals("CL_PLATFORM_NOT_FOUND_KHR", ClStatus.name(-1001));
        assertEquals("CL_UNKNOWN_ERROR", ClStatus.name(-9999));
        assertEquals("CL_INVALID_KERNEL_NAME (-46)", ClStatus.describe(-46));
        ClException e = ClException.of("launching ops:map", -5, null);
        assertEquals("launching ops:map: CL_OUT_OF_RESOURCES (-5)", e.getMessage());
        assertEquals(-5, e.status());
        assertEquals("CL_OUT_OF_RESOURCES", e.statusName());
    }

    @Test
    void programsAreCachedBySourceAndNormalisedOptions() {
        String src = "__kernel void k(__global float* x) { x[0] = 1; }";
        assertEquals(ProgramKey.of(src, " -D A=1   -D B "), ProgramKey.of(src, "-D A=1 -D B"));
        assertEquals(ProgramKey.of(src, null), ProgramKey.of(src, ""));
        assertNotEquals(ProgramKey.of(src, "-D A=1"), ProgramKey.of(src, "-D A=2"));
        assertNotEquals(ProgramKey.of(src, ""), ProgramKey.of(src + " ", ""));
        assertEquals(64, ProgramKey.of(src, "").sourceSha256().length());
    }

    @Test
    void deviceSpecsParse() {
        assertEquals(0, OpenCl.parseIndex("opencl"));
        assertEquals(2, OpenCl.parseIndex("opencl:2"));
        assertEquals(1, OpenCl.parseIndex(" 1 "));
        var e = assertThrows(IllegalArgumentException.class, () -> OpenCl.parseIndex("opencl:gpu"));
        assertTrue(e.getMessage().contains("'opencl:gpu'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> OpenCl.parseIndex("opencl:-1"));
    }

    @Test
    void poolSizeClassesArePowersOfTwo() {
        assertEquals(256, ClBufferPool.sizeClass(0));
        assertEquals(256, ClBufferPool.sizeClass(256));
        assertEquals(512, ClBufferPool.sizeClass(257));
        assertEquals(1L << 20, ClBufferPool.sizeClass(1L << 20));
        assertEquals(1L << 21, ClBufferPool.sizeClass((1L << 20) + 4));
    }

    @Test
    void versionStringsGiveTheMajorVersion() {
        assertEquals(3, ClContext.majorVersion("OpenCL 3.0 PoCL HSTR: cpu-x86_64"));
        assertEquals(1, ClContext.majorVersion("OpenCL 1.2 CUDA"));
        assertEquals(1, ClContext.majorVersion("garbage"));
    }
}
