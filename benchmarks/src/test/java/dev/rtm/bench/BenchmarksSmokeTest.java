package dev.rtm.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rtm.api.DetectorFactory;
import dev.rtm.api.SeriesDetector;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openjdk.jmh.annotations.Param;

/**
 * Keeps the benchmarks from rotting without running JMH: every benchmark method runs a couple of
 * invocations (the decode one on its agent-made records), the generated benchmark list names them all, and every detector plugin on the
 * class path is one of the benchmarked ones. Seconds, not minutes (lstm's warm-up trains ~8 times).
 */
class BenchmarksSmokeTest {

    @ParameterizedTest
    @ValueSource(strings = {"ewma", "arima", "rcf", "lstm"})
    void everyDetectorBenchmarkRunsAFewInvocations(String detector) throws Exception {
        DetectorBench b = new DetectorBench();
        b.detector = detector;
        b.setUp();
        try {
            for (int i = 0; i < 2; i++) {
                assertThat(b.update()).as(detector + " scores").isFinite().isGreaterThanOrEqualTo(0);
            }
            assertThat(b.snapshot()).as(detector + " snapshot").isNotEmpty();
            SeriesDetector restored = b.restore();
            double next = Points.get().values()[DetectorBench.WARM];
            assertThat(restored.update(DetectorBench.WARM * Points.STEP_MS, next).score())
                    .as(detector + " restored from the setup's state scores the next point").isFinite();
        } finally {
            b.tearDown();
        }
    }

    @Test
    void settingsOverrideTheDefaultsWithTheirTypesAndABadOneIsNamed() {
        assertThat(DetectorBench.config("lstm", "epochs=2; learning-rate=0.02;async=true;min-std=1e-4"))
                .containsEntry("epochs", 2L).containsEntry("learning-rate", 0.02).containsEntry("async", true)
                .containsEntry("min-std", 1e-4);
        assertThat(DetectorBench.config("lstm", "")).containsOnlyKeys("async");
        assertThat(DetectorBench.config("ewma", "")).isEmpty();
        assertThatThrownBy(() -> DetectorBench.config("ewma", "alpha"))
                .hasMessageContaining("'alpha'");
    }

    @Test
    void theBaselineSumsTheSamePoints() {
        BaselineBench b = new BaselineBench();
        b.setUp();
        double[] x = Points.get().values();
        double expected = 0;
        for (int i = 0; i < DetectorBench.BATCH; i++) {
            expected += x[(DetectorBench.WARM + i) % x.length];
        }
        assertThat(b.loop()).isEqualTo(expected);
    }

    @Test
    void theDecodeBenchmarkYieldsEveryValueOfTheAgentsRecordsAndItsBaselineWalksThem() throws Exception {
        DecodeBench b = new DecodeBench();
        b.setUp();
        assertThat(b.records().length).isEqualTo(DecodeBench.RECORDS);
        assertThat(b.values()).as("five values a synthetic sample").isEqualTo(5 * DecodeBench.RECORDS);
        DecodeBench.Values counted = new DecodeBench.Values();
        for (int i = 0; i < 2; i++) {
            assertThat(b.decode(counted)).as("points kept from one walk").isEqualTo(b.values());
        }
        assertThat(counted.values).isEqualTo(2L * b.values());
        assertThat(b.loop()).isEqualTo(Arrays.stream(b.records()).mapToLong(r -> r.length).sum());
    }

    @Test
    void everyDetectorPluginOnTheClassPathIsBenchmarked() throws NoSuchFieldException {
        String[] benchmarked = DetectorBench.class.getField("detector").getAnnotation(Param.class).value();
        assertThat(Detectors.factories().stream().map(DetectorFactory::name).collect(Collectors.toSet()))
                .containsExactlyInAnyOrderElementsOf(Arrays.asList(benchmarked));
    }

    @Test
    void jmhGeneratedEveryBenchmark() throws IOException {
        String list;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("META-INF/BenchmarkList")) {
            assertThat(in).as("META-INF/BenchmarkList from JMH's annotation processor").isNotNull();
            list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (String m : new String[] {"DetectorBench_update", "DetectorBench_snapshot", "DetectorBench_restore",
                "BaselineBench_loop", "DecodeBench_decode", "DecodeBench_loop"}) {
            assertThat(list).contains("jmh_generated." + m + "_jmhTest");
        }
    }

    @Test
    void tinyRatiosReadAsOneInN() {
        assertThat(BenchMain.ratio(0.5)).isEqualTo("0.50");
        assertThat(BenchMain.ratio(1e-4)).isEqualTo("1/10.0k");
        assertThat(BenchMain.human(51_234)).isEqualTo("51.2 k");
    }
}
