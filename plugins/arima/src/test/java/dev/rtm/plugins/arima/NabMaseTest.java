package dev.rtm.plugins.arima;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtm.api.Assessment;
import dev.rtm.api.Detector;
import dev.rtm.api.SeriesDetector;
import dev.rtm.api.SeriesKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * MASE of arima's one-step forecast against the naive last-value forecast on the NAB sample,
 * printed as a table (the numbers in the plugin README come from here).
 */
class NabMaseTest {

    static Map<String, Double> maseTable(Map<String, ?> cfg) throws Exception {
        ArimaDetectorFactory f = new ArimaDetectorFactory();
        Detector d = f.create(f.configSpec().validate(cfg));
        Path root = Path.of(System.getProperty("rtm.test.nab", "../../../shared/data/nab-sample")).resolve("data");
        Map<String, Double> out = new LinkedHashMap<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(p -> p.toString().endsWith(".csv")).sorted().toList();
        }
        for (Path file : files) {
            double[] x = values(file);
            SeriesDetector s = d.create(new SeriesKey("nab", file.getFileName().toString()));
            double err = 0;
            double naive = 0;
            for (int t = 0; t < x.length; t++) {
                Assessment a = s.update(t, x[t]);
                if (!Double.isNaN(a.expected())) {
                    err += Math.abs(x[t] - a.expected());
                    naive += Math.abs(x[t] - x[t - 1]);
                }
            }
            out.put(root.relativize(file).toString(), err / naive);
        }
        return out;
    }

    static double[] values(Path file) throws IOException {
        return Files.readAllLines(file).stream().skip(1).filter(l -> !l.isBlank())
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(',') + 1))).toArray();
    }

    @Test
    void maseOnTheNabSample() throws Exception {
        Map<String, Double> mase = maseTable(Map.of());
        System.out.println("arima (defaults) one-step MASE vs naive last value:");
        mase.forEach((k, v) -> System.out.printf("  %-55s %.3f%n", k, v));
        assertThat(mase).hasSize(6);
        assertThat(mase.get("realKnownCause/machine_temperature_system_failure.csv")).isLessThan(1.0);
        assertThat(mase.get("artificialNoAnomaly/art_daily_small_noise.csv")).isLessThan(1.0);
        assertThat(mase.values()).allSatisfy(v -> assertThat(v).isFinite().isPositive());
    }
}
