package dev.rtm.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rtm.host.RtmException;
import dev.rtm.host.source.Timestamps;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Anomaly windows in NAB's {@code combined_windows.json} format:
 * {@code {"realKnownCause/nyc_taxi.csv": [["2014-10-30 15:30:00.000000", "2014-11-03 22:30:00.000000"], ...]}}.
 */
public final class LabelWindows {

    private final Map<String, List<long[]>> windows;

    private LabelWindows(Map<String, List<long[]>> windows) {
        this.windows = windows;
    }

    /** Reads a windows file; a malformed one is refused naming the entry. */
    public static LabelWindows read(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new RtmException("cannot read labels " + file + ": " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new RtmException("labels " + file + ": expected an object of file name to windows");
        }
        Map<String, List<long[]>> out = new LinkedHashMap<>();
        for (var it = root.fields(); it.hasNext(); ) {
            var e = it.next();
            List<long[]> ws = new ArrayList<>();
            if (!e.getValue().isArray()) {
                throw new RtmException("labels " + file + ": entry '" + e.getKey() + "' is not a list of windows");
            }
            for (JsonNode w : e.getValue()) {
                if (!w.isArray() || w.size() != 2) {
                    throw new RtmException("labels " + file + ": entry '" + e.getKey() + "' has a window that is not [start, end]");
                }
                try {
                    ws.add(new long[] {Timestamps.parse(w.get(0).asText()), Timestamps.parse(w.get(1).asText())});
                } catch (IllegalArgumentException ex) {
                    throw new RtmException("labels " + file + ": entry '" + e.getKey() + "': " + ex.getMessage());
                }
            }
            out.put(e.getKey(), ws);
        }
        return new LabelWindows(out);
    }

    /** Whether the file has an entry for that key (an entry may have no windows). */
    public boolean has(String key) {
        return key != null && windows.containsKey(key);
    }

    /** Windows of a series as [start, end] epoch millis; empty when none. */
    public List<long[]> of(String key) {
        return key == null ? List.of() : windows.getOrDefault(key, List.of());
    }
}
