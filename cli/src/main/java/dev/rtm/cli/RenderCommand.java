package dev.rtm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rtm.host.RtmException;
import dev.rtm.cli.report.ImageFiles;
import dev.rtm.host.source.Timestamps;
import dev.rtm.render.DashboardRenderer;
import dev.rtm.render.RenderException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rtm render}: a Grafana dashboard drawn to PNG from the database, without Grafana. */
@Command(name = "render", mixinStandardHelpOptions = true,
        description = {"Draw one of rtm's Grafana dashboards as a PNG, without Grafana: the dashboard's own variable "
                + "and panel SQL run against the PostgreSQL --pg-url names (else postgres.url of the config, else RTM_PG_URL, "
                + "else the machine's, as rtm demo uses), laid out on its grid. For reports, and for a look when Grafana is not at hand."})
final class RenderCommand implements Callable<Integer> {

    @Mixin
    HostOptions host = new HostOptions();

    @Mixin
    DatabaseOptions db = new DatabaseOptions();

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DASHBOARD",
            description = "fleet, host, model-comparison, forecast (a file under grafana/dashboards), or a path to a dashboard JSON")
    String dashboard;

    @Option(names = "--last", defaultValue = "6h", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "range ending at --to (default: ${DEFAULT-VALUE})")
    Duration last;

    @Option(names = "--to", paramLabel = "TIME",
            description = "end of the range: 2026-12-02T02:45:00 or '2026-12-02 02:45:00' (local time), with a zone "
                    + "(Z, +01:00), or epoch seconds/ms, as replay reads timestamps (default: now)")
    String to;

    @Option(names = "--var", paramLabel = "NAME=V[,V...]",
            description = "a template variable's value(s); others as Grafana defaults them (all values / the first)")
    List<String> vars = List.of();

    @Option(names = "--width", defaultValue = "1600", paramLabel = "PIXELS", description = "image width in pixels (default: ${DEFAULT-VALUE})")
    int width;

    @Option(names = "--out", paramLabel = "FILE", description = "image to write, PNG, JPEG, GIF or BMP as the extension says (default: DASHBOARD.png)")
    Path out;

    @Override
    public Integer call() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        Path file = resolve(dashboard);
        JsonNode json;
        try {
            json = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new RtmException(file + " is not a dashboard JSON: " + e.getMessage());
        }
        List<String> known = new ArrayList<>();
        json.path("templating").path("list").forEach(v -> known.add(v.path("name").asText()));
        Map<String, List<String>> overrides = new LinkedHashMap<>();
        for (String v : vars) {
            int eq = v.indexOf('=');
            if (eq <= 0) {
                throw new RtmException("--var '" + v + "' is not NAME=VALUE");
            }
            String name = v.substring(0, eq);
            if (!known.contains(name)) {
                throw new RtmException("--var " + name + ": dashboard " + file.getFileName() + " has no variable '" + name
                        + "'; " + (known.isEmpty() ? "it has none" : "its variables: " + String.join(", ", known)));
            }
            overrides.put(name, Arrays.asList(v.substring(eq + 1).split(",")));
        }
        Instant end = endOfRange();
        Path target = out != null ? out : Path.of(file.getFileName().toString().replaceFirst("\\.json$", "") + ".png");
        ImageFiles.check(target, "--out"); // refused before connecting
        w.println("rtm render: range " + Timestamps.display(end.minus(last)) + " to " + Timestamps.display(end)
                + (to == null ? " (now)" : " (--to " + to.strip() + (zoneLess(to) ? ", a time without a zone read in " + zone() : "")
                        + ")"));
        try (Connection c = connect(w)) {
            var rendered = DashboardRenderer.render(c, json, end.minus(last), end, overrides, width);
            var img = rendered.image();
            ImageFiles.write(img, target, "--out");
            rendered.rowsByPanel().forEach((panel, rows) -> w.println("rtm render: " + rows + " rows  " + panel));
            w.println("rtm render: wrote " + target + " (" + img.getWidth() + "x" + img.getHeight() + ")");
        } catch (SQLException e) {
            throw new RtmException("rendering " + file.getFileName() + " failed: " + e.getMessage());
        } catch (RenderException e) {
            throw new RtmException(e.getMessage());
        }
        return 0;
    }

    private ZoneId zone() {
        return ZoneId.systemDefault();
    }

    /** Whether a valid {@code --to} names no zone (it then means different instants in different zones). */
    private static boolean zoneLess(String time) {
        return !Timestamps.parseLocal(time, java.time.ZoneOffset.UTC).equals(Timestamps.parseLocal(time, java.time.ZoneOffset.ofHours(1)));
    }

    private Instant endOfRange() {
        if (to == null) {
            return Instant.now();
        }
        try {
            return Timestamps.parseLocal(to, zone());
        } catch (IllegalArgumentException e) {
            throw new RtmException("--to '" + to + "' is not a time: give 2026-12-02T02:45:00 or '2026-12-02 02:45:00' "
                    + "(local time, " + zone() + "), 2026-12-02T01:45:00Z, +01:00 offsets, or epoch seconds");
        }
    }

    private Path resolve(String name) {
        Path p = Path.of(name);
        if (Files.isRegularFile(p)) {
            return p;
        }
        Path home = Path.of(host.env.getOrDefault("RTM_HOME", System.getProperty("rtm.home", "cli/target/rtm"))).toAbsolutePath();
        for (Path dir = home; dir != null; dir = dir.getParent()) {
            Path f = dir.resolve("grafana").resolve("dashboards").resolve(name + ".json");
            if (Files.isRegularFile(f)) {
                return f;
            }
        }
        throw new RtmException("no dashboard '" + name + "': give fleet, host, model-comparison, forecast or a path to a JSON file");
    }

    private Connection connect(PrintWriter w) {
        return Database.connect(host, db, line -> w.println("rtm render: " + line));
    }
}
