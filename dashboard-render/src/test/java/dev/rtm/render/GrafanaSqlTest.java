package dev.rtm.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link GrafanaSql} against Grafana's PostgreSQL data source documentation: the macro table of the
 * query editor page and the data source's in-editor help, with the time range of their examples
 * (2017-04-21T05:01:17Z to 05:06:17Z), plus TimescaleDB's {@code time_bucket} form (configure page:
 * "When enabled, Grafana uses time_bucket in the $__timeGroup macro").
 */
class GrafanaSqlTest {

    static final Instant FROM = Instant.parse("2017-04-21T05:01:17Z");
    static final Instant TO = Instant.parse("2017-04-21T05:06:17Z");

    static String expand(String sql) {
        return GrafanaSql.expand(sql, Map.of(), Set.of(), FROM, TO, "5m");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "$__time(dateColumn)                       | dateColumn AS \"time\"",
        "$__timeEpoch(dateColumn)                  | extract(epoch from dateColumn) as \"time\"",
        "$__timeFilter(dateColumn)                 | dateColumn BETWEEN '2017-04-21T05:01:17Z' AND '2017-04-21T05:06:17Z'",
        "$__timeFrom()                             | '2017-04-21T05:01:17Z'",
        "$__timeTo()                               | '2017-04-21T05:06:17Z'",
        "$__timeGroup(dateColumn,'5m')             | floor(extract(epoch from dateColumn)/300)*300",
        "$__timeGroup(dateColumn,'5m', 0)          | floor(extract(epoch from dateColumn)/300)*300",
        "$__timeGroup(dateColumn,'5m', NULL)       | floor(extract(epoch from dateColumn)/300)*300",
        "$__timeGroup(dateColumn,'5m', previous)   | floor(extract(epoch from dateColumn)/300)*300",
        "$__timeGroupAlias(dateColumn,'5m')        | floor(extract(epoch from dateColumn)/300)*300 AS \"time\"",
        "$__unixEpochFilter(dateColumn)            | dateColumn >= 1492750877 AND dateColumn <= 1492751177",
        "$__unixEpochFrom()                        | 1492750877",
        "$__unixEpochTo()                          | 1492751177",
        "$__unixEpochNanoFilter(dateColumn)        | dateColumn >= 1492750877000000000 AND dateColumn <= 1492751177000000000",
        "$__unixEpochNanoFrom()                    | 1492750877000000000",
        "$__unixEpochNanoTo()                      | 1492751177000000000",
        "$__unixEpochGroup(dateColumn,'5m')        | floor((dateColumn)/300)*300",
        "$__unixEpochGroupAlias(dateColumn,'5m')   | floor((dateColumn)/300)*300 AS \"time\"",
        // the interval as the panel's $__interval gives it (unquoted), sub-second and week-long
        "$__timeGroupAlias(time, $__interval)      | floor(extract(epoch from time)/300)*300 AS \"time\"",
        "$__timeGroup(time, 200ms)                 | floor(extract(epoch from time)/0.2)*0.2",
        "$__timeGroup(time, 1w)                    | floor(extract(epoch from time)/604800)*604800",
        "$__timeGroup(time, 2w)                    | floor(extract(epoch from time)/1.2096e+06)*1.2096e+06",
        "WHERE $__interval_ms < 60000 -- $__interval | WHERE 300000 < 60000 -- 5m",
    })
    void macrosExpandAsDocumented(String macro, String expected) {
        assertThat(expand(macro)).isEqualTo(expected);
    }

    @Test
    void withTimescaleDbTimeGroupIsTimeBucket() {
        assertThat(GrafanaSql.expand("SELECT $__timeGroupAlias(time, $__interval), avg(v)", Map.of(), Set.of(), FROM, TO, "5m", true))
                .isEqualTo("SELECT time_bucket('300.000s',time) AS \"time\", avg(v)");
        assertThat(GrafanaSql.expand("$__timeGroup(time, '200ms')", Map.of(), Set.of(), FROM, TO, "5m", true))
                .isEqualTo("time_bucket('0.200s',time)");
        assertThat(GrafanaSql.expand("$__timeFilter(time)", Map.of(), Set.of(), FROM, TO, "5m", true))
                .as("only the group macros differ").isEqualTo(expand("$__timeFilter(time)"));
    }

    @Test
    void timeGroupFollowedByACommaGetsTheAliasAsBeforeGrafana53() {
        assertThat(expand("SELECT $__timeGroup(time, '5m'), avg(v) FROM t GROUP BY 1"))
                .isEqualTo("SELECT floor(extract(epoch from time)/300)*300 AS \"time\", avg(v) FROM t GROUP BY 1");
        assertThat(expand("GROUP BY $__timeGroup(time, '5m')")).isEqualTo("GROUP BY floor(extract(epoch from time)/300)*300");
    }

    @Test
    void timesKeepTheirFractionWithoutTrailingZerosAsGoPrintsThem() {
        Instant from = Instant.parse("2017-04-21T05:01:17.120Z");
        assertThat(GrafanaSql.expand("$__timeFrom()", Map.of(), Set.of(), from, TO, "5m")).isEqualTo("'2017-04-21T05:01:17.12Z'");
        assertThat(GrafanaSql.rfc3339(Instant.parse("2017-04-21T05:01:17.000000001Z"))).isEqualTo("2017-04-21T05:01:17.000000001Z");
        assertThat(GrafanaSql.goFloat(0.0001)).isEqualTo("0.0001");
        assertThat(GrafanaSql.goFloat(86_400)).isEqualTo("86400");
        assertThat(GrafanaSql.goFloat(1_000_000)).isEqualTo("1e+06");
    }

    @Test
    void variablesAreQuotedAsTheSqlDataSourcesQuoteThem() {
        Map<String, List<String>> vars = Map.of("host", List.of("o'k"), "metric", List.of("cpu"), "model", List.of("ewma", "a'b"));
        assertThat(GrafanaSql.expand("host = '$host' AND metric = '${metric}' AND model IN ($model) AND x = $metrics",
                vars, Set.of("model"), FROM, TO, "5m"))
                .as("single value: quotes doubled, no quotes added; multi-value: quoted, joined; $metrics is no variable")
                .isEqualTo("host = 'o''k' AND metric = 'cpu' AND model IN ('ewma','a''b') AND x = $metrics");
        assertThat(GrafanaSql.expand("model IN ($model)", Map.of("model", List.of("ewma")), Set.of("model"), FROM, TO, "5m"))
                .as("a multi-value variable with one value is still quoted").isEqualTo("model IN ('ewma')");
        assertThatThrownBy(() -> GrafanaSql.expand("${model:csv}", vars, Set.of("model"), FROM, TO, "5m"))
                .hasMessageContaining("${model:csv}");
    }

    @Test
    void unknownMacrosAndBadArgumentsFailAsInGrafana() {
        assertThatThrownBy(() -> expand("$__timeFiltr(time)")).hasMessage("unknown macro \"__timeFiltr\"");
        assertThatThrownBy(() -> expand("$__timeGroup(time)")).hasMessageContaining("needs time column and interval");
        assertThatThrownBy(() -> expand("$__timeGroup(time, '5m', zero)")).hasMessage("error parsing fill value zero");
        assertThatThrownBy(() -> expand("$__timeGroup(time, 'five')")).hasMessage("error parsing interval 'five'");
        assertThatThrownBy(() -> expand("$__timeFilter()")).hasMessageContaining("missing time column");
    }

    @Test
    void macrosAndVariablesExpandAsGrafanaExpandsThem() {
        Instant from = Instant.parse("2026-01-01T00:00:00Z");
        Instant to = Instant.parse("2026-01-01T06:00:00Z");
        String sql = "SELECT $__timeGroupAlias(time, $__interval), v FROM t WHERE $__timeFilter(time) "
                + "AND host = '$host' AND metric IN ($metric) AND model IN (${model})";
        assertThat(GrafanaSql.expand(sql, Map.of("host", List.of("web-1"), "metric", List.of("cpu"),
                "model", List.of("ewma", "o'k")), Set.of("metric", "model"), from, to, "5m"))
                .isEqualTo("SELECT floor(extract(epoch from time)/300)*300 AS \"time\", v FROM t WHERE time BETWEEN "
                        + "'2026-01-01T00:00:00Z' AND '2026-01-01T06:00:00Z' AND host = 'web-1' AND metric IN ('cpu') "
                        + "AND model IN ('ewma','o''k')");
    }

    /** As Grafana picks it for a full-width panel (1500 px). */
    @Test
    void intervalFollowsTheRangeAndThePanelWidthLikeGrafanas() {
        assertThat(GrafanaSql.interval(Duration.ofHours(6), 1500)).isEqualTo("15s");
        assertThat(GrafanaSql.interval(Duration.ofHours(24), 1500)).isEqualTo("1m");
        assertThat(GrafanaSql.interval(Duration.ofDays(30), 1500)).isEqualTo("30m");
        assertThat(GrafanaSql.interval(Duration.ofDays(365), 1500)).isEqualTo("6h");
    }

    @Test
    void intervalInMillisecondsExpandsLikeGrafanas() {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        assertThat(GrafanaSql.expand("WHERE $__interval_ms < 60000 -- $__interval", Map.of(), Set.of(), t, t, "2h"))
                .isEqualTo("WHERE 7200000 < 60000 -- 2h");
        assertThat(GrafanaSql.millis("10s")).isEqualTo(10_000);
        assertThat(GrafanaSql.millis("5m")).isEqualTo(300_000);
        assertThat(GrafanaSql.millis("1d")).isEqualTo(86_400_000);
    }

    /** Every query of the PostgreSQL dashboards uses only these macros, both with and without TimescaleDB. */
    @Test
    void everyDashboardQueryExpandsWithoutAnUnknownMacro() throws Exception {
        List<String> checked = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("..", "grafana", "dashboards"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                JsonNode d = new ObjectMapper().readTree(file.toFile());
                List<String> queries = new ArrayList<>();
                d.path("templating").path("list").forEach(v -> queries.add(v.path("query").asText()));
                d.path("annotations").path("list").forEach(a -> queries.add(a.path("target").path("rawSql").asText()));
                d.path("panels").forEach(p -> p.path("targets").forEach(t -> queries.add(t.path("rawSql").asText())));
                Map<String, List<String>> vars = new java.util.HashMap<>();
                d.path("templating").path("list").forEach(v -> vars.put(v.path("name").asText(), List.of("x")));
                for (String q : queries) {
                    if (q.isEmpty() || d.path("panels").get(0).path("datasource").path("type").asText().equals("prometheus")) {
                        continue;
                    }
                    for (boolean timescaledb : new boolean[] {false, true}) {
                        String sql = GrafanaSql.expand(q, vars, Set.of(), FROM, TO, "5m", timescaledb);
                        assertThat(sql).as(file.getFileName() + ": no $ left in\n" + sql).doesNotContain("$");
                    }
                    checked.add(file.getFileName().toString());
                }
            }
        }
        assertThat(checked).contains("fleet.json", "host.json", "model-comparison.json", "forecast.json");
    }
}
