package org.pdr4j.tensor.backend.cuda;

import java.lang.foreign.MemorySegment;

/**
 * The raw CUDA driver calls pdr4j makes, one method per C function with the C signature
 * mapped to Java: every method returns the CUresult; out-parameters are native segments the
 * caller allocates; {@code CUdevice} is an {@code int}, {@code CUdeviceptr} a {@code long},
 * and the opaque handles ({@code CUcontext}, {@code CUmodule}, {@code CUfunction},
 * {@code CUstream}) are address segments.
 *
 * <p>This interface is the seam below the driver: {@link CuNative} implements it with FFM
 * downcalls onto {@code libcuda.so.1}; tests implement it with a fake that records the call
 * sequence and decodes launch arguments, so everything above it ({@link CudaDriver},
 * {@link CudaContext}, the renderers) is testable on a machine without a GPU.
 */
public interface CuApi {
    int cuInit(int flags);

    int cuDriverGetVersion(MemorySegment version);

    int cuDeviceGetCount(MemorySegment count);

    int cuDeviceGet(MemorySegment device, int ordinal);

    int cuDeviceGetName(MemorySegment name, int len, int device);

    int cuDeviceTotalMem_v2(MemorySegment bytes, int device);

    int cuDeviceGetAttribute(MemorySegment value, int attribute, int device);

    int cuDevicePrimaryCtxRetain(MemorySegment context, int device);

    int cuDevicePrimaryCtxRelease_v2(int device);

    int cuCtxSetCurrent(MemorySegment context);

    int cuCtxSynchronize();

    /** {@code image}: NUL-terminated PTX text. */
    int cuModuleLoadData(MemorySegment module, MemorySegment image);

    int cuModuleUnload(MemorySegment module);

    int cuModuleGetFunction(MemorySegment function, MemorySegment module, MemorySegment name);

    int cuMemAlloc_v2(MemorySegment devicePtr, long bytes);

    int cuMemFree_v2(long devicePtr);

    int cuMemcpyHtoD_v2(long dst, MemorySegment src, long bytes);

    int cuMemcpyDtoH_v2(MemorySegment dst, long src, long bytes);

    int cuMemsetD8_v2(long dst, byte value, long count);

    int cuMemsetD32_v2(long dst, int value, long count);

    int cuLaunchKernel(MemorySegment function, int gridX, int gridY, int gridZ, int blockX, int blockY, int blockZ,
                       int sharedBytes, MemorySegment stream, MemorySegment kernelParams, MemorySegment extra);

    /** {@code name}: out, a {@code const char*}. */
    int cuGetErrorName(int code, MemorySegment name);

    int cuGetErrorString(int code, MemorySegment description);
}
