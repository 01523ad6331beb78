package org.pdr4j.tensor.backend.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import org.pdr4j.tensor.backend.BackendUnavailableException;

/**
 * {@link CuApi} onto the CUDA driver ({@code libcuda.so.1}) through {@code java.lang.foreign}
 * downcalls: no JNI, no wrapper library. The only class in pdr4j that calls native code for
 * CUDA. {@code size_t} and {@code CUdeviceptr} are 64-bit (Linux x86-64 / aarch64).
 *
 * <p>Not run on a real GPU where it was written (no driver on that machine): the descriptors
 * follow {@code cuda.h} of CUDA 13.0 and are exercised only by the tests that need a driver.
 */
public final class CuNative implements CuApi {
    /** The driver library's soname on Linux. */
    public static final String LIBRARY = "libcuda.so.1";

    private static final MemoryLayout SIZE_T = JAVA_LONG;
    private static final MemoryLayout DEVPTR = JAVA_LONG;

    private final MethodHandle init, driverGetVersion, deviceGetCount, deviceGet, deviceGetName, deviceTotalMem,
            deviceGetAttribute, primaryCtxRetain, primaryCtxRelease, ctxSetCurrent, ctxSynchronize, moduleLoadData,
            moduleUnload, moduleGetFunction, memAlloc, memFree, memcpyHtoD, memcpyDtoH, memsetD8, memsetD32,
            launchKernel, getErrorName, getErrorString;

    private CuNative(SymbolLookup lib) {
        Binder b = new Binder(lib);
        init = b.bind("cuInit", JAVA_INT);
        driverGetVersion = b.bind("cuDriverGetVersion", ADDRESS);
        deviceGetCount = b.bind("cuDeviceGetCount", ADDRESS);
        deviceGet = b.bind("cuDeviceGet", ADDRESS, JAVA_INT);
        deviceGetName = b.bind("cuDeviceGetName", ADDRESS, JAVA_INT, JAVA_INT);
        deviceTotalMem = b.bind("cuDeviceTotalMem_v2", ADDRESS, JAVA_INT);
        deviceGetAttribute = b.bind("cuDeviceGetAttribute", ADDRESS, JAVA_INT, JAVA_INT);
        primaryCtxRetain = b.bind("cuDevicePrimaryCtxRetain", ADDRESS, JAVA_INT);
        primaryCtxRelease = b.bind("cuDevicePrimaryCtxRelease_v2", JAVA_INT);
        ctxSetCurrent = b.bind("cuCtxSetCurrent", ADDRESS);
        ctxSynchronize = b.bind("cuCtxSynchronize");
        moduleLoadData = b.bind("cuModuleLoadData", ADDRESS, ADDRESS);
        moduleUnload = b.bind("cuModuleUnload", ADDRESS);
        moduleGetFunction = b.bind("cuModuleGetFunction", ADDRESS, ADDRESS, ADDRESS);
        memAlloc = b.bind("cuMemAlloc_v2", ADDRESS, SIZE_T);
        memFree = b.bind("cuMemFree_v2", DEVPTR);
        memcpyHtoD = b.bind("cuMemcpyHtoD_v2", DEVPTR, ADDRESS, SIZE_T);
        memcpyDtoH = b.bind("cuMemcpyDtoH_v2", ADDRESS, DEVPTR, SIZE_T);
        memsetD8 = b.bind("cuMemsetD8_v2", DEVPTR, JAVA_BYTE, SIZE_T);
        memsetD32 = b.bind("cuMemsetD32_v2", DEVPTR, JAVA_INT, SIZE_T);
        launchKernel = b.bind("cuLaunchKernel", ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
                JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
        getErrorName = b.bind("cuGetErrorName", JAVA_INT, ADDRESS);
        getErrorString = b.bind("cuGetErrorString", JAVA_INT, ADDRESS);
    }

    /**
     * Loads {@code library} (normally {@link #LIBRARY}) and binds every call.
     *
     * @throws BackendUnavailableException one line, "no CUDA driver: ...", when the library
     *         cannot be loaded or lacks a symbol
     */
    public static CuNative open(String library) {
        SymbolLookup lib;
        try {
            lib = SymbolLookup.libraryLookup(library, Arena.global());
        } catch (IllegalArgumentException | IllegalCallerException e) {
            throw new BackendUnavailableException("no CUDA driver: " + library + " could not be loaded ("
                    + oneLine(e.getMessage()) + "; install the NVIDIA driver to use the GPU)");
        }
        return new CuNative(lib);
    }

    private static String oneLine(String s) {
        return s == null ? "no reason given" : s.strip().replace('\n', ' ');
    }

    /** Finds symbols and builds downcall handles returning a CUresult ({@code int}). */
    private record Binder(SymbolLookup lib) {
        MethodHandle bind(String name, MemoryLayout... args) {
            MemorySegment sym = lib.find(name).orElseThrow(() -> new BackendUnavailableException(
                    "no CUDA driver: " + LIBRARY + " has no symbol " + name + " (driver older than CUDA 11?)"));
            return Linker.nativeLinker().downcallHandle(sym, FunctionDescriptor.of(JAVA_INT, args));
        }
    }

    /** Unwraps what a downcall handle may throw; a downcall itself throws nothing checked. */
    private static int fail(Throwable t) {
        if (t instanceof RuntimeException r) throw r;
        if (t instanceof Error e) throw e;
        throw new IllegalStateException(t);
    }

    @Override
    public int cuInit(int flags) {
        try {
            return (int) init.invokeExact(flags);
        } catch (Throwable t) {
            return fail(t);
        }
    }

    @Override
    public int cuDriverGetVersion(MemorySegment version) {
        try {
            return (int) driverGetVersion.invokeExact(version);
        } catch (Throwable t) {
            return fail(t);
        }
    }

    @Override
    public int cuDeviceGetCount(MemorySegment count) {
        try {
            return (int) deviceGetCount.invokeExact(count);
        } catch (Throwable t) {
            return fail(t);
        }
    }

    @Override
    public int cuDeviceGet(MemorySegment device, int ordinal) {
        try {
            return (int) deviceGet.invokeExact(device, ordinal);
        } catch (Throwable t) {
            return fail(t);
        }
    }

    @Override
    public int cuDeviceGetName(MemorySegment name, int len, int device) {
        try {
            return (int) deviceGetName.invokeExact(name, len, device);
        } catch (Throwable t) {
            return fail(t);
        }
    }

    @Override
    public int cuDeviceTotalMem_v2(MemorySegment bytes, int device) {
        try {
            return (int) deviceTotalMem.invokeExact(bytes, device);
        } catch (Throwable t) {
            return fail(t);
        }
    }

    @Override
    public int cuDeviceGetAttribute(MemorySegment value, int attribute, int device) {
        try {
            return (int) deviceGetAttribute.invokeExact(value, attribute, device);
        } catch (Throwable t) {
            return fail(t);
        }
    }

    @Override
    public int cuDevicePrimaryCtxRetain(MemorySegment context, int device) {
        try {
            return (int) primaryCtxRetain.invokeExact(context, device);
        } catch (Throwable t) {
            return fail(t);
        }
    }

    @Override
    public int cuDevicePrimaryCtxRelease_v2(int device) {
        try {
            return (int) primaryCtxRelease.invokeExact(device);
        } catch (Throwable t) {
            return fail(t);
        }
    }

    @Override
    public int cuCtxSetCurrent(MemorySegment context) {
        try {
            return (int) ctxSetCurrent.invokeExact(context);
        } catch (Throwable t) {
            return fail(t);
        }
    }

    @Override
    public int cuCtxSynchronize() {
        try {
            return (int) ctxSynchronize.invokeExact();
        } catch (Throwable t) {
            return fail(t);
        }
    }

    @Override
    public int cuModuleLoadData(MemorySegment module, MemorySegment image) {
        try {
            return (int) moduleLoadData.invokeExact(module, image);
        } catch (Throwable t) {
            return fail(t);
        }
    }

    @Override
    public int cuModuleUnload(MemorySegment module) {
        try {
            return (int) moduleUnload.invokeExact(module);
        } catch (Throwable t) {
            return fail(t);
        }
    }

    @Override
    public int cuModuleGetFunction(MemorySegment function, MemorySegment module, MemorySegment name) {
        try {
            return (int) moduleGetFunction.invokeExact(function, module, name);
        } catch (Throwable t) {
            return fail(t);
        }
    }

    @Override
    public int cuMemAlloc_v2(MemorySegment devicePtr, long bytes) {
        try {
            return (int) memAlloc.invokeExact(devicePtr, bytes);
        } catch (Throwable t) {
            return fail(t);
        }
    }

    @Override
    public int cuMemFree_v2(long devicePtr) {
        try {
            return (int) memFree.invokeExact(devicePtr);
        } catch (Throwable t) {
            return fail(t);
        }
    }

    @Override
    public int cuMemcpyHtoD_v2(long dst, MemorySegment src, long bytes) {
        try {
            return (int) memcpyHtoD.invokeExact(dst, src, bytes);
        } catch (Throwable t) {
            return fail(t);
        }
    }

    @Override
    public int cuMemcpyDtoH_v2(MemorySegment dst, long src, long bytes) {
        try {
            return (int) memcpyDtoH.invokeExact(dst, src, bytes);
        } catch (Throwable t) {
            return fail(t);
        }
    }

    @Override
    public int cuMemsetD8_v2(long dst, byte value, long count) {
        try {
            return (int) memsetD8.invokeExact(dst, value, count);
        } catch (Throwable t) {
            return fail(t);
        }
    }

    @Override
    public int cuMemsetD32_v2(long dst, int value, long count) {
        try {
            return (int) memsetD32.invokeExact(dst, value, count);
        } catch (Throwable t) {
            return fail(t);
        }
    }

    @Override
    public int cuLaunchKernel(MemorySegment function, int gridX, int gridY, int gridZ, int blockX, int blockY, int blockZ,
                              int sharedBytes, MemorySegment stream, MemorySegment kernelParams, MemorySegment extra) {
        try {
            return (int) launchKernel.invokeExact(function, gridX, gridY, gridZ, blockX, blockY, blockZ, sharedBytes,
                    stream, kernelParams, extra);
        } catch (Throwable t) {
            return fail(t);
        }
    }

    @Override
    public int cuGetErrorName(int code, MemorySegment name) {
        try {
            return (int) getErrorName.invokeExact(code, name);
        } catch (Throwable t) {
            return fail(t);
        }
    }

    @Override
    public int cuGetErrorString(int code, MemorySegment description) {
        try {
            return (int) getErrorString.invokeExact(code, description);
        } catch (Throwable t) {
            return fail(t);
        }
    }
}
