package org.pdr4j.models.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class DemoCommandTest {
    @Test
    void lossFallsByAnOrderOfMagnitude() {
        StringWriter log = new StringWriter();
        DemoCommand.Result r = DemoCommand.train(300, 32, 0.01, 0, new PrintWriter(log));
        assertTrue(r.last() < r.first() / 10, "loss " + r.first() + " -> " + r.last());
        assertTrue(log.toString().contains("step  300/300"), log.toString());
    }

    @Test
    void sameSeedSameLosses() {
        var a = DemoCommand.train(20, 8, 0.01, 3, new PrintWriter(new StringWriter()));
        var b = DemoCommand.train(20, 8, 0.01, 3, new PrintWriter(new StringWriter()));
        assertEquals(a.last(), b.last());
    }

    @Test
    void badFlagsAreOneLineErrors() {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = PdrCli.run(new PrintWriter(out), new PrintWriter(err), "demo", "--steps", "0");
        assertEquals(PdrCli.EXIT_FAILURE, code);
        assertEquals("pdr: --steps must be >= 1, got 0", err.toString().strip());
    }
}
