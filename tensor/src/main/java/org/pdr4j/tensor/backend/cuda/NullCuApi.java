package org.pdr4j.tensor.backend.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link CuApi} with no GPU behind it (tinygrad's null device): it keeps "device" memory in
 * host segments so copies round-trip, loads a module by reading the {@code .entry} names of its
 * PTX, records every call in order, and records each launch with its arguments decoded by the
 * kernel's declared signature. What it never does is run a kernel: a launch calls the
 * {@link Emulator} registered for its entry, if any, and otherwise leaves memory untouched.
 * Tests use it to check call sequences, argument packing and error mapping below the driver;
 * {@link #failOn} makes a chosen call return a chosen CUresult.
 */
public final class NullCuApi implements CuApi {
    /** One recorded launch. */
    public record Launch(String entry, LaunchGeometry geometry, List<KernelArgs.Arg> args) {}

    /** Stands in for a kernel: sees the decoded arguments and this fake's memory. */
    @FunctionalInterface
    public interface Emulator {
        void run(Launch launch, NullCuApi memory);
    }

    private final Arena arena = Arena.ofShared();
    private final int devices;
    private final List<String> calls = new ArrayList<>();
    private final List<Launch> launches = new ArrayList<>();
    private final TreeMap<Long, MemorySegment> memory = new TreeMap<>();
    private final Map<Long, List<String>> modules = new HashMap<>();
    private final Map<Long, String> functions = new HashMap<>();
    private final Map<String, List<KernelArgs.Kind>> signatures = new HashMap<>();
    private final Map<String, Emulator> emulators = new HashMap<>();
    private final Map<String, Integer> failures = new HashMap<>();
    private long nextPtr = 0x7000_0000_0000L, nextHandle = 0x1000;
    private int retained;

    /** A fake driver with {@code devices} devices. */
    public NullCuApi(int devices) {
        this.devices = devices;
    }

    /** Declares the parameter kinds of kernel {@code entry}, so its launches are decoded. */
    public NullCuApi signature(String entry, List<KernelArgs.Kind> kinds) {
        signatures.put(entry, List.copyOf(kinds));
        return this;
    }

    public NullCuApi emulate(String entry, Emulator e) {
        emulators.put(entry, e);
        return this;
    }

    /** Makes every later call to {@code call} (e.g. {@code "cuMemAlloc_v2"}) return {@code code}. */
    public NullCuApi failOn(String call, int code) {
        failures.put(call, code);
        return this;
    }

    /** The calls made so far, by C name, in order. */
    public synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    public synchronized List<Launch> launches() {
        return List.copyOf(launches);
    }

    /** Bytes of fake device memory still allocated. */
    public synchronized long liveBytes() {
        return memory.values().stream().mapToLong(MemorySegment::byteSize).sum();
    }

    /** Primary-context retains not yet released. */
    public synchronized int retainedContexts() {
        return retained;
    }

    /** The host segment behind device address {@code ptr} (which must be an allocation's start or inside one). */
    public synchronized MemorySegment at(long ptr) {
        var e = memory.floorEntry(ptr);
        if (e == null || ptr >= e.getKey() + e.getValue().byteSize()) {
            throw new IllegalArgumentException("address 0x" + Long.toHexString(ptr) + " is not in any allocation");
        }
        return e.getValue().asSlice(ptr - e.getKey());
    }

    private int call(String name) {
        calls.add(name);
        return failures.getOrDefault(name, CuResult.CUDA_SUCCESS);
    }

    private static MemorySegment out(MemorySegment p, long bytes) {
        return p.reinterpret(bytes);
    }

    @Override
    public synchronized int cuInit(int flags) {
        return call("cuInit");
    }

    @Override
    public synchronized int cuDriverGetVersion(MemorySegment version) {
        int r = call("cuDriverGetVersion");
        if (r == 0) out(version, 4).set(JAVA_INT, 0, 13000);
        return r;
    }

    @Override
    public synchronized int cuDeviceGetCount(MemorySegment count) {
        int r = call("cuDeviceGetCount");
        if (r == 0) out(count, 4).set(JAVA_INT, 0, devices);
        return r;
    }

    @Override
    public synchronized int cuDeviceGet(MemorySegment device, int ordinal) {
        int r = call("cuDeviceGet");
        if (r != 0) return r;
        if (ordinal < 0 || ordinal >= devices) return CuResult.CUDA_ERROR_INVALID_VALUE;
        out(device, 4).set(JAVA_INT, 0, ordinal);
        return r;
    }

    @Override
    public synchronized int cuDeviceGetName(MemorySegment name, int len, int device) {
        int r = call("cuDeviceGetName");
        if (r == 0) {
            byte[] s = ("null device " + device).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            MemorySegment o = out(name, len);
            int n = Math.min(s.length, len - 1);
            MemorySegment.copy(s, 0, o, JAVA_BYTE, 0, n);
            o.set(JAVA_BYTE, n, (byte) 0);
        }
        return r;
    }

    @Override
    public synchronized int cuDeviceTotalMem_v2(MemorySegment bytes, int device) {
        int r = call("cuDeviceTotalMem_v2");
        if (r == 0) out(bytes, 8).set(JAVA_LONG, 0, 1L << 30);
        return r;
    }

    @Override
    public synchronized int cuDeviceGetAttribute(MemorySegment value, int attribute, int device) {
        int r = call("cuDeviceGetAttribute");
        if (r == 0) {
            int v = switch (attribute) {
                case CudaDriver.ATTR_CC_MAJOR -> 9;
                case CudaDriver.ATTR_CC_MINOR -> 0;
                case CudaDriver.ATTR_MULTIPROCESSORS -> 1;
                default -> 0;
            };
            out(value, 4).set(JAVA_INT, 0, v);
        }
        return r;
    }

    @Override
    public synchronized int cuDevicePrimaryCtxRetain(MemorySegment context, int device) {
        int r = call("cuDevicePrimaryCtxRetain");
        if (r == 0) {
            out(context, 8).set(ADDRESS, 0, MemorySegment.ofAddress(0xC0000 + device));
            retained++;
        }
        return r;
    }

    @Override
    public synchronized int cuDevicePrimaryCtxRelease_v2(int device) {
        int r = call("cuDevicePrimaryCtxRelease_v2");
        if (r == 0) retained--;
        return r;
    }

    @Override
    public synchronized int cuCtxSetCurrent(MemorySegment context) {
        return call("cuCtxSetCurrent");
    }

    @Override
    public synchronized int cuCtxSynchronize() {
        return call("cuCtxSynchronize");
    }

    @Override
    public synchronized int cuModuleLoadData(MemorySegment module, MemorySegment image) {
        int r = call("cuModuleLoadData");
        if (r != 0) return r;
        String ptx = image.reinterpret(Long.MAX_VALUE).getString(0);
        if (!ptx.contains(".version") || !ptx.contains(".target")) return CuResult.CUDA_ERROR_INVALID_PTX;
        long h = nextHandle++;
        modules.put(h, Ptx.entries(ptx));
        out(module, 8).set(ADDRESS, 0, MemorySegment.ofAddress(h));
        return r;
    }

    @Override
    public synchronized int cuModuleUnload(MemorySegment module) {
        int r = call("cuModuleUnload");
        if (r == 0 && modules.remove(module.address()) == null) return CuResult.CUDA_ERROR_INVALID_HANDLE;
        return r;
    }

    @Override
    public synchronized int cuModuleGetFunction(MemorySegment function, MemorySegment module, MemorySegment name) {
        int r = call("cuModuleGetFunction");
        if (r != 0) return r;
        List<String> entries = modules.get(module.address());
        if (entries == null) return CuResult.CUDA_ERROR_INVALID_HANDLE;
        String n = name.reinterpret(Long.MAX_VALUE).getString(0);
        if (!entries.contains(n)) return CuResult.CUDA_ERROR_NOT_FOUND;
        long h = nextHandle++;
        functions.put(h, n);
        out(function, 8).set(ADDRESS, 0, MemorySegment.ofAddress(h));
        return r;
    }

    @Override
    public synchronized int cuMemAlloc_v2(MemorySegment devicePtr, long bytes) {
        int r = call("cuMemAlloc_v2");
        if (r != 0) return r;
        if (bytes <= 0) return CuResult.CUDA_ERROR_INVALID_VALUE;
        long p = nextPtr;
        nextPtr += (bytes + 255) & ~255L;
        MemorySegment s = arena.allocate(bytes, 256);
        s.fill((byte) 0x5A); // not zero: kernels must not rely on fresh memory being cleared
        memory.put(p, s);
        out(devicePtr, 8).set(JAVA_LONG, 0, p);
        return r;
    }

    @Override
    public synchronized int cuMemFree_v2(long devicePtr) {
        int r = call("cuMemFree_v2");
        if (r == 0 && memory.remove(devicePtr) == null) return CuResult.CUDA_ERROR_INVALID_VALUE;
        return r;
    }

    @Override
    public synchronized int cuMemcpyHtoD_v2(long dst, MemorySegment src, long bytes) {
        int r = call("cuMemcpyHtoD_v2");
        if (r == 0) MemorySegment.copy(src.reinterpret(bytes), 0, at(dst), 0, bytes);
        return r;
    }

    @Override
    public synchronized int cuMemcpyDtoH_v2(MemorySegment dst, long src, long bytes) {
        int r = call("cuMemcpyDtoH_v2");
        if (r == 0) MemorySegment.copy(at(src), 0, dst.reinterpret(bytes), 0, bytes);
        return r;
    }

    @Override
    public synchronized int cuMemsetD8_v2(long dst, byte value, long count) {
        int r = call("cuMemsetD8_v2");
        if (r == 0) at(dst).asSlice(0, count).fill(value);
        return r;
    }

    @Override
    public synchronized int cuMemsetD32_v2(long dst, int value, long count) {
        int r = call("cuMemsetD32_v2");
        if (r == 0) {
            MemorySegment s = at(dst);
            for (long i = 0; i < count; i++) s.setAtIndex(JAVA_INT, i, value);
        }
        return r;
    }

    @Override
    public synchronized int cuLaunchKernel(MemorySegment function, int gridX, int gridY, int gridZ, int blockX, int blockY,
                                           int blockZ, int sharedBytes, MemorySegment stream, MemorySegment kernelParams,
                                           MemorySegment extra) {
        int r = call("cuLaunchKernel");
        if (r != 0) return r;
        String entry = functions.get(function.address());
        if (entry == null) return CuResult.CUDA_ERROR_INVALID_HANDLE;
        LaunchGeometry g;
        try {
            g = new LaunchGeometry(gridX, gridY, gridZ, blockX, blockY, blockZ, sharedBytes);
        } catch (IllegalArgumentException e) {
            return CuResult.CUDA_ERROR_INVALID_VALUE;
        }
        List<KernelArgs.Kind> kinds = signatures.get(entry);
        List<KernelArgs.Arg> args = kinds == null ? List.of() : KernelArgs.unpack(kernelParams, kinds);
        Launch l = new Launch(entry, g, args);
        launches.add(l);
        Emulator e = emulators.get(entry);
        if (e != null) e.run(l, this);
        return r;
    }

    @Override
    public synchronized int cuGetErrorName(int code, MemorySegment name) {
        return CuResult.CUDA_ERROR_INVALID_VALUE; // the caller falls back to CuResult's table
    }

    @Override
    public synchronized int cuGetErrorString(int code, MemorySegment description) {
        return CuResult.CUDA_ERROR_INVALID_VALUE;
    }
}
