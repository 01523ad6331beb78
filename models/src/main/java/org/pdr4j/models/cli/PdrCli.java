package org.pdr4j.models.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.Callable;
import org.pdr4j.tensor.PdrConfig;
import org.pdr4j.tensor.backend.Backends;
import org.pdr4j.tensor.backend.Device;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code pdr} command line: {@code pdr COMMAND [OPTIONS]}.
 *
 * <p>Exit codes: 0 success; 1 a command failed (an {@link IllegalArgumentException} is
 * reported as one line, {@code pdr: <message>}, and so is running out of heap); 2 bad usage (unknown option or command,
 * bad parameter value), reported as one line plus a hint. A stack trace is printed only
 * with {@code --stacktrace} or {@code -Dpdr4j.debug=true} ({@code PDR4J_DEBUG=true}), or
 * for an exception that is neither bad input nor I/O, i.e. a bug.
 */
@Command(name = "pdr",
        mixinStandardHelpOptions = true,
        versionProvider = PdrCli.Version.class,
        description = "pdr4j: Predictive Differentiable Rendering for the JVM.",
        synopsisSubcommandLabel = "COMMAND",
        commandListHeading = "%nCommands:%n",
        footer = {"", "Run 'pdr COMMAND --help' for a command's options."})
public final class PdrCli implements Callable<Integer> {

    /** Every subcommand of {@code pdr}, in the order {@code pdr --help} lists them. Register new ones here. */
    static final List<Class<?>> SUBCOMMANDS = List.of(
            TrainCommand.class,
            EvalCommand.class,
            PredictCommand.class,
            DataCommand.class,
            DevicesCommand.class,
            BenchCommand.class,
            DemoCommand.class,
            RenderCommand.class,
            CommandLine.HelpCommand.class);

    /** Exit code of a successful run. */
    public static final int EXIT_OK = 0;
    /** Exit code when a command failed. */
    public static final int EXIT_FAILURE = 1;
    /** Exit code for bad usage: unknown option or command, bad parameter value. */
    public static final int EXIT_USAGE = 2;

    /** Fallback when the classes do not come from a jar with a manifest (IDE, tests). */
    static final String VERSION = "0.1.0-SNAPSHOT";

    @Option(names = "--stacktrace", scope = ScopeType.INHERIT,
            description = "Print the full stack trace when a command fails.")
    boolean stacktrace;

    /** Where compute runs, for every command: applied when parsed, before the command runs. */
    @Option(names = "--device", scope = ScopeType.INHERIT, paramLabel = "DEVICE", converter = DeviceConverter.class,
            description = "cpu (default), opencl[:N] or cuda[:N]: where tensor ops and the renderer run (cuda runs the renderer; "
                    + "tensor ops stay on the cpu). A device that cannot start is reported once and the cpu used. See 'pdr devices'.")
    void device(Device d) {
        Backends.useDevice(d);
    }

    /** Parses {@code --device}, so a misspelling is a usage error (exit 2) naming the accepted forms. */
    static final class DeviceConverter implements CommandLine.ITypeConverter<Device> {
        @Override
        public Device convert(String value) {
            try {
                return Device.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    @Spec
    CommandSpec spec;

    /** {@code pdr} without a command: the usage on stderr, exit 2. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return EXIT_USAGE;
    }

    public static void main(String[] args) {
        // Library warnings (a backend that cannot start) as one line each, like our errors.
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null)
            System.setProperty("java.util.logging.SimpleFormatter.format", "pdr: %4$s: %5$s%6$s%n");
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code = run(out, err, args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Parses and runs {@code args}, writing to {@code out} and {@code err}; returns the exit code. */
    static int run(PrintWriter out, PrintWriter err, String... args) {
        return execute(commandLine(out, err), err, args);
    }

    /**
     * Runs {@code args} on {@code cl}. Running out of heap (a large config at a large batch) is
     * bad input too, not a bug: one line saying how much heap there was and what to change.
     */
    static int execute(CommandLine cl, PrintWriter err, String... args) {
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) {
            err.println(outOfMemoryMessage(Runtime.getRuntime().maxMemory()));
            if (wantsStacktrace(cl)) e.printStackTrace(err);
            err.flush();
            return EXIT_FAILURE;
        }
    }

    /** The line for an out-of-memory failure with a heap of {@code maxHeap} bytes. */
    static String outOfMemoryMessage(long maxHeap) {
        return String.format("pdr: out of memory with a %.1f GiB heap: lower --batch, or raise the heap with PDR_JAVA_OPTS=\"-Xmx<N>g\" "
                + "(./pdr takes 25%% of RAM by default)", maxHeap / (double) (1L << 30));
    }

    /**
     * The configured {@code pdr} command line, with every subcommand of {@link #SUBCOMMANDS}
     * and then {@code extraSubcommands} (tests use these). Writers and handlers are set last,
     * because picocli hands them only to the subcommands that exist at that point.
     */
    static CommandLine commandLine(PrintWriter out, PrintWriter err, Object... extraSubcommands) {
        CommandLine cl = new CommandLine(new PdrCli());
        for (Class<?> sub : SUBCOMMANDS) {
            cl.addSubcommand(sub);
        }
        for (Object sub : extraSubcommands) {
            cl.addSubcommand(sub);
        }
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler(new UsageErrors());
        cl.setExecutionExceptionHandler(new Failures());
        return cl;
    }

    /** Bad usage: one line naming the problem, one line saying where help is; exit 2. */
    private static final class UsageErrors implements IParameterExceptionHandler {
        @Override
        public int handleParseException(ParameterException ex, String[] args) {
            CommandLine cl = ex.getCommandLine();
            PrintWriter err = cl.getErr();
            String message = ex.getMessage();
            String hint = "";
            if (ex instanceof UnmatchedArgumentException unmatched) {
                List<String> rest = unmatched.getUnmatched();
                String first = rest.isEmpty() ? "" : rest.get(0);
                boolean wantsCommand = !cl.getSubcommands().isEmpty()
                        && cl.getCommandSpec().positionalParameters().isEmpty();
                if (wantsCommand && !first.startsWith("-")) {
                    message = "unknown command '" + first + "'";
                }
                List<String> suggestions = unmatched.getSuggestions();
                if (!suggestions.isEmpty()) {
                    hint = "Did you mean: " + String.join(", ", suggestions) + "? ";
                }
            }
            err.println("pdr: " + oneLine(message));
            err.println(hint + "Try '" + cl.getCommandSpec().qualifiedName() + " --help' for more information.");
            err.flush();
            return EXIT_USAGE;
        }
    }

    /** A command threw: bad input and I/O faults in one line; anything else is a bug and shows its trace. */
    private static final class Failures implements IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parseResult) {
            PrintWriter err = cl.getErr();
            boolean trace = wantsStacktrace(cl);
            if (ex instanceof IllegalArgumentException) {
                err.println("pdr: " + oneLine(ex.getMessage()));
            } else if (ex instanceof IOException || ex instanceof UncheckedIOException) {
                Throwable io = ex instanceof UncheckedIOException u && u.getCause() != null ? u.getCause() : ex;
                err.println("pdr: " + io.getClass().getSimpleName() + ": " + oneLine(io.getMessage()));
            } else {
                err.println("pdr: internal error: " + oneLine(String.valueOf(ex)));
                trace = true;
            }
            if (trace) {
                ex.printStackTrace(err);
            }
            err.flush();
            return EXIT_FAILURE;
        }
    }

    private static boolean wantsStacktrace(CommandLine cl) {
        if ("true".equalsIgnoreCase(PdrConfig.get("debug"))) {
            return true;
        }
        Object root = cl.getCommandSpec().root().userObject();
        return root instanceof PdrCli pdr && pdr.stacktrace;
    }

    private static String oneLine(String message) {
        if (message == null || message.isBlank()) {
            return "(no message)";
        }
        String s = message.strip();
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl).strip() + " ...";
    }

    /** {@code pdr --version}: the jar manifest's Implementation-Version, else {@link #VERSION}. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = PdrCli.class.getPackage().getImplementationVersion();
            return new String[] {
                "pdr4j " + (v == null ? VERSION : v),
                "JVM: ${java.version} (${java.vendor} ${java.vm.name})",
            };
        }
    }
}
