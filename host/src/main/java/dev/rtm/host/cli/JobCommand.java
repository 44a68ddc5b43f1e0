package dev.rtm.host.cli;

import dev.rtm.host.config.HostSettings;
import dev.rtm.host.demo.LocalPostgres;
import dev.rtm.host.job.JobRunner;
import dev.rtm.host.job.JobSettings;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.flink.core.execution.JobClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rtm job}: the streaming job, in a local Flink MiniCluster (or on a cluster via flink run). */
@Command(name = "job", mixinStandardHelpOptions = true,
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

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (HostContext ctx = HostContext.open(host, true)) {
            JobRunner.Cluster target = cluster == null ? null
                    : JobRunner.Cluster.of(cluster, java.nio.file.Path.of(host.env.getOrDefault("RTM_HOME",
                            System.getProperty("rtm.home", "host/target/rtm")), "lib"));
            LocalPostgres.Target pg = Database.resolveOptional(host, db, ctx.config, line -> out.println("rtm job: " + line));
            var section = ctx.config.host().postgres();
            JobClient job = JobRunner.start(ctx.config, ctx.registry.dir(), bounded, parallelism, target, pg == null ? null
                    : new JobSettings.Postgres(pg.url(), pg.user(), pg.password(), section.get(HostSettings.Postgres.BATCH),
                            section.get(HostSettings.Postgres.FLUSH)));
            out.println("rtm job " + job.getJobID() + " running (Ctrl-C stops it)");
            out.flush();
            Thread stopper = new Thread(() -> job.cancel().join(), "rtm-job-stop");
            Runtime.getRuntime().addShutdownHook(stopper);
            job.getJobExecutionResult().get();
            Runtime.getRuntime().removeShutdownHook(stopper);
            out.println("rtm job finished");
            return 0;
        }
    }
}
