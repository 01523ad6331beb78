package org.pdr4j.tensor.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LaunchGeometryTest {
    @Test
    void ceilDiv() {
        assertEquals(0, LaunchGeometry.ceilDiv(0, 32));
        assertEquals(1, LaunchGeometry.ceilDiv(1, 32));
        assertEquals(1, LaunchGeometry.ceilDiv(32, 32));
        assertEquals(2, LaunchGeometry.ceilDiv(33, 32));
        assertEquals(1L << 40, LaunchGeometry.ceilDiv(1L << 48, 256));
        assertThrows(IllegalArgumentException.class, () -> LaunchGeometry.ceilDiv(-1, 2));
        assertThrows(IllegalArgumentException.class, () -> LaunchGeometry.ceilDiv(1, 0));
    }

    @Test
    void linearCoversEveryElementWithLessThanABlockSpare() {
        for (long n : new long[] {0, 1, 255, 256, 257, 1_000_003}) {
            LaunchGeometry g = LaunchGeometry.linear(n, 256);
            assertTrue(g.threads() >= n && g.threads() - n < 256 || n == 0, n + ": " + g);
            assertEquals(256, g.blockThreads());
        }
        assertThrows(IllegalArgumentException.class, () -> LaunchGeometry.linear(1L << 42, 1));
    }

    @Test
    void limitsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new LaunchGeometry(0, 1, 1, 32, 1, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new LaunchGeometry(1, 65536, 1, 32, 1, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new LaunchGeometry(1, 1, 1, 1025, 1, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new LaunchGeometry(1, 1, 1, 32, 32, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> new LaunchGeometry(1, 1, 1, 1, 1, 65, 0));
        assertThrows(IllegalArgumentException.class, () -> new LaunchGeometry(1, 1, 1, 32, 1, 1, 48 * 1024 + 1));
        LaunchGeometry ok = new LaunchGeometry(Integer.MAX_VALUE, 65535, 65535, 1024, 1, 1, 48 * 1024);
        assertEquals("grid 2147483647x65535x65535, block 1024x1x1, 49152 B shared", ok.toString());
    }
}
