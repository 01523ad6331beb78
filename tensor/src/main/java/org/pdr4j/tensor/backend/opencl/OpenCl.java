package org.pdr4j.tensor.backend.opencl;

import static org.jocl.CL.*;

import java.util.ArrayList;
import java.util.List;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;
import org.pdr4j.tensor.PdrConfig;

/**
 * Entry point of the OpenCL runtime: device discovery and one {@link ClContext} (context plus
 * in-order queue) per device, created on first use and shared by all threads.
 *
 * <p>Discovery runs once, on the first call; nothing happens when the class loads. Without an
 * ICD loader or platform, {@link #devices()} is empty and {@link #unavailableReason()} says why.
 * The default device is {@code opencl:0}, or the index in {@code pdr4j.opencl.device} /
 * {@code PDR4J_OPENCL_DEVICE}.
 *
 * <pre>{@code
 * ClContext cl = OpenCl.context();
 * ClProgram p = cl.program("vector_add.cl", "");
 * try (ClBuffer a = cl.upload(x); ClBuffer b = cl.upload(y); ClBuffer c = cl.buffer(n);
 *      ClKernel k = p.kernel("vector_add")) {
 *     k.arg(0, a).arg(1, b).arg(2, c).arg(3, n).launch1d(n, 64);
 *     cl.read(c, 0, out, 0, n);
 * }
 * }</pre>
 */
public final class OpenCl {
    private OpenCl() {}

    private static List<ClDevice> devices;
    private static String unavailable;
    private static ClContext[] contexts;

    /** All devices of all platforms, in platform then device order; empty without OpenCL. */
    public static synchronized List<ClDevice> devices() {
        discover();
        return devices;
    }

    /** True if at least one device was found. */
    public static boolean available() {
        return !devices().isEmpty();
    }

    /** Why no device is available (one line with the fix), or null if one is. */
    public static synchronized String unavailableReason() {
        discover();
        return unavailable;
    }

    /** One line per device, or the reason there are none. */
    public static String describeDevices() {
        List<ClDevice> ds = devices();
        if (ds.isEmpty()) return "no OpenCL device: " + unavailableReason() + "\n";
        StringBuilder sb = new StringBuilder();
        for (ClDevice d : ds) sb.append(d).append('\n');
        return sb.toString();
    }

    /** The default device's context ({@code pdr4j.opencl.device}, else 0). */
    public static ClContext context() {
        String configured = PdrConfig.openclDevice();
        return context(configured == null ? 0 : parseIndex(configured));
    }

    /** The context of device {@code index}, created on first use. */
    public static synchronized ClContext context(int index) {
        discover();
        if (devices.isEmpty()) throw new IllegalStateException("no OpenCL device: " + unavailable);
        if (index < 0 || index >= devices.size()) {
            throw new IllegalArgumentException("OpenCL device index " + index + " out of range; devices: "
                    + describeDevices().strip().replace("\n", "; "));
        }
        ClContext c = contexts[index];
        if (c == null) contexts[index] = c = new ClContext(devices.get(index));
        return c;
    }

    /**
     * The device index in a spec: {@code "opencl:2"} or {@code "2"} is 2, {@code "opencl"} is 0.
     *
     * @throws IllegalArgumentException for anything else
     */
    public static int parseIndex(String spec) {
        String s = spec.trim();
        if (s.equals("opencl")) return 0;
        if (s.startsWith("opencl:")) s = s.substring("opencl:".length());
        try {
            int i = Integer.parseInt(s);
            if (i >= 0) return i;
        } catch (NumberFormatException ignored) {
            // falls through to the message below
        }
        throw new IllegalArgumentException("OpenCL device must be 'opencl', 'opencl:N' or N with N >= 0, got '" + spec + "'");
    }

    private static void discover() {
        if (devices != null) return;
        List<ClDevice> found = new ArrayList<>();
        try {
            CL.setExceptionsEnabled(true);
            int[] n = new int[1];
            clGetPlatformIDs(0, null, n);
            cl_platform_id[] platforms = new cl_platform_id[n[0]];
            if (n[0] > 0) clGetPlatformIDs(n[0], platforms, null);
            for (cl_platform_id p : platforms) {
                String pname = platformString(p, CL_PLATFORM_NAME);
                int[] nd = new int[1];
                try {
                    clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, 0, null, nd);
                } catch (CLException e) {
                    if (e.getStatus() == CL_DEVICE_NOT_FOUND) continue;
                    throw e;
                }
                cl_device_id[] ids = new cl_device_id[nd[0]];
                clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, nd[0], ids, null);
                for (cl_device_id id : ids) found.add(describe(found.size(), pname, p, id));
            }
            unavailable = found.isEmpty() ? "no OpenCL platform or device found (install an ICD such as pocl-opencl-icd)" : null;
        } catch (CLException e) {
            unavailable = e.getStatus() == -1001
                    ? "no OpenCL platform (CL_PLATFORM_NOT_FOUND_KHR); install an ICD such as pocl-opencl-icd"
                    : "OpenCL discovery failed: " + ClStatus.describe(e.getStatus());
            found.clear();
        } catch (LinkageError e) {
            // JOCL dlopens the unversioned libOpenCL.so, which Debian ships only in ocl-icd-opencl-dev.
            unavailable = "OpenCL library not loadable (" + e.getMessage() + "); JOCL needs libOpenCL.so: install "
                    + "ocl-icd-opencl-dev (or ocl-icd-libopencl1 plus a libOpenCL.so link) and an ICD such as pocl-opencl-icd";
            found.clear();
        }
        devices = List.copyOf(found);
        contexts = new ClContext[devices.size()];
    }

    private static ClDevice describe(int index, String platform, cl_platform_id p, cl_device_id d) {
        long type = deviceLong(d, CL_DEVICE_TYPE);
        List<String> types = new ArrayList<>();
        if ((type & CL_DEVICE_TYPE_CPU) != 0) types.add("CPU");
        if ((type & CL_DEVICE_TYPE_GPU) != 0) types.add("GPU");
        if ((type & CL_DEVICE_TYPE_ACCELERATOR) != 0) types.add("ACCELERATOR");
        if ((type & CL_DEVICE_TYPE_CUSTOM) != 0) types.add("CUSTOM");
        return new ClDevice(index, platform, deviceString(d, CL_DEVICE_NAME), deviceString(d, CL_DEVICE_VENDOR),
                types.isEmpty() ? "DEFAULT" : String.join("+", types), deviceString(d, CL_DEVICE_VERSION),
                deviceInt(d, CL_DEVICE_MAX_COMPUTE_UNITS), deviceLong(d, CL_DEVICE_GLOBAL_MEM_SIZE),
                deviceLong(d, CL_DEVICE_LOCAL_MEM_SIZE), deviceSize(d, CL_DEVICE_MAX_WORK_GROUP_SIZE), p, d);
    }

    private static String platformString(cl_platform_id p, int param) {
        long[] size = new long[1];
        clGetPlatformInfo(p, param, 0, null, size);
        byte[] buf = new byte[(int) size[0]];
        clGetPlatformInfo(p, param, buf.length, Pointer.to(buf), null);
        return cString(buf);
    }

    static String deviceString(cl_device_id d, int param) {
        long[] size = new long[1];
        clGetDeviceInfo(d, param, 0, null, size);
        byte[] buf = new byte[(int) size[0]];
        clGetDeviceInfo(d, param, buf.length, Pointer.to(buf), null);
        return cString(buf);
    }

    private static int deviceInt(cl_device_id d, int param) {
        int[] v = new int[1];
        clGetDeviceInfo(d, param, Sizeof.cl_uint, Pointer.to(v), null);
        return v[0];
    }

    private static long deviceLong(cl_device_id d, int param) {
        long[] v = new long[1];
        clGetDeviceInfo(d, param, Sizeof.cl_ulong, Pointer.to(v), null);
        return v[0];
    }

    private static long deviceSize(cl_device_id d, int param) {
        long[] v = new long[1];
        clGetDeviceInfo(d, param, Sizeof.size_t, Pointer.to(v), null);
        return v[0];
    }

    static String cString(byte[] buf) {
        int n = 0;
        while (n < buf.length && buf[n] != 0) n++;
        return new String(buf, 0, n, java.nio.charset.StandardCharsets.UTF_8).trim();
    }

    /**
     * True when an OpenCL ICD is registered ({@code OCL_ICD_VENDORS} set, or a {@code .icd} in
     * {@code /etc/OpenCL/vendors}): then a missing device is a fault to report, not an absent
     * platform. Device tests skip only where this is false.
     */
    public static boolean icdInstalled() {
        if (System.getenv("OCL_ICD_VENDORS") != null) return true;
        java.nio.file.Path vendors = java.nio.file.Path.of("/etc/OpenCL/vendors");
        if (!java.nio.file.Files.isDirectory(vendors)) return false;
        try (java.util.stream.Stream<java.nio.file.Path> s = java.nio.file.Files.list(vendors)) {
            return s.anyMatch(p -> p.toString().endsWith(".icd"));
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
