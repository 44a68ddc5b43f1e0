package dev.rtm.cli;

import dev.rtm.host.RtmException;
import dev.rtm.host.detect.BatchScorer;
import dev.rtm.host.detect.ConfiguredDetector;
import dev.rtm.host.detect.Scores;
import dev.rtm.cli.nab.DetectorScore;
import dev.rtm.cli.nab.NabChart;
import dev.rtm.cli.nab.NabScorer;
import dev.rtm.host.sink.NabSeries;
import dev.rtm.cli.nab.NabTables;
import dev.rtm.cli.report.ImageFiles;
import dev.rtm.cli.report.LabelTally;
import dev.rtm.cli.report.LabelWindows;
import dev.rtm.cli.report.PlotWriter;
import dev.rtm.host.sink.NabWriter;
import dev.rtm.host.sink.ResultCsvWriter;
import dev.rtm.host.source.CsvInput;
import dev.rtm.host.source.SeriesData;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code rtm replay}: runs detectors over CSV files, as a backtest. Per series, each selected
 * detector sees every point in time order, exactly as in the streaming job.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Run detectors over CSV files and report what they flag.",
            "INPUT is a 'timestamp,value' CSV, a long 'timestamp,host,metric,value' CSV, or a directory of "
                    + "them (a NAB root with data/<category>/<file>.csv works as is; its "
                    + "labels/combined_windows.json is used automatically)."})
final class ReplayCommand implements Callable<Integer> {

    @Mixin
    HostOptions host = new HostOptions();

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "INPUT", description = "CSV file or directory")
    Path input;

    @Option(names = {"-d", "--detectors"}, split = ",", paramLabel = "NAME",
            description = "detectors to run on every series (default: the config's select rules)")
    List<String> detectors;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", defaultValue = "rtm-replay/results.csv",
            description = "per-point results CSV, '-' for stdout (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--nab-out", paramLabel = "DIR",
            description = "also write NAB results: DIR/<detector>/<category>/<detector>_<file>.csv")
    Path nabOut;

    @Option(names = "--plot", paramLabel = "FILE.png",
            description = "draw values, bands and flags of every series, as PNG, JPEG, GIF or BMP as the extension says")
    Path plot;

    @Option(names = "--labels", paramLabel = "FILE",
            description = "NAB combined_windows.json: report label windows hit and flags outside them")
    Path labels;

    @Option(names = "--score",
            description = "score every detector as NAB does (standard / low FP / low FN, per file and category, "
                    + "thresholds optimised over all files) against the label windows; needs labels")
    boolean score;

    @Option(names = "--strict",
            description = "refuse to replay (exit 2) when a file of INPUT or a row could not be read; "
                    + "by default they are skipped with a warning and the rest is replayed")
    boolean strict;

    @Option(names = "--score-plot", paramLabel = "FILE.png",
            description = "with --score: the bar chart of the scores (default: nab-score.png beside --out)")
    Path scorePlot;

    @Override
    public Integer call() throws IOException {
        boolean resultsToStdout = out.toString().equals("-");
        PrintWriter report = resultsToStdout ? spec.commandLine().getErr() : spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (plot != null) {
            ImageFiles.check(plot, "--plot"); // refused now, not after the replay
        }
        if (scorePlot != null) {
            ImageFiles.check(scorePlot, "--score-plot");
        }
        try (HostContext ctx = HostContext.open(host, true)) {
            List<ConfiguredDetector> forced = detectors == null ? null : ctx.catalog.resolveAll(detectors);
            if (detectors != null) {
                java.util.Set<String> seen = new java.util.HashSet<>();
                detectors.stream().map(String::trim).filter(n -> !seen.add(n)).distinct()
                        .forEach(n -> err.println("rtm: warning: --detectors names '" + n + "' more than once; it runs once"));
            }
            LabelWindows windows = labelWindows(report);
            if (score && windows == null) {
                throw new RtmException("--score needs NAB label windows: give a NAB root with "
                        + "labels/combined_windows.json, or --labels FILE");
            }
            Map<String, List<NabSeries>> nabRows = new LinkedHashMap<>();
            CsvInput in = CsvInput.read(input);
            in.warnings().forEach(w -> err.println("rtm: warning: " + w));
            if (strict && (!in.skippedFiles().isEmpty() || in.skippedRows() > 0)) {
                throw new RtmException("--strict: " + in.skippedFiles().size() + " files and " + in.skippedRows()
                        + " rows of " + input + " could not be read (see the warnings above)");
            }

            Map<String, Totals> totals = new LinkedHashMap<>();
            List<String> failures = new ArrayList<>();
            PlotWriter plotter = plot == null ? null : new PlotWriter();
            NabWriter nab = nabOut == null ? null : new NabWriter(nabOut);
            int unselected = 0;
            long points = 0;
            long wallStart = System.nanoTime();
            try (ResultCsvWriter results = ResultCsvWriter.open(out)) {
                for (SeriesData s : in.series()) {
                    points += s.size();
                    List<ConfiguredDetector> ds = forced != null ? forced : ctx.catalog.select(s.key().host(), s.key().metric());
                    if (ds.isEmpty()) {
                        unselected++;
                        continue;
                    }
                    List<Scores> all = new ArrayList<>();
                    for (ConfiguredDetector d : ds) {
                        Scores sc = BatchScorer.score(d, s, all); // an ensemble combines its members in all
                        if (sc.failure() != null) {
                            failures.add(sc.failure());
                        }
                        totals.computeIfAbsent(d.name(), k -> new Totals()).add(s, sc, windows);
                        results.write(s, sc);
                        if (nab != null) {
                            nab.write(s, sc);
                        }
                        if (score) {
                            nabRows.computeIfAbsent(d.name(), k -> new ArrayList<>()).add(NabSeries.of(s, sc));
                        }
                        all.add(sc);
                    }
                    if (plotter != null) {
                        plotter.add(s, all, windows == null ? List.of() : windows.of(s.labelKey()));
                    }
                }
            }
            double wall = (System.nanoTime() - wallStart) / 1e9;
            if (plotter != null && plotter.size() > 0) {
                plotter.write(plot);
            }
            summary(report, in, points, totals, windows, unselected, wall);
            if (score) {
                nabScore(report, windows, nabRows, totals);
            }
            for (String f : failures) {
                err.println("rtm: detector failure: " + f);
            }
            return failures.isEmpty() ? 0 : 1;
        }
    }

    private void nabScore(PrintWriter r, LabelWindows windows, Map<String, List<NabSeries>> rows,
                          Map<String, Totals> totals) throws IOException {
        NabScorer scorer = new NabScorer(windows);
        List<DetectorScore> scores = new ArrayList<>();
        for (var e : rows.entrySet()) {
            Totals t = totals.get(e.getKey());
            try {
                scores.add(scorer.score(e.getKey(), e.getValue(), t.points, t.nanos));
            } catch (IllegalArgumentException ex) {
                throw new RtmException("cannot score as NAB: " + ex.getMessage());
            }
        }
        if (scores.isEmpty()) {
            return;
        }
        r.println();
        r.println("NAB score (0 = null detector, 100 = perfect; each profile's threshold chosen over all files, as NAB does):");
        PluginsCommand.table(r, NabTables.summary(scores), "");
        r.println();
        r.println("per category (normalised standard/low FP/low FN; raw standard score where a category has no windows):");
        PluginsCommand.table(r, NabTables.categories(scores), "");
        r.println();
        r.println("per file (standard profile, raw: about +1 per window caught at its start, -1 per window missed, "
                + "minus false positives; TP/FP = detected rows in/out of windows):");
        PluginsCommand.table(r, NabTables.files(scores), "");
        for (DetectorScore d : scores) {
            if (!d.skipped().isEmpty()) {
                r.println(d.detector() + ": not scored (no entry in the labels): " + String.join(", ", d.skipped()));
            }
        }
        Path png = scorePlot != null ? scorePlot
                : (out.toString().equals("-") || out.toAbsolutePath().getParent() == null ? Path.of("rtm-replay")
                        : out.toAbsolutePath().getParent()).resolve("nab-score.png");
        NabChart.write(scores, input.toAbsolutePath().normalize().getFileName().toString(), png);
        r.println("NAB score chart: " + png.toAbsolutePath());
        r.flush();
    }

    private LabelWindows labelWindows(PrintWriter report) {
        Path file = labels;
        if (file == null && Files.isDirectory(input)) {
            Path auto = input.resolve("labels").resolve("combined_windows.json");
            if (Files.isRegularFile(auto)) {
                file = auto;
            }
        }
        if (file == null) {
            return null;
        }
        if (!Files.isRegularFile(file)) {
            throw new RtmException("labels file " + file + " does not exist");
        }
        LabelWindows w = LabelWindows.read(file);
        report.println("labels: " + file);
        return w;
    }

    private void summary(PrintWriter r, CsvInput in, long points, Map<String, Totals> totals, LabelWindows windows,
                         int unselected, double wall) {
        r.printf(Locale.ROOT, "replayed %d series, %d points from %s in %.2f s%n", in.series().size(), points, input, wall);
        if (!in.skippedFiles().isEmpty()) {
            List<String> why = in.skippedFiles();
            r.println("input: " + why.size() + " files skipped: " + String.join("; ", why.subList(0, Math.min(3, why.size())))
                    + (why.size() > 3 ? "; ... (all in the warnings above)" : ""));
        }
        if (in.skippedRows() > 0 || in.droppedPoints() > 0) {
            r.printf(Locale.ROOT, "input: %d unreadable rows skipped, %d late or duplicate points dropped%n",
                    in.skippedRows(), in.droppedPoints());
        }
        if (unselected > 0) {
            r.println(unselected + " series matched no select rule and were not scored");
        }
        List<String[]> rows = new ArrayList<>();
        List<String> head = new ArrayList<>(List.of("MODEL", "SERIES", "POINTS", "FLAGGED", "FLAGGED%", "POINTS/S", "MASE"));
        if (windows != null) {
            head.addAll(List.of("WINDOWS HIT", "FLAGS IN WINDOWS", "FLAGS OUTSIDE"));
        }
        rows.add(head.toArray(String[]::new));
        for (var e : totals.entrySet()) {
            Totals t = e.getValue();
            List<String> row = new ArrayList<>(List.of(e.getKey(), String.valueOf(t.series), String.valueOf(t.points),
                    String.valueOf(t.flagged), String.format(Locale.ROOT, "%.2f%%", t.points == 0 ? 0.0 : 100.0 * t.flagged / t.points),
                    rate(t.points, t.nanos), t.maseSeries == 0 ? "-" : String.format(Locale.ROOT, "%.3f", t.maseSum / t.maseSeries)));
            if (windows != null) {
                LabelTally l = t.labels;
                row.add(l.windows() == 0 ? "-" : String.format(Locale.ROOT, "%d/%d (%.0f%%)", l.windowsHit(), l.windows(),
                        100.0 * l.windowsHit() / l.windows()));
                row.add(String.valueOf(l.flagsInside()));
                row.add(String.valueOf(l.flagsOutside()));
            }
            rows.add(row.toArray(String[]::new));
        }
        PluginsCommand.table(r, rows, "");
        r.println("POINTS/S counts time inside the detector plugin only. MASE: per series, mean |value - expected| "
                + "over mean |value - previous value| on points with an expectation, averaged over series "
                + "(< 1 beats the last-value forecast).");
        r.println("results: " + (out.toString().equals("-") ? "stdout" : out.toAbsolutePath()));
        if (nabOut != null) {
            r.println("NAB results: " + nabOut.toAbsolutePath());
        }
        if (plot != null) {
            r.println("plot: " + plot.toAbsolutePath());
        }
        r.flush();
    }

    private static String rate(long points, long nanos) {
        if (nanos <= 0) {
            return "-";
        }
        double perSec = points / (nanos / 1e9);
        return perSec >= 1e6 ? String.format(Locale.ROOT, "%.1fM", perSec / 1e6)
                : perSec >= 1e3 ? String.format(Locale.ROOT, "%.1fk", perSec / 1e3)
                : String.format(Locale.ROOT, "%.0f", perSec);
    }

    private static final class Totals {
        int series;
        long points;
        long flagged;
        long nanos;
        double maseSum;
        int maseSeries;
        final LabelTally labels = new LabelTally();

        void add(SeriesData s, Scores sc, LabelWindows windows) {
            series++;
            points += sc.scored();
            flagged += sc.flagged();
            nanos += sc.nanos();
            double error = 0;
            double naive = 0;
            for (int i = 1; i < sc.scored(); i++) {
                if (!Double.isNaN(sc.expected(i))) {
                    error += Math.abs(s.value(i) - sc.expected(i));
                    naive += Math.abs(s.value(i) - s.value(i - 1));
                }
            }
            if (naive > 0) {
                maseSum += error / naive;
                maseSeries++;
            }
            if (windows != null) {
                labels.add(s, sc, windows);
            }
        }
    }
}
