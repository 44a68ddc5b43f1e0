package dev.rtm.render;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each panel goes on Grafana's grid (24 columns, rows of 30 px plus margin): its
 * {@code gridPos}, a panel with {@code repeat} once per value of its variable (stacked, each with
 * that one value) and the panels below it moved down.
 */
final class GridLayout {

    /** Pixels per grid row: Grafana's 30 px plus margin. */
    static final int ROW_PX = 34;
    static final int COLUMNS = 24;

    /**
     * A panel at its place, in grid units.
     *
     * @param vars the variables as this copy of the panel sees them (one value of a repeat variable)
     */
    record Placed(JsonNode panel, int x, int y, int w, int h, Map<String, List<String>> vars) {
    }

    private GridLayout() {
    }

    static List<Placed> place(JsonNode dashboard, Map<String, List<String>> vars) {
        List<Placed> out = new ArrayList<>();
        int shift = 0;
        for (JsonNode p : dashboard.path("panels")) {
            JsonNode gp = p.path("gridPos");
            int x = gp.path("x").asInt();
            int y = gp.path("y").asInt() + shift;
            int w = gp.path("w").asInt(COLUMNS);
            int h = gp.path("h").asInt(8);
            String repeat = p.path("repeat").asText("");
            if (repeat.isEmpty() || !vars.containsKey(repeat)) {
                out.add(new Placed(p, x, y, w, h, vars));
                continue;
            }
            List<String> values = vars.get(repeat);
            for (int i = 0; i < values.size(); i++) {
                Map<String, List<String>> one = new LinkedHashMap<>(vars);
                one.put(repeat, List.of(values.get(i)));
                out.add(new Placed(p, x, y + i * h, w, h, one));
            }
            shift += (values.size() - 1) * h;
        }
        return out;
    }

    /** Grid rows the placed panels take. */
    static int rows(List<Placed> placed) {
        return placed.stream().mapToInt(p -> p.y() + p.h()).max().orElse(1);
    }
}
