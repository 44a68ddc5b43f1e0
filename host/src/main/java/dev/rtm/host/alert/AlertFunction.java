package dev.rtm.host.alert;

import dev.rtm.host.detect.ScoreRow;
import dev.rtm.host.typeinfo.VarLongArraySerializer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The alert stage, keyed by series (host, metric): reads every model's verdicts in point order (the
 * detect stage already dropped late and duplicate points) and decides two things.
 *
 * <ol>
 *   <li><b>Model alerts</b> ({@link AlertRow}, the main output, the {@code alerts} table): per model,
 *       an alert fires when {@code fire-after} of its last {@code window} points are flagged, its peak
 *       is followed, and it resolves after {@code resolve-after} normal points. An alert starts at the
 *       first flagged point of the window that fired it, with that window's flags and peak.</li>
 *   <li><b>Series alerts</b> ({@link AlertEvent}, side output {@link #EVENTS}): the alert people
 *       are told about. It fires when the firing models agree ({@link AlertRule.Agreement}), with the
 *       severity of its peak, and resolves when they no longer do. With {@code no-data-after}, a
 *       series that sends nothing for that many of its intervals raises a {@code nodata} alert
 *       (processing time), resolved by its next point.</li>
 * </ol>
 *
 * <p>State per series: one {@code long[]} per model (window flags as bits, start, peak, counts, the
 * window length, then the time and score of each flagged point still in the window, oldest first: a
 * series with nothing flagged keeps 7 numbers, whatever the window; written as variable-length
 * numbers by {@link VarLongArraySerializer}) and one {@link SeriesAlertState} (written by
 * {@link SeriesAlertStateSerializer}). Transitions are
 * derived from the data alone (except nodata), so a replay after a restart emits the same events
 * with the same fingerprints and the idempotent sinks add nothing.
 */
public final class AlertFunction extends KeyedProcessFunction<String, ScoreRow, AlertRow> {

    private static final long serialVersionUID = 1L;

    /** Transitions of series alerts. */
    public static final OutputTag<AlertEvent> EVENTS = new OutputTag<>("alert-events") { };

    private static final int BITS = 0;
    private static final int STARTED = 1;
    private static final int PEAK = 2;
    private static final int FLAGGED = 3;
    private static final int NORMAL_RUN = 4;
    private static final int SEEN = 5;
    /** The window the state was made for. */
    private static final int WINDOW = 6;
    /** From here, two numbers per flagged point in the window: its time and its score's bits. */
    private static final int POINTS = 7;
    /**
     * Before 2026-12-03 the state held every point of the window, flagged or not, as two rings after
     * the first 6 numbers: 6 + 2 × window numbers, always an even count after them, where the layout
     * above has an odd one. Such a state is converted when it is first read.
     */
    private static final int OLD_RINGS = 6;

    private final AlertRule rule;
    private transient MapState<String, long[]> modelStates;
    private transient ValueState<SeriesAlertState> seriesState;
    /** Each series' rule, matched once. */
    private transient java.util.Map<String, AlertRule.SeriesRule> seriesRules;

    public AlertFunction(AlertRule rule) {
        this.rule = rule;
    }

    /** The key: host and metric. */
    public static String key(ScoreRow r) {
        return r.host + '\u0000' + r.metric;
    }

    @Override
    public void open(OpenContext ctx) {
        modelStates = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("alert", StringSerializer.INSTANCE, VarLongArraySerializer.INSTANCE));
        seriesState = getRuntimeContext().getState(new ValueStateDescriptor<>("series-alert", SeriesAlertStateSerializer.INSTANCE));
        seriesRules = new java.util.HashMap<>();
    }

    @Override
    public void processElement(ScoreRow r, Context ctx, Collector<AlertRow> out) throws Exception {
        Step step = step(rule, current(rule, modelStates.get(r.model)), r);
        final long[] mine = step.state();
        modelStates.put(r.model, mine);
        if (step.row() != null) {
            out.collect(step.row());
        }
        SeriesAlertState st = seriesState.value();
        if (st == null) {
            st = new SeriesAlertState();
        }
        AlertRule.SeriesRule sr = seriesRules.computeIfAbsent(ctx.getCurrentKey(), k -> rule.forSeries(r.host, r.metric));
        for (AlertEvent e : series(sr, st, r, m -> m.equals(r.model) ? mine : modelStates.get(m))) {
            ctx.output(EVENTS, e);
        }
        if (sr.noDataAfter() > 0 && st.step > 0) {
            long now = ctx.timerService().currentProcessingTime();
            st.lastSeenWall = now;
            if (st.timerAt == 0) {
                st.timerAt = now + sr.noDataAfter() * st.step;
                ctx.timerService().registerProcessingTimeTimer(st.timerAt);
            }
        }
        seriesState.update(st);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AlertRow> out) throws Exception {
        SeriesAlertState st = seriesState.value();
        if (st == null || st.timerAt != timestamp) {
            return;
        }
        st.timerAt = 0;
        String[] hm = ctx.getCurrentKey().split("\u0000", 2);
        AlertRule.SeriesRule sr = seriesRules.computeIfAbsent(ctx.getCurrentKey(), k -> rule.forSeries(hm[0], hm[1]));
        long due = st.lastSeenWall + sr.noDataAfter() * st.step;
        if (st.nodataSince == 0 && timestamp >= due) {
            st.nodataSince = st.lastTs + st.step;
            AlertEvent e = event(AlertEvent.fingerprint(hm[0], hm[1], AlertEvent.NODATA, st.nodataSince), AlertRow.FIRING,
                    AlertEvent.NODATA, hm[0], hm[1], "", "warning", st.nodataSince, 0, timestamp);
            e.rule = sr.name();
            e.value = Double.NaN;
            e.expected = Double.NaN;
            e.lower = Double.NaN;
            e.upper = Double.NaN;
            ctx.output(EVENTS, e);
        } else if (st.nodataSince == 0) {
            st.timerAt = due;
            ctx.timerService().registerProcessingTimeTimer(due);
        }
        seriesState.update(st);
    }

    /**
     * One model's verdict through the series level: updates {@code st} and returns the transitions.
     * Pure, so it is tested without Flink.
     *
     * @param models each model's state by name (this row's model already updated)
     */
    static List<AlertEvent> series(AlertRule.SeriesRule rule, SeriesAlertState st, ScoreRow r, ModelStates models) throws Exception {
        boolean modelFiring = models.get(r.model)[STARTED] != 0;
        List<AlertEvent> events = new ArrayList<>(); // no backing array until an event is added
        if (r.timestamp > st.lastTs) {
            if (st.lastTs > 0) {
                long gap = r.timestamp - st.lastTs;
                st.step = st.step == 0 ? gap : (st.step * 7 + gap) / 8;
            }
            st.lastTs = r.timestamp;
            if (st.nodataSince != 0) {
                AlertEvent e = event(AlertEvent.fingerprint(r.host, r.metric, AlertEvent.NODATA, st.nodataSince), AlertRow.RESOLVED,
                        AlertEvent.NODATA, r.host, r.metric, "", "warning", st.nodataSince, r.timestamp, r.timestamp);
                e.rule = rule.name();
                e.value = r.value;
                e.expected = Double.NaN;
                e.lower = Double.NaN;
                e.upper = Double.NaN;
                events.add(e);
                st.nodataSince = 0;
            }
        }
        if (has(st.known, r.model) && modelFiring == has(st.firing, r.model)) {
            // the hot path: the sets of known and firing models are as at this series' last row, so
            // the agreement is too (decided then); only a firing alert's peak can move
            if (st.startedAt != 0 && r.anomaly && r.score > st.peakScore) {
                peak(st, r);
            }
            return events;
        }
        List<String> known = split(st.known);
        if (!known.contains(r.model)) {
            known.add(r.model);
            st.known = String.join(",", known);
        }
        List<String> firing = split(st.firing);
        if (modelFiring != firing.contains(r.model)) {
            if (modelFiring) {
                firing.add(r.model);
            } else {
                firing.remove(r.model);
            }
            st.firing = String.join(",", firing);
        }
        boolean agree = rule.agreement().holds(firing, known, r.seriesModels);
        if (st.startedAt == 0) {
            if (agree) {
                // the incident starts with the earliest firing model's alert, at the highest peak among them
                st.startedAt = r.timestamp;
                double peak = r.anomaly ? r.score : 0;
                for (String m : firing) {
                    long[] ms = models.get(m);
                    st.startedAt = Math.min(st.startedAt, ms[STARTED]);
                    peak = Math.max(peak, Double.longBitsToDouble(ms[PEAK]));
                }
                st.alertId = AlertEvent.fingerprint(r.host, r.metric, AlertEvent.ANOMALY, st.startedAt);
                st.models = st.firing;
                peak(st, r);
                st.peakScore = peak;
                events.add(seriesEvent(rule, st, r, AlertRow.FIRING, 0));
            }
        } else if (!agree) {
            events.add(seriesEvent(rule, st, r, AlertRow.RESOLVED, r.timestamp));
            st.startedAt = 0;
            st.alertId = null;
            st.models = null;
            st.peakScore = 0;
        } else {
            if (r.anomaly && r.score > st.peakScore) {
                peak(st, r);
            }
            if (firing.size() > split(st.models).size()) {
                st.models = st.firing; // more models joined in
            }
        }
        return events;
    }

    /** A model's state by name. */
    @FunctionalInterface
    interface ModelStates {
        long[] get(String model) throws Exception;
    }

    private static void peak(SeriesAlertState st, ScoreRow r) {
        st.peakScore = r.score;
        st.peakValue = r.value;
        st.peakExpected = r.expected;
        st.peakLower = r.lower;
        st.peakUpper = r.upper;
    }

    private static AlertEvent seriesEvent(AlertRule.SeriesRule rule, SeriesAlertState st, ScoreRow r, String state, long endsAt) {
        AlertEvent e = event(st.alertId, state, AlertEvent.ANOMALY, r.host, r.metric, st.models, rule.severity(st.peakScore),
                st.startedAt, endsAt, r.timestamp);
        e.value = st.peakValue;
        e.expected = st.peakExpected;
        e.lower = st.peakLower;
        e.upper = st.peakUpper;
        e.score = st.peakScore;
        e.rule = rule.name();
        return e;
    }

    private static AlertEvent event(String id, String state, String kind, String host, String metric, String models,
                                    String severity, long startsAt, long endsAt, long at) {
        AlertEvent e = new AlertEvent();
        e.alertId = id;
        e.state = state;
        e.kind = kind;
        e.host = host;
        e.metric = metric;
        e.models = models;
        e.severity = severity;
        e.startsAt = startsAt;
        e.endsAt = endsAt;
        e.at = at;
        return e;
    }

    /** Whether a comma-separated list holds {@code name}, without splitting it. */
    static boolean has(String list, String name) {
        if (list == null) {
            return false;
        }
        for (int at = list.indexOf(name); at >= 0; at = list.indexOf(name, at + 1)) {
            int end = at + name.length();
            if ((at == 0 || list.charAt(at - 1) == ',') && (end == list.length() || list.charAt(end) == ',')) {
                return true;
            }
        }
        return false;
    }

    private static List<String> split(String list) {
        return list == null || list.isEmpty() ? new ArrayList<>() : new ArrayList<>(Arrays.asList(list.split(",")));
    }

    /** A model's state with nothing seen yet. */
    static long[] fresh(AlertRule rule) {
        long[] s = new long[POINTS];
        s[WINDOW] = rule.window();
        return s;
    }

    /**
     * A model's state as read from Flink, for this rule: fresh when there is none or it was made for
     * another window (the rule changed between runs), converted when it has the layout before
     * 2026-12-03 ({@link #OLD_RINGS}).
     */
    static long[] current(AlertRule rule, long[] s) {
        int w = rule.window();
        if (s == null) {
            return fresh(rule);
        }
        if ((s.length - OLD_RINGS) % 2 == 0) {
            return s.length == OLD_RINGS + 2 * w ? fromRings(s, w) : fresh(rule);
        }
        return s[WINDOW] == w ? s : fresh(rule); // an odd count after the first 6: at least POINTS long
    }

    /** The flagged points of an old-layout state's rings, oldest first. */
    private static long[] fromRings(long[] old, int w) {
        long[] s = new long[POINTS + 2 * w];
        System.arraycopy(old, 0, s, 0, OLD_RINGS);
        s[WINDOW] = w;
        int j = POINTS;
        for (long back = Math.min(w, old[SEEN]) - 1; back >= 0; back--) {
            if ((old[BITS] >>> back & 1) == 1) {
                int at = (int) ((old[SEEN] - 1 - back) % w);
                s[j++] = old[OLD_RINGS + at];
                s[j++] = old[OLD_RINGS + w + at];
            }
        }
        return Arrays.copyOf(s, j);
    }

    /**
     * A point through a model's state machine.
     *
     * @param state the state after it (the array given, unless a flagged point entered or left the window)
     * @param row the row to write, or null
     */
    record Step(long[] state, AlertRow row) {
    }

    /** One point through a model's state machine. Pure, so it is tested without Flink. */
    static Step step(AlertRule rule, long[] s, ScoreRow r) {
        int w = rule.window();
        long mask = (1L << w) - 1;
        boolean leaving = (s[BITS] >>> (w - 1) & 1) == 1; // the oldest point of the window was flagged and goes
        s[BITS] = ((s[BITS] << 1) | (r.anomaly ? 1 : 0)) & mask;
        if (leaving || r.anomaly) {
            int from = POINTS + (leaving ? 2 : 0);
            long[] next = new long[POINTS + s.length - from + (r.anomaly ? 2 : 0)];
            System.arraycopy(s, 0, next, 0, POINTS);
            System.arraycopy(s, from, next, POINTS, s.length - from);
            if (r.anomaly) {
                next[next.length - 2] = r.timestamp;
                next[next.length - 1] = Double.doubleToLongBits(r.score);
            }
            s = next;
        }
        s[SEEN]++;
        return new Step(s, transition(rule, s, r));
    }

    private static AlertRow transition(AlertRule rule, long[] s, ScoreRow r) {
        if (s[STARTED] == 0) {
            if (r.anomaly && Long.bitCount(s[BITS]) >= rule.fireAfter()) {
                // the window that fired it: its first flagged point, its flags, its peak
                long start = r.timestamp;
                double peak = r.score;
                for (int j = POINTS; j < s.length; j += 2) {
                    start = Math.min(start, s[j]);
                    peak = Math.max(peak, Double.longBitsToDouble(s[j + 1]));
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
