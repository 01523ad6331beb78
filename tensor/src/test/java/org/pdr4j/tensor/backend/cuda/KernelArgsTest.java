package org.pdr4j.tensor.backend.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pdr4j.tensor.backend.cuda.KernelArgs.Kind;

/** The void** kernelParams layout, checked by reading native memory back. */
class KernelArgsTest {
    @Test
    void packsOnePointerPerParameterPointingAtItsValue() {
        KernelArgs a = new KernelArgs().ptr(0x7000_0000_1234L).i32(-7).f32(1.5f).ptr(0).f32(-0.0f).i32(Integer.MAX_VALUE);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment params = a.pack(arena);
            assertEquals(6 * ADDRESS.byteSize(), params.byteSize());
            MemorySegment p0 = params.getAtIndex(ADDRESS, 0).reinterpret(8);
            assertEquals(0x7000_0000_1234L, p0.get(JAVA_LONG, 0));
            assertEquals(-7, params.getAtIndex(ADDRESS, 1).reinterpret(4).get(JAVA_INT, 0));
            assertEquals(1.5f, params.getAtIndex(ADDRESS, 2).reinterpret(4).get(JAVA_FLOAT, 0));
            assertEquals(0L, params.getAtIndex(ADDRESS, 3).reinterpret(8).get(JAVA_LONG, 0));
            assertEquals(Float.floatToRawIntBits(-0.0f), params.getAtIndex(ADDRESS, 4).reinterpret(4).get(JAVA_INT, 0));
            assertEquals(Integer.MAX_VALUE, params.getAtIndex(ADDRESS, 5).reinterpret(4).get(JAVA_INT, 0));
            // values are naturally aligned for the driver's copy
            for (int i = 0; i < 6; i++) assertEquals(0, params.getAtIndex(ADDRESS, i).address() % 4);
            assertEquals(0, params.getAtIndex(ADDRESS, 0).address() % 8);
        }
    }

    @Test
    void unpackInvertsPack() {
        KernelArgs a = new KernelArgs().ptr(42).i32(3).f32(Float.NaN).f32(Float.MIN_VALUE);
        try (Arena arena = Arena.ofConfined()) {
            List<KernelArgs.Arg> back = KernelArgs.unpack(MemorySegment.ofAddress(a.pack(arena).address()), a.kinds());
            assertEquals(a.args(), back);
        }
        assertEquals(List.of(Kind.PTR, Kind.I32, Kind.F32, Kind.F32), a.kinds());
        assertEquals(42L, a.args().get(0).value());
        assertEquals(3, a.args().get(1).value());
        assertEquals(Float.MIN_VALUE, a.args().get(3).value());
    }

    @Test
    void noArgumentsStillGivesAValidArray() {
        try (Arena arena = Arena.ofConfined()) {
            assertEquals(ADDRESS.byteSize(), new KernelArgs().pack(arena).byteSize());
        }
    }

    @Test
    void valuesDieWithTheArena() {
        MemorySegment params;
        try (Arena arena = Arena.ofConfined()) {
            params = new KernelArgs().i32(1).pack(arena);
        }
        assertThrows(IllegalStateException.class, () -> params.get(ADDRESS, 0));
    }
}
