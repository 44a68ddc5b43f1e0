package dev.rtm.host.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtm.api.Assessment;
import dev.rtm.api.Detector;
import dev.rtm.api.DetectorFactory;
import dev.rtm.api.SeriesDetector;
import dev.rtm.api.SeriesKey;
import dev.rtm.testing.PluginJars;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The plugins with native libraries (lstm: PyTorch, arima: OpenBLAS), loaded from their real zips
 * by the host: many series from two threads (two "subtasks") on one detector, then the plugin
 * unloaded and loaded again in the same JVM, giving the same results.
 */
class NativePluginReloadTest {

    static final Map<String, Map<String, Object>> SMALL = Map.of(
            "lstm", Map.of("window", 64, "retrain-every", 32, "lookback", 8, "units", 8, "epochs", 1),
            "arima", Map.of("window", 100, "warmup", 100, "refit-every", 20));

    @ParameterizedTest
    @ValueSource(strings = {"lstm", "arima"})
    void manySeriesOnTwoThreadsThenUnloadAndReload(String name) throws Exception {
        List<Assessment> first = run(name);
        List<Assessment> again = run(name);
        assertThat(first.stream().filter(a -> !Double.isNaN(a.expected())).count()).isGreaterThan(1000);
        assertThat(again).isEqualTo(first);
    }

    private static List<Assessment> run(String name) throws Exception {
        try (PluginRegistry reg = PluginRegistry.load(PluginJars.distPlugins())) {
            assertThat(reg.failures()).isEmpty();
            DetectorFactory f = reg.detector(name).orElseThrow();
            Detector d = f.create(f.configSpec().validate(SMALL.get(name)));
            ExecutorService subtasks = Executors.newFixedThreadPool(2);
            try {
                List<Future<List<Assessment>>> parts = new ArrayList<>();
                for (int task = 0; task < 2; task++) {
                    int offset = task * 4;
                    parts.add(subtasks.submit(() -> {
                        List<SeriesDetector> series = new ArrayList<>();
                        for (int k = 0; k < 4; k++) {
                            series.add(d.create(new SeriesKey("host-" + (offset + k), "cpu")));
                        }
                        List<Assessment> out = new ArrayList<>();
                        for (int t = 0; t < 300; t++) {
                            for (int k = 0; k < series.size(); k++) {
                                double x = 50 + 10 * Math.sin((t + 7 * (offset + k)) / 6.0) + ((t * 31 + k) % 7) * 0.3;
                                out.add(series.get(k).update(t * 60_000L, x));
                            }
                        }
                        return out;
                    }));
                }
                List<Assessment> all = new ArrayList<>();
                for (Future<List<Assessment>> p : parts) {
                    all.addAll(p.get(5, TimeUnit.MINUTES));
                }
                return all;
            } finally {
                subtasks.shutdownNow();
                d.close();
            }
        }
    }
}
