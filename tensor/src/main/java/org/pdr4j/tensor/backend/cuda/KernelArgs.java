package org.pdr4j.tensor.backend.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * The arguments of one kernel launch, in the kernel's parameter order, and their packing into
 * the {@code void** kernelParams} that {@code cuLaunchKernel} takes: an array of pointers, one
 * per parameter, each pointing at that parameter's value. Device pointers travel as 64-bit
 * {@code long}s ({@code CUdeviceptr}, a {@code float*} parameter in the kernel), {@code int}s
 * as 32-bit, {@code float}s as 32-bit IEEE. Pure Java: packing is tested without a driver.
 */
public final class KernelArgs {
    /** What one parameter is, as the kernel declares it. */
    public enum Kind { PTR, I32, F32 }

    /** One parameter: its kind and its bits ({@code long} pointer, int, or float bits). */
    public record Arg(Kind kind, long bits) {
        /** The value as the Java type it was given as (Long, Integer, Float). */
        public Object value() {
            return switch (kind) {
                case PTR -> bits;
                case I32 -> (int) bits;
                case F32 -> Float.intBitsToFloat((int) bits);
            };
        }
    }

    private final List<Arg> args = new ArrayList<>();

    /** Appends a device pointer ({@code CUdeviceptr}). */
    public KernelArgs ptr(long devicePtr) {
        args.add(new Arg(Kind.PTR, devicePtr));
        return this;
    }

    /** Appends a 32-bit int. */
    public KernelArgs i32(int value) {
        args.add(new Arg(Kind.I32, value));
        return this;
    }

    /** Appends a 32-bit float. */
    public KernelArgs f32(float value) {
        args.add(new Arg(Kind.F32, Float.floatToRawIntBits(value)));
        return this;
    }

    public int size() {
        return args.size();
    }

    public List<Arg> args() {
        return List.copyOf(args);
    }

    /**
     * The {@code void*[size()]} array for {@code cuLaunchKernel}, with every value stored in
     * {@code arena} (normally a confined arena closed right after the launch: the driver copies
     * the values when the launch is enqueued).
     */
    public MemorySegment pack(Arena arena) {
        MemorySegment array = arena.allocate(ADDRESS, Math.max(1, args.size()));
        for (int i = 0; i < args.size(); i++) {
            Arg a = args.get(i);
            MemorySegment v = switch (a.kind) {
                case PTR -> arena.allocateFrom(JAVA_LONG, a.bits);
                case I32 -> arena.allocateFrom(JAVA_INT, (int) a.bits);
                case F32 -> arena.allocateFrom(JAVA_FLOAT, Float.intBitsToFloat((int) a.bits));
            };
            array.setAtIndex(ADDRESS, i, v);
        }
        return array;
    }

    /**
     * Reads a packed array back, given the kinds it was packed with: what a fake driver does to
     * check the packing, and what the tests assert on. {@code params} may be a zero-length
     * segment from a downcall; it is reinterpreted to the needed size.
     */
    public static List<Arg> unpack(MemorySegment params, List<Kind> kinds) {
        MemorySegment array = params.reinterpret(ADDRESS.byteSize() * Math.max(1, kinds.size()));
        List<Arg> out = new ArrayList<>(kinds.size());
        for (int i = 0; i < kinds.size(); i++) {
            MemorySegment p = array.getAtIndex(ADDRESS, i).reinterpret(8);
            Kind k = kinds.get(i);
            long bits = switch (k) {
                case PTR -> p.get(JAVA_LONG, 0);
                case I32 -> p.get(JAVA_INT, 0);
                case F32 -> p.get(JAVA_INT, 0);
            };
            out.add(new Arg(k, bits));
        }
        return out;
    }

    /** The kinds, in order: a kernel's signature as the launcher sees it. */
    public List<Kind> kinds() {
        return args.stream().map(Arg::kind).toList();
    }

    @Override
    public String toString() {
        return args.stream().map(a -> a.kind + "=" + a.value()).toList().toString();
    }
}
