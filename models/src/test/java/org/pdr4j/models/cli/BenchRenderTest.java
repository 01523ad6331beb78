package org.pdr4j.models.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BenchRenderTest {
    @Test
    void printsTheTable9LayoutPerPass() {
        CliRun r = CliRun.of("bench", "render", "--configs", "16/5/10,20/7/3", "--frames", "1,2", "--seconds", "0.02", "--impl", "fused,base");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("| H=W / K / N | frames | fused | base |"), r.out());
        assertEquals(2 * 4, r.out().lines().filter(l -> l.startsWith("| 16/5/10 |") || l.startsWith("| 20/7/3 |")).count(), r.out());
        assertTrue(r.out().contains("forward + backward"), r.out());
    }

    @Test
    void badConfigsAndRenderersAreOneLineErrors() {
        assertArrayEquals(new int[] {64, 15, 300}, BenchRender.parseConfig("64/15/300"));
        for (String bad : new String[] {"64/15", "15/64/300", "a/b/c", "64/15/0"})
            assertThrows(IllegalArgumentException.class, () -> BenchRender.parseConfig(bad));
        CliRun r = CliRun.of("bench", "render", "--impl", "fast", "--seconds", "0.01");
        assertEquals(PdrCli.EXIT_FAILURE, r.code());
        assertTrue(r.err().startsWith("pdr: unknown renderer 'fast'") && r.err().contains("fused"), r.err());
    }
}
