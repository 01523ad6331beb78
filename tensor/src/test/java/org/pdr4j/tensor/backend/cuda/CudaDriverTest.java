package org.pdr4j.tensor.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.pdr4j.tensor.backend.BackendUnavailableException;
import org.pdr4j.tensor.backend.cuda.KernelArgs.Kind;

/** Everything above the raw calls, against {@link NullCuApi}; plus the real driver where one exists. */
class CudaDriverTest {
    static final String PTX = ".version 9.0\n.target sm_80\n.address_size 64\n"
            + ".visible .entry axpy(\n.param .u64 p0, .param .u32 p1, .param .f32 p2\n)\n{ ret; }\n";

    @Test
    void errorNamesComeFromTheTableWithoutADriver() {
        assertEquals("CUDA_SUCCESS", CuResult.name(0));
        assertEquals("CUDA_ERROR_OUT_OF_MEMORY", CuResult.name(2));
        assertEquals("CUDA_ERROR_NO_DEVICE", CuResult.name(100));
        assertEquals("CUDA_ERROR_INVALID_PTX", CuResult.name(218));
        assertEquals("CUDA_ERROR_UNSUPPORTED_PTX_VERSION", CuResult.name(222));
        assertEquals("CUDA_ERROR_ILLEGAL_ADDRESS", CuResult.name(700));
        assertEquals("CUDA_ERROR_LAUNCH_FAILED", CuResult.name(719));
        assertEquals("CUDA_ERROR_UNKNOWN", CuResult.name(999));
        assertEquals("CUresult 12345", CuResult.name(12345));
        assertFalse(CuResult.known(12345));
    }

    @Test
    void aFailedCallIsOneLineNamingCallAndStatus() {
        CudaDriver d = new CudaDriver(new NullCuApi(1).failOn("cuMemAlloc_v2", CuResult.CUDA_ERROR_OUT_OF_MEMORY));
        CudaException e = assertThrows(CudaException.class, () -> d.alloc(1 << 20));
        assertEquals("cuMemAlloc_v2(1048576 bytes): CUDA_ERROR_OUT_OF_MEMORY (2)", e.getMessage());
        assertEquals(2, e.code());
        assertEquals("CUDA_ERROR_OUT_OF_MEMORY", e.status());
        assertEquals("x: CUDA_ERROR_LAUNCH_FAILED (719): unspecified launch failure",
                CudaException.message("x", 719, "CUDA_ERROR_LAUNCH_FAILED", "unspecified\nlaunch failure"));
        d.check(CuResult.CUDA_SUCCESS, "nothing");
    }

    @Test
    void deviceQueries() {
        CudaDriver d = new CudaDriver(new NullCuApi(2));
        d.init();
        assertEquals(2, d.deviceCount());
        assertEquals(1, d.device(1));
        assertEquals("null device 1", d.deviceName(1));
        assertEquals(90, d.computeCapability(0));
        assertEquals(1L << 30, d.totalMemory(0));
        assertEquals(13000, d.driverVersion());
        assertThrows(CudaException.class, () -> d.device(2));
    }

    @Test
    void contextModuleMemoryAndLaunchCallSequence() {
        NullCuApi api = new NullCuApi(1).signature("axpy", List.of(Kind.PTR, Kind.I32, Kind.F32));
        CudaDriver d = new CudaDriver(api);
        long[] seen = new long[1];
        api.emulate("axpy", (l, mem) -> {
            long p = (Long) l.args().get(0).value();
            int n = (Integer) l.args().get(1).value();
            float a = (Float) l.args().get(2).value();
            var s = mem.at(p);
            for (int i = 0; i < n; i++) s.setAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT, i, a * s.getAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT, i));
            seen[0] = p;
        });
        float[] back = new float[3];
        try (CudaContext ctx = CudaContext.open(d, 0); CudaModule m = ctx.load("t", PTX);
             DeviceBuffer b = ctx.upload(new float[] {1, 2, 3})) {
            assertEquals("null device 0 (sm_90)", ctx.toString());
            m.launch("axpy", LaunchGeometry.linear(3, 32), new KernelArgs().ptr(b.ptr()).i32(3).f32(2f));
            ctx.synchronize();
            b.download(back);
            assertEquals(b.ptr(), seen[0]);
            CudaException missing = assertThrows(CudaException.class, () -> m.function("nope"));
            assertEquals("cuModuleGetFunction(nope): CUDA_ERROR_NOT_FOUND (500)", missing.getMessage());
        }
        assertArrayEquals(new float[] {2, 4, 6}, back);
        assertEquals(0, api.liveBytes(), "every buffer freed");
        assertEquals(0, api.retainedContexts(), "the primary context released");
        assertEquals(List.of("cuDeviceGetCount", "cuDeviceGet", "cuDeviceGetName", "cuDeviceGetAttribute", "cuDeviceGetAttribute",
                "cuDevicePrimaryCtxRetain", "cuCtxSetCurrent", "cuCtxSetCurrent", "cuModuleLoadData", "cuMemAlloc_v2",
                "cuMemcpyHtoD_v2", "cuModuleGetFunction", "cuLaunchKernel", "cuCtxSynchronize", "cuMemcpyDtoH_v2",
                "cuModuleGetFunction", "cuMemFree_v2", "cuModuleUnload", "cuDevicePrimaryCtxRelease_v2"), api.calls());
        NullCuApi.Launch l = api.launches().getFirst();
        assertEquals(new LaunchGeometry(1, 1, 1, 32, 1, 1, 0), l.geometry());
        assertEquals(List.of(Kind.PTR, Kind.I32, Kind.F32), l.args().stream().map(KernelArgs.Arg::kind).toList());
    }

    @Test
    void badPtxIsACudaError() {
        CudaDriver d = new CudaDriver(new NullCuApi(1));
        CudaException e = assertThrows(CudaException.class, () -> d.loadModule("not ptx"));
        assertEquals("CUDA_ERROR_INVALID_PTX", e.status());
    }

    @Test
    void aMissingLibraryIsOneLineSayingNoDriver() {
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> CuNative.open("libpdr4j-no-such-cuda.so.1"));
        assertTrue(e.getMessage().startsWith("no CUDA driver: libpdr4j-no-such-cuda.so.1 could not be loaded"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void withoutADriverTheSameReasonEveryTime() {
        assumeFalse(CudaDriver.available(), "a CUDA driver is present");
        String why = CudaDriver.unavailableReason();
        assertTrue(why != null && !why.contains("\n") && why.contains("CUDA"), why);
        BackendUnavailableException a = assertThrows(BackendUnavailableException.class, CudaDriver::system);
        assertSame(a, assertThrows(BackendUnavailableException.class, CudaDriver::system), "reported once, the same thereafter");
    }

    /** Runs only where a driver exists: the real calls, a round trip through device memory. */
    @Test
    void realDriverRoundTrip() {
        assumeTrue(CudaDriver.available(), () -> "no CUDA driver here: " + CudaDriver.unavailableReason());
        CudaDriver d = CudaDriver.system();
        assertTrue(d.deviceCount() > 0);
        float[] back = new float[5];
        try (CudaContext ctx = CudaContext.open(d, 0); DeviceBuffer b = ctx.upload(new float[] {1, -2, 3, 4, 5})) {
            assertTrue(ctx.computeCapability() >= 30, ctx.toString());
            b.download(back);
            assertArrayEquals(new float[] {1, -2, 3, 4, 5}, back);
            b.zero();
            b.download(back);
            assertArrayEquals(new float[5], back);
            d.memsetD32(b.ptr(), Float.floatToRawIntBits(1.5f), 5);
            b.download(back);
            assertArrayEquals(new float[] {1.5f, 1.5f, 1.5f, 1.5f, 1.5f}, back);
        }
    }
}
