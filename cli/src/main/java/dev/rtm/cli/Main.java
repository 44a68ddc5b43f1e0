package dev.rtm.cli;

import dev.rtm.local.LocalServiceException;
import dev.rtm.host.RtmException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/** The {@code rtm} command. */
@Command(name = "rtm", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Real-time system monitoring with pluggable anomaly detectors.",
        subcommands = {DemoCommand.class, PluginsCommand.class, ReplayCommand.class, AgentCommand.class, JobCommand.class,
            InitDbCommand.class, BenchCommand.class, RenderCommand.class, SilenceCommand.class, AlertsCommand.class,
            DevReceiverCommand.class, IngestCommand.class,
            CommandLine.HelpCommand.class})
public final class Main implements java.util.concurrent.Callable<Integer> {

    /** Exit code for bad input, bad config or a refused start. */
    public static final int USER_ERROR = 2;
    /** Exit code for a bug (an unexpected exception). */
    public static final int INTERNAL_ERROR = 70;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() { // no command given: a usage error, as any other
        spec.commandLine().getErr().println("rtm: missing command");
        spec.commandLine().usage(spec.commandLine().getErr());
        return USER_ERROR;
    }

    /** Runs the CLI and returns its exit code (for tests and embedding). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return run(args, out, err, System.getenv());
    }

    /** Runs the CLI with {@code env} as its environment (RTM_CONFIG, RTM_PG_URL, ...) and returns its exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err, java.util.Map<String, String> env) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionStrategy(parsed -> {
            for (CommandLine c : parsed.asCommandLineList()) {
                for (CommandLine.Model.CommandSpec m : c.getCommandSpec().mixins().values()) {
                    if (m.userObject() instanceof HostOptions h) {
                        h.env = env;
                    }
                }
            }
            return new CommandLine.RunLast().execute(parsed);
        });
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, cmd, parse) -> {
            if (ex instanceof RtmException || ex instanceof LocalServiceException) {
                cmd.getErr().println("rtm: " + ex.getMessage());
                if (System.getenv("RTM_DEBUG") != null) {
                    ex.printStackTrace(cmd.getErr());
                }
                cmd.getErr().flush();
                return USER_ERROR;
            }
            String fileError = FileErrors.describe(ex);
            if (fileError != null) { // a path that cannot be read or written: the user's to fix, not a bug
                cmd.getErr().println("rtm: " + fileError);
                if (System.getenv("RTM_DEBUG") != null) {
                    ex.printStackTrace(cmd.getErr());
                }
                cmd.getErr().flush();
                return USER_ERROR;
            }
            cmd.getErr().println("rtm: internal error: " + ex
                    + (System.getenv("RTM_DEBUG") != null ? "" : " (set RTM_DEBUG=1 for the stack trace)"));
            if (System.getenv("RTM_DEBUG") != null) {
                ex.printStackTrace(cmd.getErr());
            }
            cmd.getErr().flush();
            return INTERNAL_ERROR;
        });
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** Entry point. */
    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"rtm " + (v == null ? "(development build)" : v)};
        }
    }
}
