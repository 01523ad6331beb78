package org.pdr4j.models.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs {@code pdr} in-process and keeps what it printed: the tests' view of the command line. */
record CliRun(int code, String out, String err) {
    static CliRun of(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = PdrCli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }
}
