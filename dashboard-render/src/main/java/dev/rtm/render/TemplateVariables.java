package dev.rtm.render;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A dashboard's template variables with the values a render uses, in the dashboard's order: the
 * values given, else as Grafana defaults them (all values of a multi-value variable, the first of
 * a single-value one), each variable's query run with the variables before it already set.
 *
 * @param values the values of each variable
 * @param multi the multi-value (or include-All) variables, which {@link GrafanaSql} quotes as a list
 */
record TemplateVariables(Map<String, List<String>> values, Set<String> multi) {

    /**
     * @throws RenderException when a variable has no values: its query found no data in the range
     */
    static TemplateVariables resolve(Connection c, JsonNode dashboard, Map<String, List<String>> overrides,
                                     Instant from, Instant to) throws SQLException {
        Map<String, List<String>> vars = new LinkedHashMap<>();
        Set<String> multi = new HashSet<>();
        for (JsonNode v : dashboard.path("templating").path("list")) {
            String name = v.path("name").asText();
            boolean isMulti = v.path("multi").asBoolean();
            List<String> values = overrides.containsKey(name) ? overrides.get(name)
                    : QueryResult.firstColumn(c, GrafanaSql.expand(v.path("query").asText(), vars, multi, from, to, "1m"));
            if (values.isEmpty()) {
                throw new RenderException("dashboard variable $" + name + " has no values between "
                        + from.truncatedTo(ChronoUnit.SECONDS) + " and " + to.truncatedTo(ChronoUnit.SECONDS)
                        + ": is there data in that range?");
            }
            if (isMulti) {
                multi.add(name);
            }
            vars.put(name, isMulti ? values : List.of(values.get(0)));
        }
        return new TemplateVariables(vars, multi);
    }
}
