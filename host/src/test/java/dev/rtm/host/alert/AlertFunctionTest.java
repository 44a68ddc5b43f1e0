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
        long[] s = new long[AlertFunction.size(rule)];
        List<AlertRow> out = new ArrayList<>();
        for (int i = 0; i < flags.length(); i++) {
            char f = flags.charAt(i);
            boolean flagged = f != '.';
            ScoreRow r = new ScoreRow("h", "cpu", "ewma", 1000L * (i + 1), 0, 0, 0, 0, f == '!' ? 9 : flagged ? 5 : 1, flagged);
            AlertRow row = AlertFunction.step(rule, s, r);
            if (row != null) {
                out.add(row);
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

    @Test
    void aRuleOutOfRangeIsRefused() {
        assertThatThrownBy(() -> new AlertRule(6, 5, 1)).hasMessageContaining("fire-after <= window");
        assertThatThrownBy(() -> new AlertRule(1, 64, 1)).hasMessageContaining("<= 63");
    }
}
