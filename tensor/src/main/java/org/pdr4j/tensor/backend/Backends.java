package org.pdr4j.tensor.backend;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Logger;
import org.pdr4j.tensor.DType;
import org.pdr4j.tensor.PdrConfig;
import org.pdr4j.tensor.Tensor;
import org.pdr4j.tensor.backend.cpu.CpuBackend;
import org.pdr4j.tensor.backend.opencl.OpenCl;
import org.pdr4j.tensor.backend.opencl.OpenClBackend;
import org.pdr4j.tensor.backend.ref.RefBackend;

/**
 * The one place a backend is chosen: {@code -Dpdr4j.backend} / {@code PDR4J_BACKEND}, else
 * the first in priority order that starts. A backend that cannot start is reported once with
 * its cause and {@code cpu} is used instead. Nothing is probed until first use.
 */
public final class Backends {
    private Backends() {}

    private static final Logger LOG = Logger.getLogger(Backends.class.getName());

    /**
     * Known backends in priority order. cpu stays first (the default); opencl runs only when
     * asked for ({@code -Dpdr4j.backend=opencl}, {@code opencl:N} for device N, or {@link #use}).
     */
    private static final Map<String, Supplier<Backend>> FACTORIES = new LinkedHashMap<>();

    static {
        FACTORIES.put("cpu", CpuBackend::new);
        FACTORIES.put("ref", RefBackend::new);
        FACTORIES.put("opencl", OpenClBackend::new);
    }

    private static volatile Backend current;
    private static final class RefHolder {
        static final Backend REF = new RefBackend();
    }

    /** The backend F32 work runs on. */
    public static Backend current() {
        Backend b = current;
        if (b == null) {
            synchronized (Backends.class) {
                b = current;
                if (b == null) current = b = choose(PdrConfig.backend());
            }
        }
        return b;
    }

    /** The scalar float64 reference backend. */
    public static Backend ref() {
        return RefHolder.REF;
    }

    /** The backend for an op over these operands: F64 anywhere means the reference backend. */
    public static Backend forOperands(Tensor... operands) {
        for (Tensor t : operands) {
            if (t.dtype() == DType.F64) return ref();
        }
        return current();
    }

    /** Replaces the current backend (tests, benchmarks). */
    public static synchronized void use(String name) {
        current = choose(name);
        device = impliedDevice(name);
    }

    private static volatile Device device; // null until first asked: then pdr4j.device, else what pdr4j.backend implies

    /**
     * Runs on {@code d} from now on ({@code --device}): tensor ops on the OpenCL backend for
     * {@code opencl:N}, on the CPU for {@code cpu} and {@code cuda:N} (CUDA covers the renderer
     * only); the renderer follows through {@link #device()}. An OpenCL device that cannot start is
     * reported once and the CPU used, as for {@link #use}.
     */
    public static synchronized void useDevice(Device d) {
        current = choose(d.kind().equals("opencl") ? "opencl:" + d.index() : "cpu");
        device = d;
    }

    /** The device chosen by {@link #useDevice}, {@code -Dpdr4j.device} / {@code PDR4J_DEVICE}, or the backend; cpu by default. */
    public static Device device() {
        Device d = device;
        if (d == null) {
            synchronized (Backends.class) {
                if (device == null) {
                    String spec = PdrConfig.get("device");
                    if (spec != null) useDevice(Device.parse(spec));
                    else {
                        device = impliedDevice(PdrConfig.backend());
                    }
                }
                d = device;
            }
        }
        return d;
    }

    /** The device a tensor backend name stands for: {@code opencl[:N]} is that OpenCL device, anything else the CPU. */
    private static Device impliedDevice(String backend) {
        return backend != null && backend.startsWith("opencl") ? new Device("opencl", OpenCl.parseIndex(backend)) : Device.CPU;
    }

    /** Names of all registered backends. */
    public static List<String> names() {
        return new ArrayList<>(FACTORIES.keySet());
    }

    private static Backend choose(String requested) {
        if (requested != null) {
            Supplier<Backend> f = FACTORIES.get(requested);
            if (requested.startsWith("opencl:")) {
                int device = OpenCl.parseIndex(requested); // a malformed spec is an error, not a fallback
                f = () -> new OpenClBackend(OpenCl.context(device));
            }
            if (f == null) {
                throw new IllegalArgumentException("unknown backend '" + requested + "'; known: " + names());
            }
            try {
                return f.get();
            } catch (RuntimeException | LinkageError e) {
                LOG.warning("backend '" + requested + "' unavailable (" + e.getMessage() + "); using cpu");
            }
        }
        return new CpuBackend();
    }

    /** One line per backend: PASS or FAIL with the reason, after a smoke op. */
    public static String report() {
        StringBuilder sb = new StringBuilder();
        for (var e : FACTORIES.entrySet()) {
            String status;
            try {
                Backend b = e.getValue().get();
                Tensor x = Tensor.arange(4);
                Tensor out = Tensor.zeros(4);
                b.zip(BinaryOp.MUL, x, x, out);
                float[] v = out.toFloatArray();
                status = v[3] == 9f ? "PASS" : "FAIL (smoke op gave " + v[3] + ", expected 9)";
            } catch (RuntimeException | LinkageError ex) {
                status = "FAIL (" + ex + ")";
            }
            sb.append(String.format("%-8s %s%n", e.getKey(), status));
        }
        return sb.toString();
    }
}
