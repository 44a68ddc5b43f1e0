package dev.rtm.host.alert;

import dev.rtm.host.detect.ScoreRow;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The alert state machine, keyed by (host, metric, model): reads each model's verdicts in point
 * order (the detect stage already dropped late and duplicate points) and emits an {@link AlertRow}
 * when an alert fires, when its peak score grows, and when it resolves.
 *
 * <p>State per key, one {@code long[]}: the window's flags as bits, the start of the firing
 * alert (0: none), its peak score's bits, its flagged count, the run of unflagged points, the
 * point count, and the window's timestamps and scores (rings). An alert starts at the first
 * flagged point of the window that fired it, with that window's flags and peak.
 */
public final class AlertFunction extends KeyedProcessFunction<String, ScoreRow, AlertRow> {

    private static final long serialVersionUID = 1L;
    private static final int BITS = 0;
    private static final int STARTED = 1;
    private static final int PEAK = 2;
    private static final int FLAGGED = 3;
    private static final int NORMAL_RUN = 4;
    private static final int SEEN = 5;
    private static final int RINGS = 6;

    private final AlertRule rule;
    private transient ValueState<long[]> state;

    public AlertFunction(AlertRule rule) {
        this.rule = rule;
    }

    /** The key: host, metric and model. */
    public static String key(ScoreRow r) {
        return r.host + '\u0000' + r.metric + '\u0000' + r.model;
    }

    @Override
    public void open(OpenContext ctx) {
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("alert", long[].class));
    }

    @Override
    public void processElement(ScoreRow r, Context ctx, Collector<AlertRow> out) throws Exception {
        long[] s = state.value();
        if (s == null || s.length != size(rule)) { // new key, or the window was changed between runs
            s = new long[size(rule)];
        }
        AlertRow row = step(rule, s, r);
        state.update(s);
        if (row != null) {
            out.collect(row);
        }
    }

    /** Length of a key's state for this rule. */
    static int size(AlertRule rule) {
        return RINGS + 2 * rule.window();
    }

    /**
     * One point through the state machine: updates {@code s} and returns the row to write, or null.
     * Pure, so it is tested without Flink.
     */
    static AlertRow step(AlertRule rule, long[] s, ScoreRow r) {
        int w = rule.window();
        long mask = (1L << w) - 1;
        s[BITS] = ((s[BITS] << 1) | (r.anomaly ? 1 : 0)) & mask;
        int slot = (int) (s[SEEN] % w);
        s[RINGS + slot] = r.timestamp;
        s[RINGS + w + slot] = Double.doubleToLongBits(r.score);
        s[SEEN]++;
        if (s[STARTED] == 0) {
            if (r.anomaly && Long.bitCount(s[BITS]) >= rule.fireAfter()) {
                // the window that fired it: its first flagged point, its flags, its peak
                long start = r.timestamp;
                double peak = r.score;
                for (int k = 0; k < w && k < s[SEEN]; k++) {
                    if ((s[BITS] >>> k & 1) == 1) {
                        int at = (int) ((s[SEEN] - 1 - k) % w);
                        start = Math.min(start, s[RINGS + at]);
                        peak = Math.max(peak, Double.longBitsToDouble(s[RINGS + w + at]));
                    }
                }
                s[STARTED] = start;
                s[PEAK] = Double.doubleToLongBits(peak);
                s[FLAGGED] = Long.bitCount(s[BITS]);
                s[NORMAL_RUN] = 0;
                return row(s, r, 0, AlertRow.FIRING);
            }
            return null;
        }
        if (r.anomaly) {
            s[NORMAL_RUN] = 0;
            s[FLAGGED]++;
            if (r.score > Double.longBitsToDouble(s[PEAK])) {
                s[PEAK] = Double.doubleToLongBits(r.score);
                return row(s, r, 0, AlertRow.FIRING);
            }
            return null;
        }
        if (++s[NORMAL_RUN] >= rule.resolveAfter()) {
            AlertRow done = row(s, r, r.timestamp, AlertRow.RESOLVED);
            s[STARTED] = 0;
            s[PEAK] = 0;
            s[FLAGGED] = 0;
            s[NORMAL_RUN] = 0;
            return done;
        }
        return null;
    }

    private static AlertRow row(long[] s, ScoreRow r, long endedAt, String state) {
        return new AlertRow(r.host, r.metric, r.model, s[STARTED], endedAt, state, Double.longBitsToDouble(s[PEAK]),
                (int) s[FLAGGED], r.timestamp);
    }
}
