package dev.rtm.cli;

import dev.rtm.host.RtmException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.client.deployment.StandaloneClusterId;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.SavepointFormatType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code rtm job stop JOBID --cluster HOST:PORT}: stops a job running on a Flink cluster with a
 * savepoint (Flink's stop-with-savepoint, over the cluster's REST API) and prints its path, which
 * {@code rtm job --cluster ... --from-savepoint PATH} or {@code flink run -s PATH} resume from. A
 * local {@code rtm job} does the same on Ctrl-C.
 */
@Command(name = "stop", mixinStandardHelpOptions = true,
        description = {"Stop a job on a Flink cluster with a savepoint and print where it is (resume with "
                + "rtm job --cluster HOST:PORT --from-savepoint PATH, or flink run -s PATH)."})
final class JobStopCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "JOBID", description = "the job's id (printed when it was submitted; the cluster's web UI lists it)")
    String jobId;

    @Option(names = "--cluster", paramLabel = "HOST:PORT", required = true, description = "the cluster's REST endpoint")
    String cluster;

    @Option(names = "--savepoint-dir", paramLabel = "URI",
            description = "where the savepoint goes (file:///..., s3://...); default: the cluster's state.savepoints.dir")
    String savepointDir;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5m", converter = DurationConverter.class,
            description = "how long to wait for the savepoint (default: ${DEFAULT-VALUE})")
    java.time.Duration timeout;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        int colon = cluster.lastIndexOf(':');
        if (colon <= 0) {
            throw new RtmException("--cluster: '" + cluster + "' is not HOST:PORT");
        }
        JobID id;
        try {
            id = JobID.fromHexString(jobId);
        } catch (IllegalArgumentException e) {
            throw new RtmException("JOBID: '" + jobId + "' is not a Flink job id (32 hex digits)");
        }
        Configuration conf = new Configuration();
        conf.set(RestOptions.ADDRESS, cluster.substring(0, colon));
        conf.set(RestOptions.PORT, Integer.parseInt(cluster.substring(colon + 1)));
        try (RestClusterClient<StandaloneClusterId> client = new RestClusterClient<>(conf, StandaloneClusterId.getInstance())) {
            out.println("rtm job stop: stopping " + jobId + " on " + cluster + " with a savepoint ...");
            out.flush();
            String path = client.stopWithSavepoint(id, false, savepointDir, SavepointFormatType.CANONICAL)
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            out.println("rtm job stop: stopped; savepoint " + path);
            out.println("  resume: rtm job --cluster " + cluster + " --from-savepoint " + path);
            return 0;
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            while (c.getCause() != null && c.getMessage() != null && !c.getMessage().contains("savepoint")) {
                c = c.getCause();
            }
            throw new RtmException("could not stop " + jobId + " with a savepoint: " + firstLine(c.getMessage()));
        } catch (java.util.concurrent.TimeoutException e) {
            throw new RtmException("no savepoint of " + jobId + " within " + timeout.toSeconds() + " s; the job may still be running");
        }
    }

    private static String firstLine(String s) {
        return s == null ? "unknown reason" : s.lines().findFirst().orElse(s);
    }
}
