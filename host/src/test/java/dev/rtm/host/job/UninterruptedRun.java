package dev.rtm.host.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtm.api.DetectorFactory;
import dev.rtm.api.SeriesDetector;
import dev.rtm.api.SeriesKey;
import dev.rtm.testing.PostgresServer;
import dev.rtm.host.plugin.PluginRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;

/**
 * The check of the crash and restart tests: every stored score row of a model equals what a fresh
 * detector (the plugin's defaults) gives when fed the series' stored values in order, as one run
 * without any interruption would have.
 */
public final class UninterruptedRun {

    private UninterruptedRun() {
    }

    /**
     * Asserts that {@code model}'s rows for {@code metric} of every host — {@code rows} in all —
     * have the expectation, score and flag of an uninterrupted run; returns how many had an
     * expectation (were past the detector's warm-up).
     */
    public static int assertScoresOf(PostgresServer pg, Path plugins, String model, String[] hosts, String metric, int rows)
            throws Exception {
        int compared = 0;
        int withExpectation = 0;
        try (PluginRegistry reg = PluginRegistry.load(plugins); Connection c = pg.connect(); var st = c.createStatement()) {
            DetectorFactory f = reg.detector(model).orElseThrow();
            var detector = f.create(f.configSpec().defaults());
            for (String h : hosts) {
                SeriesDetector sd = detector.create(new SeriesKey(h, metric));
                try (ResultSet rs = st.executeQuery("SELECT value, expected, score, is_anomaly, "
                        + "(extract(epoch FROM time) * 1000)::bigint FROM anomaly_scores "
                        + "WHERE host = '" + h + "' AND metric = '" + metric + "' AND model = '" + model + "' ORDER BY time")) {
                    while (rs.next()) {
                        var a = sd.update(rs.getLong(5), rs.getDouble(1));
                        double expected = rs.getDouble(2);
                        if (rs.wasNull()) {
                            expected = Double.NaN;
                        } else {
                            withExpectation++;
                        }
                        assertThat(Double.valueOf(expected)).as("%s %s point %d expected (NaN: warm-up)", model, h, compared)
                                .isEqualTo(Double.valueOf(a.expected()));
                        assertThat(rs.getDouble(3)).as("%s %s point %d score", model, h, compared).isEqualTo(a.score());
                        assertThat(rs.getBoolean(4)).as("%s %s point %d flag", model, h, compared).isEqualTo(a.anomaly());
                        compared++;
                    }
                }
            }
        }
        assertThat(compared).as(model + " rows compared").isEqualTo(rows);
        return withExpectation;
    }
}
