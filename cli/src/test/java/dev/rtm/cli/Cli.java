package dev.rtm.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the CLI in-process and captures what it prints. */
record Cli(int code, String out, String err) {

    static Cli run(String... args) {
        return run(System.getenv(), args);
    }

    /** Runs with {@code env} as the commands' environment (RTM_PG_URL, RTM_CONFIG, ...). */
    static Cli run(java.util.Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err), env);
        return new Cli(code, out.toString(), err.toString());
    }
}
