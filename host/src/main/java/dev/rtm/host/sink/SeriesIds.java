package dev.rtm.host.sink;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The series dictionary ({@code series} and {@code models} in {@code sql/init.sql}) as one sink
 * writer knows it: the integer ids the raw and score tables are keyed by, learned from the database
 * and kept for the writer's life (a series' id never changes).
 *
 * <p>A table writes each row's ids through {@link CopyBuffer#series} and {@link CopyBuffer#model}.
 * An id not known yet is written as a placeholder and noted with its place in the batch; the
 * writer's next flush calls {@link #resolve}, which registers every noted series and model in one
 * round trip each, learns their ids and writes them into their places before the batch is COPYed.
 * So a series costs the database one registration, in the flush of the first batch that holds it,
 * and nothing afterwards; and no row object is held past its {@code write} (the job reuses them).
 *
 * <p>Registration is an upsert in sorted order, so writers registering the same new series at once
 * neither fail nor deadlock; they all learn the same id. Not thread-safe: one per sink writer.
 */
public final class SeriesIds {

    /** Not known yet (noted for {@link #resolve}). */
    public static final int UNKNOWN = -1;

    /** A placeholder in a batch: where an unknown id goes, and whose id it is (a model's: its name in host, metric null). */
    private record Place(int at, String host, String metric) {
    }

    /** host → metric → id (no key string built per row). */
    private final Map<String, Map<String, Integer>> series = new HashMap<>();
    private final Map<String, Integer> models = new HashMap<>();
    /** Asked for and not known yet (host → metrics); the INSERT orders them, so every writer locks in one order. */
    private final Map<String, Set<String>> missingSeries = new HashMap<>();
    private final Set<String> missingModels = new HashSet<>();
    private final List<Place> places = new ArrayList<>();

    /** The id of the series {@code host}/{@code metric}, or {@link #UNKNOWN} (noted for {@link #resolve}). */
    public int series(String host, String metric) {
        Map<String, Integer> metrics = series.get(host);
        Integer id = metrics == null ? null : metrics.get(metric);
        if (id != null) {
            return id;
        }
        missingSeries.computeIfAbsent(host, h -> new HashSet<>()).add(metric);
        return UNKNOWN;
    }

    /** The id of the model {@code name}, or {@link #UNKNOWN} (noted for {@link #resolve}). */
    public int model(String name) {
        Integer id = models.get(name);
        if (id != null) {
            return id;
        }
        missingModels.add(name);
        return UNKNOWN;
    }

    /**
     * The id of the series, or {@link #UNKNOWN} noted together with {@code at}, the offset in the
     * batch where {@link #resolve} is to write it as an int4.
     */
    int series(String host, String metric, int at) {
        int id = series(host, metric);
        if (id == UNKNOWN) {
            places.add(new Place(at, host, metric));
        }
        return id;
    }

    /** The id of the model, or {@link #UNKNOWN} noted with {@code at}, where {@link #resolve} is to write it as an int2. */
    int model(String name, int at) {
        int id = model(name);
        if (id == UNKNOWN) {
            places.add(new Place(at, name, null));
        }
        return id;
    }

    /** Whether some series or model was asked for and is not known. */
    public boolean missing() {
        return !missingSeries.isEmpty() || !missingModels.isEmpty() || !places.isEmpty();
    }

    /** Series known. */
    public int size() {
        int n = 0;
        for (Map<String, Integer> m : series.values()) {
            n += m.size();
        }
        return n;
    }

    /** {@link #resolve(Connection, CopyBuffer)} with no batch: learns the ids of the series and models asked for. */
    public void resolve(Connection c) throws SQLException {
        if (!places.isEmpty()) {
            throw new IllegalStateException(places.size() + " ids of a batch wait for it: resolve with the batch");
        }
        register(c);
    }

    /**
     * Registers the noted series and models that the database does not have yet, learns the ids of
     * all of them and writes them into their places in {@code batch}; commits when {@code c} is not in
     * auto-commit. On failure nothing noted is forgotten, so the caller may try again.
     */
    public void resolve(Connection c, CopyBuffer batch) throws SQLException {
        register(c);
        for (Place p : places) {
            if (p.metric() == null) {
                batch.patchInt2(p.at(), known(models.get(p.host()), p));
            } else {
                Map<String, Integer> metrics = series.get(p.host());
                batch.patchInt4(p.at(), known(metrics == null ? null : metrics.get(p.metric()), p));
            }
        }
        places.clear();
    }

    private static int known(Integer id, Place p) {
        if (id == null) {
            throw new IllegalStateException("no id registered for " + (p.metric() == null ? "model " + p.host()
                    : "series " + p.host() + "/" + p.metric()));
        }
        return id;
    }

    private void register(Connection c) throws SQLException {
        if (!missingSeries.isEmpty()) {
            List<String> hosts = new ArrayList<>();
            List<String> metrics = new ArrayList<>();
            missingSeries.forEach((h, ms) -> ms.forEach(m -> {
                hosts.add(h);
                metrics.add(m);
            }));
            Array h = c.createArrayOf("text", hosts.toArray());
            Array m = c.createArrayOf("text", metrics.toArray());
            try (PreparedStatement add = c.prepareStatement("INSERT INTO series (host, metric) SELECT k.h, k.m "
                    + "FROM unnest(?::text[], ?::text[]) AS k(h, m) ORDER BY k.h, k.m ON CONFLICT DO NOTHING");
                 PreparedStatement get = c.prepareStatement("SELECT s.id, s.host, s.metric FROM series s "
                    + "JOIN unnest(?::text[], ?::text[]) AS k(h, m) ON s.host = k.h AND s.metric = k.m")) {
                add.setArray(1, h);
                add.setArray(2, m);
                add.executeUpdate();
                get.setArray(1, h);
                get.setArray(2, m);
                Map<String, Map<String, Integer>> found = new HashMap<>();
                try (ResultSet rs = get.executeQuery()) {
                    while (rs.next()) {
                        found.computeIfAbsent(rs.getString(2), k -> new HashMap<>()).put(rs.getString(3), rs.getInt(1));
                    }
                }
                commit(c);
                found.forEach((host, ids) -> series.computeIfAbsent(host, k -> new HashMap<>()).putAll(ids));
            }
            missingSeries.clear();
        }
        if (!missingModels.isEmpty()) {
            Array n = c.createArrayOf("text", missingModels.toArray());
            try (PreparedStatement add = c.prepareStatement("INSERT INTO models (name) SELECT k.n FROM unnest(?::text[]) AS k(n) "
                    + "ORDER BY k.n ON CONFLICT DO NOTHING");
                 PreparedStatement get = c.prepareStatement("SELECT m.id, m.name FROM models m JOIN unnest(?::text[]) AS k(n) ON m.name = k.n")) {
                add.setArray(1, n);
                add.executeUpdate();
                get.setArray(1, n);
                Map<String, Integer> found = new HashMap<>();
                try (ResultSet rs = get.executeQuery()) {
                    while (rs.next()) {
                        found.put(rs.getString(2), rs.getInt(1));
                    }
                }
                commit(c);
                models.putAll(found);
            }
            missingModels.clear();
        }
    }

    private static void commit(Connection c) throws SQLException {
        if (!c.getAutoCommit()) {
            c.commit();
        }
    }
}
