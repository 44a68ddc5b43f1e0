package dev.rtm.cli;

import dev.rtm.host.config.PostgresSettings;
import dev.rtm.local.LocalPostgres;
import dev.rtm.host.job.JobRunner;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.flink.core.execution.JobClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rtm job}: the streaming job, in a local Flink MiniCluster (or on a cluster via flink run). */
@Command(name = "job", mixinStandardHelpOptions = true, subcommands = JobStopCommand.class,
        description = {"Run the streaming job: Kafka 'metrics' -> decode + validate -> detectors -> PostgreSQL, "
                + "refused records to the dead-letter topic. Kafka, PostgreSQL and the job itself are set in the "
                + "config's kafka, postgres and job sections; the database can also come from --pg-url or RTM_PG_URL "
                + "(without any, nothing is stored). Runs until stopped (Ctrl-C), or with --bounded until "
                + "the topic's current end."})
final class JobCommand implements Callable<Integer> {

    @Mixin
    HostOptions host = new HostOptions();

    @Mixin
    DatabaseOptions db = new DatabaseOptions();

    @Spec
    CommandSpec spec;

    @Option(names = "--bounded", description = "stop at the offsets that are latest at start (backfills, tests)")
    boolean bounded;

    @Option(names = "--parallelism", paramLabel = "N", description = "overrides job.parallelism")
    Integer parallelism;

    @Option(names = "--cluster", paramLabel = "HOST:PORT",
            description = "submit to this Flink cluster's REST endpoint instead of running locally; rtm's jars and "
                    + "plugins are shipped with the job")
    String cluster;

    @Option(names = "--from-savepoint", paramLabel = "PATH",
            description = "start from this savepoint or retained checkpoint (default for a local job: the savepoint the "
                    + "last run stopped with, else its newest kept checkpoint)")
    String fromSavepoint;

    @Option(names = "--fresh", description = "start with no detector state, even if an earlier run left some")
    boolean fresh;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (HostContext ctx = HostContext.open(host, true)) {
            JobRunner.Cluster target = cluster == null ? null
                    : JobRunner.Cluster.of(cluster, java.nio.file.Path.of(host.env.getOrDefault("RTM_HOME",
                            System.getProperty("rtm.home", "cli/target/rtm")), "lib"));
            LocalPostgres.Target pg = Database.resolveOptional(host, db, ctx.config, line -> out.println("rtm job: " + line));
            PostgresSettings storage = pg == null ? null
                    : PostgresSettings.of(ctx.config.host().postgres(), pg.url(), pg.user(), pg.password());
            String checkpoints = JobRunner.checkpointDir(ctx.config, target != null);
            String restore = fromSavepoint;
            if (restore == null && !fresh && target == null) {
                restore = JobRunner.lastState(checkpoints).orElse(null);
            }
            out.println("rtm job: checkpoints in " + (checkpoints == null ? (target == null ? "the JobManager's memory (job.checkpoint-dir: none)"
                    : "the cluster's state.checkpoints.dir") : checkpoints));
            out.println(restore == null ? "rtm job: starting without detector state" + (fresh ? " (--fresh)" : "")
                    : "rtm job: resuming from " + restore + (fromSavepoint == null ? " (--fresh starts without state)" : ""));
            JobClient job = JobRunner.start(ctx.config, ctx.registry.dir(), bounded, parallelism, target, storage, restore,
                    target == null && checkpoints != null);
            out.println("rtm job " + job.getJobID() + " running (Ctrl-C stops it" + (target == null && checkpoints != null
                    ? " with a savepoint the next run resumes from)" : ")"));
            out.flush();
            Thread stopper = new Thread(() -> stop(job, target == null ? checkpoints : null, out), "rtm-job-stop");
            Runtime.getRuntime().addShutdownHook(stopper);
            job.getJobExecutionResult().get();
            Runtime.getRuntime().removeShutdownHook(stopper);
            out.println("rtm job finished");
            return 0;
        }
    }

    /** Ctrl-C: stop with a savepoint where there is a checkpoint dir, else cancel. */
    private static void stop(JobClient job, String checkpoints, PrintWriter out) {
        if (checkpoints != null) {
            try {
                out.println("rtm job: stopping with a savepoint ...");
                out.flush();
                out.println("rtm job: stopped; savepoint " + JobRunner.stopWithSavepoint(job, checkpoints) + " (the next rtm job resumes from it)");
                out.flush();
                return;
            } catch (Exception e) {
                out.println("rtm job: no savepoint (" + e.getMessage() + "); cancelling, the next run resumes from the last checkpoint");
                out.flush();
            }
        }
        job.cancel().join();
    }
}
