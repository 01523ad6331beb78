package org.pdr4j.models.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

class PdrCliTest {

    /** What one run printed and returned. */
    private record Result(int code, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    private static Result run(CommandLine cl, StringWriter out, StringWriter err, String... args) {
        int code = PdrCli.execute(cl, cl.getErr(), args);
        return new Result(code, out.toString(), err.toString());
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        return run(PdrCli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)), out, err, args);
    }

    /** pdr with an extra subcommand "boom" that throws what it is given. */
    private static Result runWithBoom(Throwable toThrow, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = PdrCli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true), new Boom(toThrow));
        return run(cl, out, err, args);
    }

    @Command(name = "boom")
    static final class Boom implements Callable<Integer> {
        private final Throwable toThrow;

        Boom(Throwable toThrow) {
            this.toThrow = toThrow;
        }

        @Override
        public Integer call() {
            if (toThrow instanceof Error e) throw e;
            throw (RuntimeException) toThrow;
        }
    }

    @Test
    void deviceIsAGlobalOptionAndDevicesListsWhatItCanName() {
        try {
            Result r = run("devices", "--device", "cpu");
            assertEquals(PdrCli.EXIT_OK, r.code(), r.err());
            assertTrue(r.out().startsWith("cpu ") && r.out().contains("current device: cpu") && r.out().contains("cpu      PASS"), r.out());
            assertTrue(r.out().contains("cuda"), r.out());
            Result bad = run("--device", "gpu", "devices");
            assertEquals(PdrCli.EXIT_USAGE, bad.code());
            assertTrue(bad.err().startsWith("pdr: Invalid value for option '--device': unknown device 'gpu'"), bad.err());
        } finally {
            org.pdr4j.tensor.backend.Backends.useDevice(org.pdr4j.tensor.backend.Device.CPU);
        }
    }

    @Test
    void runningOutOfHeapIsOneLineWithWhatToChange() {
        Result r = runWithBoom(new OutOfMemoryError("Java heap space"), "boom");
        assertEquals(PdrCli.EXIT_FAILURE, r.code());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().startsWith("pdr: out of memory with a ") && r.err().contains("--batch") && r.err().contains("-Xmx"), r.err());
        assertTrue(PdrCli.outOfMemoryMessage(6L << 30).contains("6.0 GiB heap"));
    }

    @Test
    void helpExitsZeroAndListsEverySubcommand() {
        Result r = run("--help");
        assertEquals(PdrCli.EXIT_OK, r.code(), r.err());
        assertTrue(r.out().contains("Usage: pdr"), r.out());
        assertTrue(r.out().contains("Commands:"), r.out());
        for (Class<?> sub : PdrCli.SUBCOMMANDS) {
            String name = sub.getAnnotation(Command.class).name();
            assertTrue(r.out().lines().anyMatch(l -> l.strip().startsWith(name)),
                    "--help should list '" + name + "':\n" + r.out());
        }
        assertEquals("", r.err());
    }

    @Test
    void subcommandHelpExitsZero() {
        Result r = run("demo", "--help");
        assertEquals(PdrCli.EXIT_OK, r.code(), r.err());
        assertTrue(r.out().contains("Usage: pdr demo"), r.out());
    }

    @Test
    void versionExitsZero() {
        Result r = run("--version");
        assertEquals(PdrCli.EXIT_OK, r.code());
        assertTrue(r.out().startsWith("pdr4j "), r.out());
    }

    @Test
    void unknownFlagExitsTwoWithOneLineErrorAndHint() {
        Result r = run("--no-such-flag");
        assertEquals(PdrCli.EXIT_USAGE, r.code());
        assertEquals("", r.out());
        List<String> lines = r.errLines();
        assertEquals(2, lines.size(), r.err());
        assertTrue(lines.get(0).startsWith("pdr: ") && lines.get(0).contains("--no-such-flag"), r.err());
        assertTrue(lines.get(1).contains("pdr --help"), r.err());
    }

    @Test
    void unknownFlagOfSubcommandPointsAtThatSubcommandsHelp() {
        Result r = run("demo", "--no-such-flag");
        assertEquals(PdrCli.EXIT_USAGE, r.code());
        List<String> lines = r.errLines();
        assertEquals(2, lines.size(), r.err());
        assertTrue(lines.get(0).startsWith("pdr: "), r.err());
        assertTrue(lines.get(1).contains("pdr demo --help"), r.err());
    }

    @Test
    void unknownSubcommandExitsTwo() {
        Result r = run("frobnicate");
        assertEquals(PdrCli.EXIT_USAGE, r.code());
        List<String> lines = r.errLines();
        assertEquals(2, lines.size(), r.err());
        assertEquals("pdr: unknown command 'frobnicate'", lines.get(0));
    }

    @Test
    void misspelledSubcommandGetsASuggestion() {
        Result r = run("dem");
        assertEquals(PdrCli.EXIT_USAGE, r.code());
        assertTrue(r.errLines().get(1).contains("demo"), r.err());
    }

    @Test
    void noCommandPrintsUsageAndExitsTwo() {
        Result r = run();
        assertEquals(PdrCli.EXIT_USAGE, r.code());
        assertTrue(r.err().contains("Usage: pdr"), r.err());
    }

    @Test
    void illegalArgumentIsOneLineAndExitsOne() {
        Result r = runWithBoom(new IllegalArgumentException("coords must be [P, N, 2], got [4, 300, 3]"), "boom");
        assertEquals(PdrCli.EXIT_FAILURE, r.code());
        assertEquals(List.of("pdr: coords must be [P, N, 2], got [4, 300, 3]"), r.errLines());
    }

    @Test
    void multiLineMessageStaysOnOneLine() {
        Result r = runWithBoom(new IllegalArgumentException("first\nsecond"), "boom");
        assertEquals(PdrCli.EXIT_FAILURE, r.code());
        assertEquals(1, r.errLines().size(), r.err());
    }

    @Test
    void stacktraceFlagShowsTheTraceBeforeOrAfterTheCommand() {
        for (String[] args : List.of(new String[] {"--stacktrace", "boom"}, new String[] {"boom", "--stacktrace"})) {
            Result r = runWithBoom(new IllegalArgumentException("bad"), args);
            assertEquals(PdrCli.EXIT_FAILURE, r.code());
            assertEquals("pdr: bad", r.errLines().get(0));
            assertTrue(r.err().contains("java.lang.IllegalArgumentException: bad"), r.err());
            assertTrue(r.err().contains("\tat "), r.err());
        }
    }

    @Test
    void unexpectedExceptionIsReportedAsInternalErrorWithTrace() {
        Result r = runWithBoom(new IllegalStateException("oops"), "boom");
        assertEquals(PdrCli.EXIT_FAILURE, r.code());
        assertTrue(r.errLines().get(0).startsWith("pdr: internal error: "), r.err());
        assertTrue(r.err().contains("\tat "), r.err());
    }
}
