package dev.rtm.host.detect;

import dev.rtm.api.Assessment;
import dev.rtm.api.SeriesDetector;
import dev.rtm.api.SeriesKey;
import dev.rtm.api.StateFormatException;
import dev.rtm.host.config.ConfigLoader;
import dev.rtm.host.config.RtmConfig;
import dev.rtm.host.decode.MetricPoint;
import dev.rtm.host.plugin.PluginRegistry;
import dev.rtm.host.typeinfo.VarBytesSerializer;
import dev.rtm.host.typeinfo.VarLongArraySerializer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The detection operator, keyed by series ({@link #key}). For every point it runs each detector
 * the config selects for the series and emits one {@link ScoreRow} per detector.
 *
 * <ul>
 *   <li><b>State</b>: each detector's per-series model lives in Flink keyed state as the bytes the
 *       plugin's {@code snapshot()} gives (a map model → bytes), so it is checkpointed and
 *       restored with the job. Between checkpoints the live detectors stay in memory; run by
 *       {@link DetectOperator}, the bytes of every series that took points since the last checkpoint
 *       are written just before the next one ({@link #writeState}), not per point.</li>
 *   <li><b>Order rule</b>: a point not newer than the series' last accepted point (late or
 *       duplicate) is dropped and counted ({@code latePointsDropped}).</li>
 *   <li><b>Plugins</b>: loaded once per JVM ({@link PluginRegistry#acquire}), shared by all
 *       subtasks. A detector that throws is isolated: that point gets no row from it, the failure
 *       is counted ({@code detectorFailures}) and logged once per model, and the others go on. One
 *       whose call throws {@link OutOfMemoryError} has its live detectors dropped on every series of
 *       the subtask (what they hold can be reclaimed) and is quarantined on all of them
 *       ({@link DetectorGuard#outOfMemory}, counted in {@code detectorOutOfMemory}, a
 *       {@code detector} alert on the series). An OutOfMemoryError thrown outside a detector's call
 *       (another thread, Flink's own code) is Flink's to handle: the task fails and the job restarts
 *       from its last checkpoint, or the TaskManager exits with {@code taskmanager.jvm-exit-on-oom}.</li>
 *   <li><b>Warm-up from history</b> (optional, {@link #withWarmUp}): the first time a series is
 *       seen without state, its detectors are fed its last stored points first (their rows are not
 *       emitted), so they score from this point as if they had run all along.</li>
 *   <li><b>Ensembles</b>: an {@link Ensemble} runs after its members (the catalog orders them so)
 *       and combines the rows they just gave this point into a row of its own; it keeps no state.</li>
 *   <li><b>Metrics</b> per model (a {@code model} label, registered at the model's first point in the
 *       subtask): {@code pointsScored}, and {@code scoringLatencyNanos}, a histogram of one
 *       {@code update} call timed on one point in {@value #LATENCY_SAMPLE} (two clock reads per
 *       sample, nothing on the other points).</li>
 * </ul>
 */
public final class DetectFunction extends KeyedProcessFunction<String, MetricPoint, ScoreRow> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DetectFunction.class);

    /** Name of the plugins dir in Flink's distributed cache, when the job ships it. */
    public static final String PLUGINS_CACHE = "rtm-plugins";

    /** Quarantines starting and ending ({@link DetectorGuard}): the alert path tells people. */
    public static final org.apache.flink.util.OutputTag<DetectorGuard.Change> QUARANTINES =
            new org.apache.flink.util.OutputTag<>("quarantines") { };

    /** Forecasts the models make, every {@code forecastEvery} points of a series. */
    public static final org.apache.flink.util.OutputTag<ForecastRow> FORECASTS =
            new org.apache.flink.util.OutputTag<>("forecasts") { };

    private final String configYaml;
    private final String configOrigin;
    private final String pluginsDir;
    private final int forecastEvery;
    private final int forecastHorizon;

    private HistoryWarmUp warmUp;
    private long budgetMillis = 10_000;
    private long backoffMillis = 300_000;

    private transient PluginRegistry registry;
    private transient DetectorCatalog catalog;
    private transient MapState<String, byte[]> models;
    /** Per series: {time of the last accepted point, points accepted}. */
    private transient ValueState<long[]> progress;
    /** Per series: its detectors, live ({@link SeriesModels}). */
    private transient Map<String, SeriesModels> bySeries;
    /** The distinct selections of the series, so that series selecting the same detectors share one list. */
    private transient Map<List<ConfiguredDetector>, List<ConfiguredDetector>> selections;
    private transient Set<String> reported;
    private transient Counter late;
    private transient Counter failures;
    private transient Counter restoresRefused;
    private transient DetectorGuard guard;
    private transient Counter warmedSeries;
    private transient Counter warmUpPoints;
    private transient java.util.IdentityHashMap<ConfiguredDetector, ModelMetrics> modelMetrics;

    /**
     * A series' detectors in memory: the ones its rules select (fixed per series, so matched once,
     * not per point), their live instances by the same position (null: not opened yet, or dropped
     * to be rebuilt from the last saved bytes), and whether they took points since their state was
     * last written. One small object a series: with a million series, per-series maps and sets
     * here would cost more heap than the detectors themselves.
     */
    private static final class SeriesModels {
        final List<ConfiguredDetector> selected;
        final SeriesDetector[] live;
        boolean dirty;

        SeriesModels(List<ConfiguredDetector> selected) {
            this.selected = selected;
            this.live = new SeriesDetector[selected.size()];
        }
    }

    /** One point in this many has its scoring timed (a power of two). */
    static final int LATENCY_SAMPLE = 64;

    /** A model's metrics in this subtask. */
    private static final class ModelMetrics {
        final Counter scored;
        final org.apache.flink.metrics.Histogram latency;
        int points;

        ModelMetrics(org.apache.flink.metrics.MetricGroup group) {
            scored = group.counter("pointsScored");
            latency = group.histogram("scoringLatencyNanos",
                    new org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram(1024));
        }
    }

    /**
     * @param configYaml the config file's text (already validated by the client)
     * @param configOrigin where it came from, for messages and relative paths; may be null
     * @param pluginsDir the plugins dir on the TaskManagers; if it does not exist there, the copy
     *        shipped with the job in the distributed cache ({@link #PLUGINS_CACHE}) is used
     */
    public DetectFunction(String configYaml, String configOrigin, String pluginsDir) {
        this(configYaml, configOrigin, pluginsDir, 0, 0);
    }

    /**
     * @param forecastEvery emit each model's forecast every this many points of a series (0: never),
     *        to the {@link #FORECASTS} side output
     * @param forecastHorizon points ahead; their times continue the series' last step
     */
    public DetectFunction(String configYaml, String configOrigin, String pluginsDir, int forecastEvery, int forecastHorizon) {
        this.configYaml = configYaml;
        this.configOrigin = configOrigin;
        this.pluginsDir = pluginsDir;
        this.forecastEvery = forecastEvery;
        this.forecastHorizon = forecastHorizon;
    }

    /**
     * Primes each series' detectors from its stored history the first time the series is seen
     * without state ({@code job.warm-up-points}); null: every series starts cold.
     *
     * @return this function
     */
    public DetectFunction withWarmUp(HistoryWarmUp warmUp) {
        this.warmUp = warmUp;
        return this;
    }

    /**
     * The time budget of one model's work on one point, and the first quarantine of a model that
     * overruns it ({@link DetectorGuard}); 10 s and 5 min unless set (an ARIMA refit or a first call can take seconds on a busy machine).
     *
     * @return this function
     */
    public DetectFunction withTimeBudget(long budgetMillis, long backoffMillis) {
        this.budgetMillis = budgetMillis;
        this.backoffMillis = backoffMillis;
        return this;
    }

    /**
     * The plugins dir on this TaskManager: {@code pluginsDir} where it exists, else the copy the job
     * shipped through Flink's distributed cache ({@link #PLUGINS_CACHE}).
     */
    public static Path pluginsDir(org.apache.flink.api.common.functions.RuntimeContext ctx, String pluginsDir) {
        Path dir = Path.of(pluginsDir);
        if (!java.nio.file.Files.isDirectory(dir)) {
            try {
                dir = ctx.getDistributedCache().getFile(PLUGINS_CACHE).toPath();
                LOG.info("plugins dir {} does not exist on this TaskManager: using the copy shipped with the job ({})", pluginsDir, dir);
            } catch (IllegalArgumentException notShipped) {
                throw new IllegalStateException("plugins dir " + pluginsDir + " does not exist on this TaskManager and the "
                        + "job did not ship one (set plugins.dir to a dir every TaskManager has, or ship the plugins)");
            }
        }
        return dir;
    }

    /** The key of a point's series. */
    public static String key(MetricPoint p) {
        return p.host() + '\u0000' + p.metric();
    }

    @Override
    public void open(OpenContext ctx) {
        RtmConfig cfg = ConfigLoader.parseText(configYaml, configOrigin == null ? null : Path.of(configOrigin), System.getenv());
        registry = PluginRegistry.acquire(pluginsDir(getRuntimeContext(), pluginsDir));
        catalog = DetectorCatalog.build(cfg, registry);
        models = getRuntimeContext().getMapState(new MapStateDescriptor<>("detector-state",
                StringSerializer.INSTANCE, VarBytesSerializer.INSTANCE));
        progress = getRuntimeContext().getState(new ValueStateDescriptor<>("progress", VarLongArraySerializer.INSTANCE));
        bySeries = new HashMap<>();
        selections = new HashMap<>();
        reported = new HashSet<>();
        late = getRuntimeContext().getMetricGroup().counter("latePointsDropped");
        failures = getRuntimeContext().getMetricGroup().counter("detectorFailures");
        restoresRefused = getRuntimeContext().getMetricGroup().counter("detectorStatesRefused");
        guard = new DetectorGuard(budgetMillis, backoffMillis, System::currentTimeMillis);
        getRuntimeContext().getMetricGroup().gauge("detectorOverruns", () -> guard.overruns());
        getRuntimeContext().getMetricGroup().gauge("quarantinedModels", () -> guard.quarantined());
        getRuntimeContext().getMetricGroup().gauge("detectorOutOfMemory", () -> guard.outOfMemories());
        warmedSeries = getRuntimeContext().getMetricGroup().counter("warmUpSeries");
        warmUpPoints = getRuntimeContext().getMetricGroup().counter("warmUpPoints");
        modelMetrics = new java.util.IdentityHashMap<>();
    }

    private ModelMetrics metrics(ConfiguredDetector d) {
        ModelMetrics m = modelMetrics.get(d);
        if (m == null) {
            m = new ModelMetrics(getRuntimeContext().getMetricGroup().addGroup("model", d.name()));
            modelMetrics.put(d, m);
        }
        return m;
    }

    @Override
    public void processElement(MetricPoint p, Context ctx, Collector<ScoreRow> out) throws Exception {
        long[] seen = progress.value();
        if (seen != null && p.timestamp() <= seen[0]) {
            late.inc();
            return;
        }
        long step = seen == null ? 0 : p.timestamp() - seen[0];
        long count = seen == null ? 1 : seen[1] + 1;
        progress.update(new long[] {p.timestamp(), count});
        boolean forecastNow = forecastEvery > 0 && step > 0 && count % forecastEvery == 0;
        SeriesModels mine = bySeries.computeIfAbsent(ctx.getCurrentKey(),
                k -> new SeriesModels(selections.computeIfAbsent(catalog.select(p.host(), p.metric()), l -> l)));
        List<ConfiguredDetector> selected = mine.selected;
        if (selected.isEmpty()) {
            return;
        }
        mine.dirty = true;
        HistoryWarmUp.Points history = seen == null && warmUp != null ? warmUp.history(p.host(), p.metric(), p.timestamp()) : null;
        if (history != null && history.size() > 0) {
            warmedSeries.inc();
            warmUpPoints.inc(history.size());
        }
        Map<String, Assessment> now = new HashMap<>(); // this point's rows, for the ensembles (after their members)
        for (int i = 0; i < selected.size(); i++) {
            ConfiguredDetector d = selected.get(i);
            if (d.ensemble() != null) {
                Assessment a = d.ensemble().assess(d.ensemble().members().stream().map(m -> now.get(m.name()))
                        .toArray(Assessment[]::new));
                if (a != null) {
                    ScoreRow row = new ScoreRow(p.host(), p.metric(), d.name(), p.timestamp(), p.value(),
                            a.expected(), a.lower(), a.upper(), a.score(), a.anomaly());
                    row.seriesModels = selected.size();
                    out.collect(row);
                    metrics(d).scored.inc();
                }
                continue;
            }
            String series = ctx.getCurrentKey();
            if (!guard.allowed(series, d.name())) {
                continue; // quarantined: tried again when its back-off ends
            }
            Throwable failure = null;
            OutOfMemoryError outOfMemory = null;
            // only the detector's own calls run under the guard: the rows are emitted after it, since
            // emitting runs the chained operators downstream (a sink waiting out a database outage must
            // neither count against the detector's budget nor have its wait interrupted as the detector's)
            ScoreRow row = null;
            dev.rtm.api.Forecast forecast = null;
            guard.begin(series, d.name());
            try {
                SeriesDetector sd = mine.live[i];
                if (sd == null) {
                    sd = open(d, new SeriesKey(p.host(), p.metric()));
                    mine.live[i] = sd;
                    if (history != null && history.size() > 0) {
                        for (int h = 0; h < history.size(); h++) {
                            sd.update(history.times()[h], history.values()[h]);
                        }
                        guard.begin(series, d.name()); // the budget is for this point, not the history
                    }
                }
                ModelMetrics mm = metrics(d);
                Assessment a;
                if ((++mm.points & (LATENCY_SAMPLE - 1)) == 0) {
                    long t0 = System.nanoTime();
                    a = sd.update(p.timestamp(), p.value());
                    mm.latency.update(System.nanoTime() - t0);
                } else {
                    a = sd.update(p.timestamp(), p.value());
                }
                mm.scored.inc();
                now.put(d.name(), a);
                row = new ScoreRow(p.host(), p.metric(), d.name(), p.timestamp(), p.value(),
                        a.expected(), a.lower(), a.upper(), a.score(), a.anomaly());
                row.seriesModels = selected.size();
                if (forecastNow) {
                    forecast = sd.forecast(forecastHorizon);
                }
            } catch (RuntimeException | LinkageError e) {
                failure = e;
            } catch (OutOfMemoryError e) {
                outOfMemory = e;
                dropEverywhere(d.name()); // first, so that the memory its detectors hold can be reclaimed
            } finally {
                long took = guard.end();
                if (outOfMemory != null) {
                    DetectorGuard.Change c = guard.outOfMemory(p.host(), p.metric(), series, d.name(), p.timestamp(), took, outOfMemory);
                    if (c != null) {
                        ctx.output(QUARANTINES, c);
                    }
                } else if (guard.over(took)) {
                    mine.live[i] = null; // rebuilt from the last good state bytes when tried again
                    DetectorGuard.Change c = guard.overran(p.host(), p.metric(), series, d.name(), p.timestamp(), took);
                    if (c != null) {
                        ctx.output(QUARANTINES, c);
                    }
                } else if (failure == null) {
                    DetectorGuard.Change c = guard.succeeded(p.host(), p.metric(), series, d.name(), p.timestamp());
                    if (c != null) {
                        ctx.output(QUARANTINES, c);
                    }
                }
            }
            if (row != null && outOfMemory == null) {
                out.collect(row);
            }
            if (forecast != null && failure == null && outOfMemory == null) {
                double[] e = forecast.expected(); // Forecast hands out copies
                if (java.util.Arrays.stream(e).anyMatch(Double::isFinite)) {
                    ctx.output(FORECASTS, new ForecastRow(p.host(), p.metric(), d.name(), p.timestamp(), step, e, forecast.lower(),
                            forecast.upper()));
                }
            }
            if (failure != null) {
                failures.inc();
                mine.live[i] = null; // rebuilt from the last good state bytes on the next point
                if (reported.add(d.name())) {
                    LOG.error("detector '{}' failed on {}/{}; its points are skipped while it fails, the other "
                            + "detectors go on (reported once per detector per subtask)", d.name(), p.host(), p.metric(), failure);
                }
            }
        }
    }

    /**
     * Writes the snapshot bytes of the live detectors of every series that took points since the
     * last call into keyed state; {@code setKey} switches the state backend to a series' key. Called
     * by {@link DetectOperator} before each checkpoint barrier. A detector whose snapshot fails keeps
     * its previous bytes (logged and counted as a failure); a restore then resumes from those.
     */
    public void writeState(java.util.function.Consumer<String> setKey) throws Exception {
        Map<String, OutOfMemoryError> outOfMemory = new HashMap<>();
        for (Map.Entry<String, SeriesModels> s : bySeries.entrySet()) {
            SeriesModels mine = s.getValue();
            if (!mine.dirty) {
                continue;
            }
            mine.dirty = false;
            String key = s.getKey();
            boolean keySet = false;
            for (int i = 0; i < mine.live.length; i++) {
                SeriesDetector sd = mine.live[i];
                if (sd == null) {
                    continue;
                }
                if (!keySet) {
                    setKey.accept(key);
                    keySet = true;
                }
                String model = mine.selected.get(i).name();
                try {
                    models.put(model, sd.snapshot());
                } catch (OutOfMemoryError oom) {
                    outOfMemory.put(model, oom);
                } catch (RuntimeException | LinkageError failure) {
                    failures.inc();
                    if (reported.add("snapshot:" + model)) {
                        LOG.error("detector '{}' failed to save its state for {}; its last saved state is kept (reported once "
                                + "per detector per subtask)", model, key.replace('\u0000', '/'), failure);
                    }
                }
            }
            for (Map.Entry<String, OutOfMemoryError> e : outOfMemory.entrySet()) {
                failures.inc();
                dropEverywhere(e.getKey());
                guard.outOfMemory(null, null, null, e.getKey(), 0, 0, e.getValue());
            }
            outOfMemory.clear();
        }
    }

    /**
     * Drops {@code model}'s live detectors on every series of this subtask, so that memory they hold
     * can be reclaimed; each is rebuilt from its last saved state bytes when the model is tried again.
     */
    private void dropEverywhere(String model) {
        for (SeriesModels mine : bySeries.values()) {
            for (int i = 0; i < mine.live.length; i++) {
                if (mine.selected.get(i).name().equals(model)) {
                    mine.live[i] = null;
                }
            }
        }
    }

    private SeriesDetector open(ConfiguredDetector d, SeriesKey series) throws Exception {
        byte[] bytes = models.get(d.name());
        if (bytes != null) {
            try {
                return d.detector().restore(series, bytes);
            } catch (StateFormatException e) {
                restoresRefused.inc();
                if (reported.add("state:" + d.name())) { // once per detector and subtask; the rest are counted
                    LOG.warn("state of detector '{}' for {} was refused ({}); the series starts afresh, and so does every "
                            + "other series whose state it refuses (counted in detectorStatesRefused)", d.name(), series, e.getMessage());
                }
            }
        }
        return d.detector().create(series);
    }

    @Override
    public void close() {
        if (guard != null) {
            guard.close();
        }
        if (warmUp != null) {
            warmUp.close();
        }
        if (catalog != null) {
            catalog.close();
        }
        if (registry != null) {
            registry.release();
        }
    }
}
