package org.pdr4j.tensor.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The runtime on a real device (pocl in CI); skipped, with the reason, only where no OpenCL platform is installed. */
class OpenClRuntimeTest {
    static ClContext cl;

    @BeforeAll
    static void device() {
        cl = OpenClTestSupport.requireDevice();
    }

    @Test
    void devicesAreListed() {
        assertFalse(OpenCl.devices().isEmpty());
        assertNull(OpenCl.unavailableReason());
        ClDevice d = OpenCl.devices().get(0);
        assertEquals(0, d.index());
        assertFalse(d.name().isEmpty());
        assertTrue(d.computeUnits() > 0 && d.globalMemBytes() > 0 && d.maxWorkGroupSize() > 0, d.toString());
        assertTrue(OpenCl.describeDevices().startsWith("opencl:0 "), OpenCl.describeDevices());
        assertSame(cl, OpenCl.context(0), "one context per device");
        var e = assertThrows(IllegalArgumentException.class, () -> OpenCl.context(OpenCl.devices().size()));
        assertTrue(e.getMessage().contains("out of range"), e.getMessage());
    }

    @Test
    void vectorAddMatchesJava() {
        ClProgram p = cl.program(ClContext.class, "/org/pdr4j/tensor/backend/opencl/vector_add.cl", "");
        for (int n : new int[] {1, 7, 13, 4099}) {
            Random r = new Random(n);
            float[] a = new float[n], b = new float[n], want = new float[n], got = new float[n + 2];
            for (int i = 0; i < n; i++) {
                a[i] = r.nextFloat() - 0.5f;
                b[i] = r.nextFloat() * 3;
                want[i] = a[i] + 0.25f * b[i];
            }
            try (ClBuffer da = cl.upload(a); ClBuffer db = cl.upload(b); ClBuffer dc = cl.buffer(n); ClKernel k = p.kernel("vector_add")) {
                k.arg(0, da).arg(1, db).arg(2, dc).arg(3, 0.25f).arg(4, n).launch1d(n, 64);
                cl.read(dc, 0, got, 1, n);
            }
            for (int i = 0; i < n; i++) assertEquals(want[i], got[i + 1], 0f, "n=" + n + " i=" + i);
            assertEquals(0f, got[0]);
        }
        assertSame(p, cl.program(ClContext.class, "/org/pdr4j/tensor/backend/opencl/vector_add.cl", "  "), "built once");
    }

    @Test
    void aBrokenKernelReportsItsBuildLog() {
        String src = "__kernel void broken(__global float* x) { x[0] = undefined_thing + 1; }";
        ClException e = assertThrows(ClException.class, () -> cl.programFromSource("broken.cl", src, ""));
        assertEquals("CL_BUILD_PROGRAM_FAILURE", e.statusName());
        assertTrue(e.getMessage().startsWith("building program broken.cl on "), e.getMessage());
        assertTrue(e.getMessage().contains("undefined_thing"), "log in message: " + e.getMessage());
        assertTrue(e.buildLog().contains("undefined_thing"), e.buildLog());
        int before = cl.cachedPrograms();
        assertThrows(ClException.class, () -> cl.programFromSource("broken.cl", src, ""));
        assertEquals(before, cl.cachedPrograms(), "failed builds are not cached");
    }

    @Test
    void badCallsNameTheStatus() {
        ClProgram p = cl.programFromSource("one.cl", "__kernel void one(__global float* x) { x[0] = 1; }", "-D UNUSED=1");
        ClException e = assertThrows(ClException.class, () -> p.kernel("missing"));
        assertEquals("creating kernel missing of one.cl: CL_INVALID_KERNEL_NAME (-46)", e.getMessage());
        try (ClKernel k = p.kernel("one")) {
            e = assertThrows(ClException.class, () -> k.arg(5, 1));
            assertEquals("CL_INVALID_ARG_INDEX", e.statusName());
            assertTrue(e.getMessage().startsWith("setting argument 5 (int 1) of one.cl:one"), e.getMessage());
        }
    }

    @Test
    void buffersAreReusedAndRangeChecked() {
        ClBuffer a = cl.buffer(1000);
        assertEquals(4096, a.capacityBytes());
        var e = assertThrows(IndexOutOfBoundsException.class, () -> cl.write(a, 990, new float[20], 0, 20));
        assertTrue(e.getMessage().contains("buffer holds 1000"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> cl.read(a, 0, new float[5], 1, 5));
        float[] data = {1, 2, 3};
        cl.write(a, 997, data, 0, 3);
        float[] back = new float[3];
        cl.read(a, 997, back, 0, 3);
        assertEquals(3f, back[2]);
        cl.write(a, 0, data, 0, 3);
        a.close();
        a.close();
        assertThrows(IllegalStateException.class, () -> cl.read(a, 0, back, 0, 1));
        try (ClBuffer b = cl.buffer(900)) {
            cl.read(b, 0, back, 0, 3); // same size class: the pooled buffer, contents kept
            assertEquals(3f, back[2]);
        }
        cl.finish();
    }
}
