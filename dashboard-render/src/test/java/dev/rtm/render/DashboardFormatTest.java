package dev.rtm.render;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** #17.17: axis numbers as Grafana writes them, and table columns that fit their text. */
class DashboardFormatTest {

    @Test
    void axisNumbersUseSiPrefixesAndNoFloatingPointNoise() {
        assertThat(Text.si(2.5e7)).isEqualTo("25 M");
        assertThat(Text.si(1.500000001)).isEqualTo("1.5");
        assertThat(Text.si(1500.0)).isEqualTo("1.5 K");
        assertThat(Text.si(0.0)).isEqualTo("0");
        assertThat(Text.si(-3.2e9)).isEqualTo("-3.2 G");
        assertThat(Text.si(0.012345)).isEqualTo("0.0123");
        assertThat(Text.si(42.0)).isEqualTo("42");
    }

    @Test
    void tableColumnsGetTheWidthTheirTextNeedsWhenItFits() {
        // host, anomalies, last_anomaly (a timestamp): the timestamp column is not cut to a third
        int[] w = TablePanel.columnWidths(new int[] {80, 60, 170}, 500);
        assertThat(w[2]).isGreaterThanOrEqualTo(170);
        assertThat(w[0] + w[1] + w[2]).isLessThanOrEqualTo(500);
        // too narrow for all: the narrow columns keep theirs, the wide one takes the rest
        int[] tight = TablePanel.columnWidths(new int[] {60, 60, 400}, 300);
        assertThat(tight).containsExactly(60, 60, 180);
    }
}
