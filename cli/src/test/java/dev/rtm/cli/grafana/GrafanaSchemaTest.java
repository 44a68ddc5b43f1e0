package dev.rtm.cli.grafana;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every dashboard against Grafana's dashboard schema, as the Grafana Foundation SDK
 * (npm {@code @grafana/grafana-foundation-sdk}, Apache-2.0, pinned with TypeScript in
 * grafana/schema-check/package-lock.json) types it: grafana/schema-check/check.mjs compiles each
 * dashboard JSON as {@code <JSON> satisfies Dashboard} and prints each error as file, line, JSON path
 * and reason. The packages are installed with {@code npm ci} under target/ (node_modules stays out of
 * the tree). Without node and npm the test is skipped with that message; with
 * {@code RTM_REQUIRE_NODE=1} (CI) the skip is a failure.
 */
class GrafanaSchemaTest {

    static final Path SOURCE = Path.of("..", "grafana", "schema-check");
    static final Path WORK = Path.of("target", "grafana-schema-check");
    static final List<String> FILES = List.of("package.json", "package-lock.json", "check.mjs", "dashboard-schema.ts");

    @BeforeAll
    static void install() throws Exception {
        boolean node = runs("node", "--version") && runs("npm", "--version");
        if (!node && "1".equals(System.getenv("RTM_REQUIRE_NODE"))) {
            fail("node and npm are needed to check the dashboards against Grafana's schema (RTM_REQUIRE_NODE=1: a skip is a failure here)");
        }
        assumeTrue(node, "node and npm are not installed: the dashboards were NOT checked against Grafana's schema "
                + "(apt-get install nodejs npm, then run this test again)");
        Files.createDirectories(WORK);
        boolean fresh = Files.exists(WORK.resolve("node_modules/.package-lock.json"))
                && Arrays.equals(Files.readAllBytes(SOURCE.resolve("package-lock.json")), read(WORK.resolve("package-lock.json")));
        for (String f : FILES) {
            Files.copy(SOURCE.resolve(f), WORK.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        if (!fresh) {
            Run npm = run(WORK, 10, "npm", "ci", "--no-audit", "--no-fund", "--prefer-offline");
            assertThat(npm.exit).as("npm ci in %s:\n%s", WORK, npm.output).isZero();
        }
    }

    @Test
    void everyDashboardFitsGrafanasDashboardSchema() throws Exception {
        List<String> args = new ArrayList<>(List.of("node", "check.mjs", "work"));
        try (var files = Files.list(Path.of("..", "grafana", "dashboards"))) {
            files.filter(p -> p.toString().endsWith(".json")).sorted().forEach(p -> args.add(p.toAbsolutePath().normalize().toString()));
        }
        Run check = run(WORK, 5, args.toArray(String[]::new));
        assertThat(check.output).as("the schema check's report").contains("checked " + (args.size() - 3) + " dashboard(s) against "
                + "@grafana/grafana-foundation-sdk v0.0.21 with TypeScript 5.9.3: 0 problem(s)");
        assertThat(check.exit).as(check.output).isZero();
    }

    @Test
    void aDashboardThatDoesNotFitIsRejectedWithFileLineAndJsonPath() throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode d = (ObjectNode) json.readTree(Path.of("..", "grafana", "dashboards", "fleet.json").toFile());
        d.put("schemaVersion", "39");                                                          // a string, not a number
        ((ObjectNode) d.path("panels").get(1).path("gridPos")).put("w", "12");                 // a string in gridPos
        ((ObjectNode) d.path("panels").get(0)).put("titel", "x");                              // no such panel field
        ((ObjectNode) d.path("templating").path("list").get(0)).put("refresh", 7);             // outside VariableRefresh
        ((ObjectNode) d.path("panels").get(2)).put("type", "tabel");                           // no such panel plugin
        Path bad = WORK.resolve("bad-fleet.json").toAbsolutePath();
        json.writerWithDefaultPrettyPrinter().writeValue(bad.toFile(), d);

        Run check = run(WORK, 5, "node", "check.mjs", "work", bad.toString());
        assertThat(check.exit).as(check.output).isEqualTo(1);
        List<String> lines = check.output.lines().filter(l -> l.startsWith(bad.toString())).map(l -> l.substring(bad.toString().length()))
                .toList();
        assertThat(lines).as(check.output).hasSize(5)
                .anyMatch(l -> l.matches(":\\d+:\\d+: \\$\\.schemaVersion: Type 'string' is not assignable to type 'number'\\."))
                .anyMatch(l -> l.matches(":\\d+:\\d+: \\$\\.panels\\[1]\\.gridPos\\.w: Type 'string' is not assignable to type 'number'\\."))
                .anyMatch(l -> l.matches(":\\d+:\\d+: \\$\\.panels\\[0]\\.titel: Object literal may only specify known properties.*"))
                .anyMatch(l -> l.matches(":\\d+:\\d+: \\$\\.templating\\.list\\[0]\\.refresh: Type '7' is not assignable to type 'VariableRefresh.*"))
                .anyMatch(l -> l.matches(":\\d+:\\d+: \\$\\.panels\\[2]\\.type: Type '\"tabel\"' is not assignable to .*Did you mean '\"table\"'\\?"));
        String gridLine = lines.stream().filter(l -> l.contains("gridPos.w")).findFirst().orElseThrow();
        int line = Integer.parseInt(gridLine.split(":")[1]);
        assertThat(Files.readAllLines(bad).get(line - 1)).as("the reported line of the JSON file").contains("\"w\" : \"12\"");
        assertThat(check.output).contains("1 dashboard(s)").contains(": 5 problem(s)");
    }

    private record Run(int exit, String output) {
    }

    private static Run run(Path dir, int minutes, String... command) throws Exception {
        Path log = Files.createTempFile(Files.createDirectories(Path.of("target")), "grafana-schema-check", ".log");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
                fail(String.join(" ", command) + " did not finish in " + minutes + " min:\n" + Files.readString(log));
            }
            return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            p.destroyForcibly();
            Files.deleteIfExists(log);
        }
    }

    private static boolean runs(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            boolean done = p.waitFor(1, TimeUnit.MINUTES);
            p.destroyForcibly();
            return done && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static byte[] read(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
    }
}
