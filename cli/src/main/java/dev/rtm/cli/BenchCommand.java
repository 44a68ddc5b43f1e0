package dev.rtm.cli;

import dev.rtm.cli.bench.AlertingBench;
import dev.rtm.cli.bench.PipelineBench;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rtm bench}: end-to-end throughput and latency next to a COPY baseline; {@code --alerting}: scoring
 * with a hanging vs an answering alert channel, and notification latency; {@code --dashboards}: the Grafana queries.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure the pipeline on this machine: a real broker, the job (ewma, or --detectors) in a MiniCluster and "
                + "PostgreSQL (RTM_PG_URL or the machine's; schema rtm_bench, dropped and made again). Reports "
                + "sustained values/s end to end next to the COPY rate of the same rows in the same run, and "
                + "produce -> row latency p50/p99 at a steady rate. With --series: values/s, checkpoint bytes and heap per "
                + "live series at each count."})
final class BenchCommand implements Callable<Integer> {

    @Mixin
    HostOptions host = new HostOptions();

    @Spec
    CommandSpec spec;

    @Option(names = "--hosts", defaultValue = "50", paramLabel = "N", description = "simulated hosts (default: ${DEFAULT-VALUE})")
    int hosts;

    @Option(names = "--samples", defaultValue = "2000", paramLabel = "N", description = "samples per host, 5 values each (default: ${DEFAULT-VALUE})")
    int samples;

    @Option(names = {"--rates", "--rate"}, defaultValue = "1000", split = ",", paramLabel = "SAMPLES/S",
            description = "samples/s (5 values each) of the latency phases, one phase per rate, e.g. 1000,4000,10000 for 5k, 20k "
                    + "and 50k values/s (default: ${DEFAULT-VALUE})")
    List<Double> rates;

    @Option(names = "--flush-interval-ms", paramLabel = "MS",
            description = "the sink's flush interval in the run (default: postgres.flush-interval-ms's default, ${DEFAULT-VALUE})")
    int flushMillis = dev.rtm.host.config.HostSettings.Postgres.FLUSH.defaultValue();

    @Option(names = "--json", paramLabel = "FILE", description = "also write the results to FILE (JSON), for --compare")
    Path json;

    @Option(names = "--plot", paramLabel = "IMAGE",
            description = "also draw this run's results (latency against rate; with --series, values/s and bytes per series "
                    + "against the series count) to IMAGE (.png, .jpg, .gif or .bmp); with --from, draw those result files instead of running")
    Path plot;

    @Option(names = "--from", split = ",", paramLabel = "FILE",
            description = "with --plot: result files written by --json to draw, instead of running")
    List<Path> from;

    @Option(names = "--compare", arity = "2", paramLabel = "FILE",
            description = "instead: compare two result files written by --json (a, b and b / a per figure)")
    List<Path> compare;

    @Option(names = "--latency-seconds", defaultValue = "30", paramLabel = "SECONDS", description = "length of the latency phase, 0 to skip (default: ${DEFAULT-VALUE})")
    int seconds;

    @Option(names = "--detectors", defaultValue = "ewma", split = ",", paramLabel = "NAMES",
            description = "the detectors every series runs, e.g. ewma,arima,rcf: each value gives a raw row and a score row per "
                    + "detector, and the COPY baseline copies as many rows (default: ${DEFAULT-VALUE})")
    List<String> detectors;

    @Option(names = "--forecast-every", defaultValue = "0", paramLabel = "N",
            description = "with the throughput drain: the job also writes each model's forecast every N points of a series, "
                    + "job.forecast-horizon's default points ahead (as the default config does with 12), and the COPY baseline "
                    + "writes as many forecast rows; 0: no forecasts (default: ${DEFAULT-VALUE})")
    int forecastEvery;

    @Option(names = "--hostile", defaultValue = "0", paramLabel = "PER-GOOD",
            description = "also drain the same samples with PER-GOOD hostile records per good one among them (e.g. 1: as many; "
                    + "truncated Avro, no framing, unknown schema, NaN/infinite values, timestamps a century ahead, control "
                    + "characters in names, spread over the partitions), then clean again: good values/s beside them over the "
                    + "clean drains' (default: ${DEFAULT-VALUE}, no fuzz phase)")
    double hostile;

    @Option(names = "--warm-up", defaultValue = "2", paramLabel = "N",
            description = "drains of the same samples before the measured one, in the same JVM, so that it measures a running "
                    + "job's steady state and not the JIT compiling it (default: ${DEFAULT-VALUE})")
    int warmUps;

    @Option(names = "--kill-taskmanager",
            description = "instead: the throughput drain (ewma) on a standalone Flink cluster of the distribution's lib, undisturbed, "
                    + "then with its TaskManager killed (SIGKILL) once 40 %% of the rows are in and a checkpoint completed, and a new one started: rows "
                    + "lost or doubled, values/s of each drain and their ratio, the longest time without a commit")
    boolean killTaskManager;

    @Option(names = "--series", split = ",", paramLabel = "COUNTS",
            description = "instead: one job per count of live series (e.g. 1000,100000,1000000), each draining --points points a "
                    + "series and kept running: values/s end to end, the bytes of its checkpoint per series and the heap its "
                    + "state takes per series (after a full GC, job running, minus before)")
    List<Integer> series;

    @Option(names = "--points", defaultValue = "3", paramLabel = "N",
            description = "with --series: points per series (default: ${DEFAULT-VALUE})")
    int points;

    @Option(names = "--dashboards", paramLabel = "ROWS",
            description = "instead: load ROWS score rows (e.g. 10000000) into schema rtm_dash and time every Grafana "
                    + "dashboard query on them, and COPY ingest with vs without the indexes")
    Long dashboards;

    @Option(names = "--alerting",
            description = "instead: scoring values/s with an alert channel (the webhook plugin) whose receiver hangs every request "
                    + "vs answers 200, same data, same run (side by side, then one after the other), and notification latency p50/p99 "
                    + "from a spike's produce time to the receiver at the demo's rate, group-wait 0s (schema rtm_bench_alerting)")
    boolean alerting;

    @Option(names = "--attempt-timeout", defaultValue = "5s", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "with --alerting: the channel's attempt timeout; each hanging attempt is abandoned after it "
                    + "(default: ${DEFAULT-VALUE})")
    java.time.Duration attemptTimeout;

    @Option(names = "--alert-samples", defaultValue = "1000", paramLabel = "N",
            description = "with --alerting: samples per host (50 hosts x 10 metrics) drained by each throughput phase "
                    + "(default: ${DEFAULT-VALUE})")
    int alertSamples;

    @Option(names = "--pairs", defaultValue = "2", paramLabel = "N",
            description = "with --alerting: rounds of two jobs side by side, receiver up and hanging (default: ${DEFAULT-VALUE})")
    int pairs;

    @Option(names = "--rounds", defaultValue = "1", paramLabel = "N",
            description = "with --alerting: rounds of four jobs one after the other: up, hanging, hanging, up; with --hostile: "
                    + "rounds of a drain with hostile records then a clean one (default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--notify-seconds", defaultValue = "90", paramLabel = "SECONDS",
            description = "with --alerting: length of the latency phase, 0 to skip (default: ${DEFAULT-VALUE})")
    int notifySeconds;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        java.util.function.Consumer<String> say = line -> {
            out.println("rtm bench: " + line);
            out.flush();
        };
        List<String> report;
        if (compare != null) {
            for (Path f : compare) {
                if (!Files.isRegularFile(f)) {
                    throw new dev.rtm.host.RtmException("--compare: no file " + f);
                }
            }
            try {
                report = dev.rtm.cli.bench.BenchResult.compare(dev.rtm.cli.bench.BenchResult.read(compare.get(0)),
                        dev.rtm.cli.bench.BenchResult.read(compare.get(1)));
            } catch (java.io.IOException e) {
                throw new dev.rtm.host.RtmException("--compare: " + e.getMessage());
            }
            report.forEach(out::println);
            return 0;
        }
        if (from != null && plot == null) {
            throw new dev.rtm.host.RtmException("--from: give --plot IMAGE too (the result files are drawn, not run)");
        }
        if (plot != null) {
            dev.rtm.cli.report.ImageFiles.check(plot, "--plot"); // before any work
        }
        if (from != null) {
            List<dev.rtm.cli.bench.BenchPlot.Named> results = new java.util.ArrayList<>();
            for (Path f : from) {
                if (!Files.isRegularFile(f)) {
                    throw new dev.rtm.host.RtmException("--from: no file " + f);
                }
                try {
                    results.add(new dev.rtm.cli.bench.BenchPlot.Named(String.valueOf(f.getFileName()), dev.rtm.cli.bench.BenchResult.read(f)));
                } catch (java.io.IOException e) {
                    throw new dev.rtm.host.RtmException("--from: " + e.getMessage());
                }
            }
            out.println("rtm bench: drew " + String.join("; ", dev.rtm.cli.bench.BenchPlot.write(results, plot)) + " to " + plot);
            return 0;
        }
        if (!(hostile >= 0) || hostile > 100) {
            throw new dev.rtm.host.RtmException("--hostile: " + hostile + " is not a count of hostile records per good one (0 to 100)");
        }
        if (forecastEvery < 0) {
            throw new dev.rtm.host.RtmException("--forecast-every: " + forecastEvery + " is not a count of points (0: no forecasts)");
        }
        if (forecastEvery > 0 && (series != null || dashboards != null || alerting || killTaskManager)) {
            throw new dev.rtm.host.RtmException("--forecast-every: only with the throughput drain (not with --series, --dashboards, "
                    + "--alerting or --kill-taskmanager)");
        }
        if (warmUps < 0 || warmUps > 10) {
            throw new dev.rtm.host.RtmException("--warm-up: " + warmUps + " is not a count of warm-up drains (0 to 10)");
        }
        if (hostile > 0 && rounds < 1) {
            throw new dev.rtm.host.RtmException("--rounds: " + rounds + " is too few (1 or more)");
        }
        for (Double r : rates) {
            if (!(r > 0) || r > 20_000) {
                throw new dev.rtm.host.RtmException(
                        "--rates: " + r + " is not a rate this bench can hold (1 to 20000 samples/s: 20 series, millisecond timestamps)");
            }
        }
        if (dashboards != null) {
            Path root = Path.of(host.env.getOrDefault("RTM_HOME", "cli/target/rtm")).toAbsolutePath().getParent().getParent().getParent();
            report = new dev.rtm.cli.bench.DashboardBench(say).run(root.resolve("grafana"), host.env, dashboards);
        } else if (killTaskManager) {
            Path dist = Path.of(host.env.getOrDefault("RTM_HOME", "cli/target/rtm")).toAbsolutePath();
            if (!Files.isDirectory(dist.resolve("lib"))) {
                throw new dev.rtm.host.RtmException("--kill-taskmanager: no distribution at " + dist + " (its lib/ makes the cluster): "
                        + "run it through ./rtm, or set RTM_HOME");
            }
            Path plugins = host.resolvePluginsDir(host.loadConfig());
            report = dev.rtm.cli.bench.CrashBench.report(inWorkDir(work -> new dev.rtm.cli.bench.CrashBench(say).run(work, dist, plugins,
                    host.env, hosts, samples, flushMillis)));
        } else if (alerting) {
            AlertingBench.Plan d = AlertingBench.Plan.defaults();
            AlertingBench.Plan plan = new AlertingBench.Plan(d.hosts(), d.metrics(), alertSamples, pairs, rounds, d.spikeEvery(), attemptTimeout,
                    d.liveHosts(), d.liveMetrics(), d.interval(), java.time.Duration.ofSeconds(notifySeconds));
            Path plugins = host.resolvePluginsDir(host.loadConfig());
            report = inWorkDir(work -> new AlertingBench(say).run(work, plugins, host.env, plan));
        } else {
            if (series != null) {
                for (Integer n : series) {
                    if (n == null || n < 1) {
                        throw new dev.rtm.host.RtmException("--series: " + n + " is not a count of series (1 or more)");
                    }
                }
                if (hostile != 0) {
                    throw new dev.rtm.host.RtmException("--hostile: not with --series (the fuzz phase is the throughput phase's)");
                }
                if (points < 2) {
                    throw new dev.rtm.host.RtmException("--points: " + points + " is too few (2 or more: the rate is taken while rows flow)");
                }
            }
            Path plugins = host.resolvePluginsDir(host.loadConfig());
            dev.rtm.cli.bench.BenchResult result = inWorkDir(work -> series != null
                    ? new dev.rtm.cli.bench.SeriesBench(say).run(work, plugins, host.env, series, points, detectors, flushMillis)
                    : new PipelineBench(say).forecastEvery(forecastEvery).run(work, plugins, host.env, hosts, samples, rates, seconds,
                            flushMillis, detectors, hostile, rounds, warmUps));
            report = series != null ? dev.rtm.cli.bench.SeriesBench.report(result) : PipelineBench.report(result);
            if (json != null) {
                result.write(json);
                report = new java.util.ArrayList<>(report);
                report.add("results written to " + json + " (compare runs with: rtm bench --compare a.json b.json)");
            }
            if (plot != null) {
                report = new java.util.ArrayList<>(report);
                report.add("drew " + String.join("; ", dev.rtm.cli.bench.BenchPlot.write(
                        List.of(new dev.rtm.cli.bench.BenchPlot.Named("this run", result)), plot)) + " to " + plot);
            }
        }
        out.println();
        report.forEach(out::println);
        return 0;
    }

    /** What a bench does in its work dir. */
    @FunctionalInterface
    private interface InWorkDir<T> {
        T run(Path work) throws Exception;
    }

    /** Runs {@code body} in a fresh work dir (the broker's log, the checkpoints), deleted after it. */
    private static <T> T inWorkDir(InWorkDir<T> body) throws Exception {
        Path work = Files.createTempDirectory("rtm-bench-");
        try {
            return body.run(work);
        } finally {
            dev.rtm.cli.bench.SeriesBench.deleteTree(work);
        }
    }
}
