package dev.rtm.host.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rtm.host.detect.ScoreRow;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The alert state machine on flag sequences: fires at k of n, follows its peak, resolves after a normal run. */
class AlertFunctionTest {

    /** Runs flags ('x' flagged, '.' normal; score 5 for flagged, 1 otherwise, '!' flagged with score 9) through the rule. */
    private static List<AlertRow> run(AlertRule rule, String flags) {
        long[] s = AlertFunction.fresh(rule);
        List<AlertRow> out = new ArrayList<>();
        for (int i = 0; i < flags.length(); i++) {
            char f = flags.charAt(i);
            boolean flagged = f != '.';
            ScoreRow r = new ScoreRow("h", "cpu", "ewma", 1000L * (i + 1), 0, 0, 0, 0, f == '!' ? 9 : flagged ? 5 : 1, flagged);
            AlertFunction.Step step = AlertFunction.step(rule, s, r);
            s = step.state();
            if (step.row() != null) {
                out.add(step.row());
            }
        }
        return out;
    }

    @Test
    void firesAtKOfNAndResolvesAfterANormalRun() {
        List<AlertRow> rows = run(new AlertRule(3, 5, 4), "x.x..x.xx...x....x");
        // points 1 3 6 flag: only 2 in any 5; 6 8 9 -> 3 in the window ending at 9: fires at point 9,
        // starting at that window's first flagged point, 6
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).state).isEqualTo(AlertRow.FIRING);
        assertThat(rows.get(0).startedAt).isEqualTo(6000);
        assertThat(rows.get(0).endedAt).isZero();
        assertThat(rows.get(0).flagged).isEqualTo(3);
        assertThat(rows.get(0).updatedAt).isEqualTo(9000);
        // 10, 11, 12 normal, 13 flagged (run restarts), 14..17 normal: resolved at 17;
        // the single flag at 18 does not fire again
        assertThat(rows.get(1).state).isEqualTo(AlertRow.RESOLVED);
        assertThat(rows.get(1).startedAt).isEqualTo(6000);
        assertThat(rows.get(1).endedAt).isEqualTo(17_000);
        assertThat(rows.get(1).flagged).isEqualTo(4);
    }

    @Test
    void aGrowingPeakIsWrittenAndTheSameKeyIsKept() {
        List<AlertRow> rows = run(new AlertRule(2, 3, 2), "xx!x!..");
        assertThat(rows).extracting(r -> r.state + " " + r.startedAt + " " + r.peakScore + " " + r.flagged)
                .containsExactly("firing 1000 5.0 2", "firing 1000 9.0 3", "resolved 1000 9.0 5");
        // the window's peak counts even when it came before the point that fired
        assertThat(run(new AlertRule(2, 3, 2), "!.x")).extracting(r -> r.startedAt + " " + r.peakScore)
                .containsExactly("1000 9.0");
    }

    @Test
    void everyEpisodeIsItsOwnAlert() {
        List<AlertRow> rows = run(new AlertRule(1, 1, 1), "x.x.");
        assertThat(rows).extracting(r -> r.state + " " + r.startedAt)
                .containsExactly("firing 1000", "resolved 1000", "firing 3000", "resolved 3000");
    }

    /** The state machine as it was before 2026-12-03, with every point of the window in two rings: the oracle. */
    private static AlertRow ringStep(AlertRule rule, long[] s, ScoreRow r) {
        int w = rule.window();
        s[0] = ((s[0] << 1) | (r.anomaly ? 1 : 0)) & ((1L << w) - 1);
        int slot = (int) (s[5] % w);
        s[6 + slot] = r.timestamp;
        s[6 + w + slot] = Double.doubleToLongBits(r.score);
        s[5]++;
        if (s[1] == 0) {
            if (r.anomaly && Long.bitCount(s[0]) >= rule.fireAfter()) {
                long start = r.timestamp;
                double peak = r.score;
                for (int k = 0; k < w && k < s[5]; k++) {
                    if ((s[0] >>> k & 1) == 1) {
                        int at = (int) ((s[5] - 1 - k) % w);
                        start = Math.min(start, s[6 + at]);
                        peak = Math.max(peak, Double.longBitsToDouble(s[6 + w + at]));
                    }
                }
                s[1] = start;
                s[2] = Double.doubleToLongBits(peak);
                s[3] = Long.bitCount(s[0]);
                s[4] = 0;
                return new AlertRow(r.host, r.metric, r.model, s[1], 0, AlertRow.FIRING, peak, (int) s[3], r.timestamp);
            }
            return null;
        }
        if (r.anomaly) {
            s[4] = 0;
            s[3]++;
            if (r.score > Double.longBitsToDouble(s[2])) {
                s[2] = Double.doubleToLongBits(r.score);
                return new AlertRow(r.host, r.metric, r.model, s[1], 0, AlertRow.FIRING, r.score, (int) s[3], r.timestamp);
            }
            return null;
        }
        if (++s[4] >= rule.resolveAfter()) {
            AlertRow done = new AlertRow(r.host, r.metric, r.model, s[1], r.timestamp, AlertRow.RESOLVED,
                    Double.longBitsToDouble(s[2]), (int) s[3], r.timestamp);
            s[1] = 0;
            s[2] = 0;
            s[3] = 0;
            s[4] = 0;
            return done;
        }
        return null;
    }

    private static String shown(AlertRow row) {
        return row == null ? "-" : row.state + " " + row.startedAt + " " + row.endedAt + " " + row.peakScore + " " + row.flagged + " " + row.updatedAt;
    }

    @Test
    void theStateKeepsOnlyFlaggedPointsAndGivesTheRowsTheRingsGave() {
        java.util.Random random = new java.util.Random(11);
        for (AlertRule rule : List.of(new AlertRule(3, 5, 4), new AlertRule(1, 1, 1), new AlertRule(2, 3, 2), new AlertRule(5, 12, 3),
                new AlertRule(20, 63, 10))) {
            for (int run = 0; run < 50; run++) {
                double flagRate = random.nextDouble() * 0.6;
                long[] ring = new long[6 + 2 * rule.window()];
                long[] s = AlertFunction.fresh(rule);
                int convertAt = random.nextInt(300);
                for (int i = 0; i < 300; i++) {
                    boolean flagged = random.nextDouble() < flagRate;
                    ScoreRow r = new ScoreRow("h", "cpu", "ewma", 1000L * (i + 1), 0, 0, 0, 0, flagged ? 3 + random.nextInt(7) : 1, flagged);
                    if (i == convertAt) { // a state checkpointed in the old layout, read by this version
                        s = AlertFunction.current(rule, ring.clone());
                    }
                    AlertRow expected = ringStep(rule, ring, r);
                    AlertFunction.Step step = AlertFunction.step(rule, s, r);
                    s = step.state();
                    assertThat(shown(step.row())).as(rule + " run " + run + " point " + i).isEqualTo(shown(expected));
                    assertThat(s.length).as("7 numbers and two per flagged point in the window")
                            .isEqualTo(7 + 2 * Long.bitCount(s[0]));
                }
            }
        }
        assertThat(AlertFunction.current(new AlertRule(1, 5, 2), AlertFunction.fresh(new AlertRule(1, 4, 2))))
                .as("a state made for another window starts afresh").containsExactly(AlertFunction.fresh(new AlertRule(1, 5, 2)));
    }

    @Test
    void aRuleOutOfRangeIsRefused() {
        assertThatThrownBy(() -> new AlertRule(6, 5, 1)).hasMessageContaining("fire-after <= window");
        assertThatThrownBy(() -> new AlertRule(1, 64, 1)).hasMessageContaining("<= 63");
    }

    /** Rows of two models through both levels; returns the series transitions as "state models severity". */
    private static List<String> series(AlertRule rule, String ewmaFlags, String arimaFlags) throws Exception {
        long[][] e = {AlertFunction.fresh(rule)};
        long[][] a = {AlertFunction.fresh(rule)};
        SeriesAlertState st = new SeriesAlertState();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < ewmaFlags.length(); i++) {
            for (String model : List.of("ewma", "arima")) {
                char f = (model.equals("ewma") ? ewmaFlags : arimaFlags).charAt(i);
                boolean flagged = f != '.';
                ScoreRow r = new ScoreRow("web-1", "cpu", model, 1000L * (i + 1), 90, 40, 30, 50, f == '!' ? 9 : flagged ? 4 : 1, flagged);
                r.seriesModels = 2;
                long[][] s = model.equals("ewma") ? e : a;
                s[0] = AlertFunction.step(rule, s[0], r).state();
                for (AlertEvent ev : AlertFunction.series(rule.defaultRule(), st, r, m -> m.equals("ewma") ? e[0] : a[0])) {
                    out.add(ev.state + " " + ev.models + " " + ev.severity + " " + ev.startsAt + (ev.endsAt > 0 ? "-" + ev.endsAt : ""));
                    assertThat(ev.alertId).isEqualTo(AlertEvent.fingerprint("web-1", "cpu", AlertEvent.ANOMALY, ev.startsAt));
                }
            }
        }
        return out;
    }

    @Test
    void theSeriesAlertFiresWhenTheRulesModelsAgreeWithASeverityFromItsPeak() throws Exception {
        AlertRule any = new AlertRule(1, 5, 2, AlertRule.Agreement.parse("any"), 6, 0);
        assertThat(series(any, "x.....", "......")).containsExactly("firing ewma warning 1000", "resolved ewma warning 1000-3000");
        AlertRule all = new AlertRule(1, 5, 2, AlertRule.Agreement.parse("all"), 6, 0);
        assertThat(series(all, "x.....", "......")).as("one model alone is not enough").isEmpty();
        assertThat(series(all, ".x!...", "..x...")).containsExactly("firing ewma,arima critical 2000",
                "resolved ewma,arima critical 2000-5000");
        AlertRule listed = new AlertRule(1, 5, 2, AlertRule.Agreement.parse("arima"), 6, 0);
        assertThat(series(listed, "x.....", "......")).isEmpty();
        assertThat(series(listed, "......", ".x....")).containsExactly("firing arima warning 2000", "resolved arima warning 2000-4000");
        AlertRule majority = new AlertRule(1, 5, 2, AlertRule.Agreement.parse("majority"), 6, 0);
        assertThat(series(majority, "x.....", "......")).as("1 of 2 is no majority").isEmpty();
    }

    @Test
    void modelListsAreMatchedByWholeNames() {
        assertThat(AlertFunction.has("ewma-slow,arima", "ewma")).isFalse();
        assertThat(AlertFunction.has("ewma-slow,arima,ewma", "ewma")).isTrue();
        assertThat(AlertFunction.has("lstm,ewma-slow", "ewma-slow")).isTrue();
        assertThat(AlertFunction.has("", "ewma")).isFalse();
    }

    @Test
    void aSeriesBackFromSilenceResolvesItsNodataAlert() throws Exception {
        long[] none = AlertFunction.fresh(new AlertRule(1, 5, 2));
        AlertRule rule = new AlertRule(1, 5, 2, AlertRule.Agreement.ANY, 6, 5);
        SeriesAlertState st = new SeriesAlertState();
        ScoreRow r1 = new ScoreRow("web-1", "cpu", "ewma", 10_000, 1, 1, 0, 2, 0, false);
        ScoreRow r2 = new ScoreRow("web-1", "cpu", "ewma", 20_000, 1, 1, 0, 2, 0, false);
        AlertFunction.series(rule.defaultRule(), st, r1, m -> none);
        AlertFunction.series(rule.defaultRule(), st, r2, m -> none);
        assertThat(st.step).isEqualTo(10_000);
        st.nodataSince = 30_000; // as the processing-time timer sets it
        ScoreRow back = new ScoreRow("web-1", "cpu", "ewma", 90_000, 1, 1, 0, 2, 0, false);
        List<AlertEvent> ev = AlertFunction.series(rule.defaultRule(), st, back, m -> none);
        assertThat(ev).extracting(e -> e.state + " " + e.kind + " " + e.startsAt + "-" + e.endsAt)
                .containsExactly("resolved nodata 30000-90000");
        assertThat(st.nodataSince).isZero();
    }
}
