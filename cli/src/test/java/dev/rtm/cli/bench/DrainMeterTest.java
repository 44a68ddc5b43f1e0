package dev.rtm.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Jobs side by side are compared over the seconds they all run, not over each one's own drain. */
class DrainMeterTest {

    @Test
    void ratesOfJobsSideBySideAreTakenOverTheWindowTheyShare() {
        // a: 100 rows/s from t=0 to 10 s; b starts 3 s later at 50 rows/s, then 100 rows/s once a has ended
        List<long[]> a = new ArrayList<>();
        List<long[]> b = new ArrayList<>();
        long bRows = 0;
        for (int t = 0; t <= 20; t++) {
            a.add(new long[] {t * 1_000_000_000L, Math.min(t, 10) * 100L});
            b.add(new long[] {t * 1_000_000_000L, bRows});
            bRows = Math.min(1000, bRows + (t < 3 ? 0 : t < 10 ? 50 : 100));
        }
        double[] r = DrainMeter.commonWindowRates(List.of(a, b));
        assertThat(r[0]).isCloseTo(100, within(1e-9));
        assertThat(r[1]).as("b alone, after a, ran at 100/s: left out").isCloseTo(50, within(1e-9));
        assertThat(DrainMeter.sustainedRate(b, 1000)).as("b's own 10-90 %% mixes both").isGreaterThan(50);
    }

    @Test
    void curvesThatDoNotOverlapHaveNoCommonRate() {
        List<long[]> a = List.of(new long[] {0, 0}, new long[] {1, 50}, new long[] {2, 100}, new long[] {3, 100}, new long[] {4, 100});
        List<long[]> b = List.of(new long[] {0, 0}, new long[] {1, 0}, new long[] {2, 0}, new long[] {3, 50}, new long[] {4, 100});
        assertThat(DrainMeter.commonWindowRates(List.of(a, b))[0]).isNaN();
    }
}
