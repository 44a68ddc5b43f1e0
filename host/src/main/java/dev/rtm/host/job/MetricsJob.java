package dev.rtm.host.job;

import dev.rtm.host.alert.AlertEvent;
import dev.rtm.host.alert.AlertFunction;
import dev.rtm.host.alert.AlertRow;
import dev.rtm.host.config.ConfigLoader;
import dev.rtm.host.config.HostSettings;
import dev.rtm.wire.Schemas;
import dev.rtm.host.notify.NotifyFunction;
import dev.rtm.host.sink.AvroTopicSink;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import dev.rtm.host.decode.DecodeFunction;
import dev.rtm.host.decode.MetricPoint;
import dev.rtm.host.detect.DetectFunction;
import dev.rtm.host.detect.DetectOperator;
import dev.rtm.host.detect.HistoryWarmUp;
import dev.rtm.host.detect.ScoreRow;
import dev.rtm.host.sink.AnomalySink;
import dev.rtm.host.sink.DeadLetterSink;
import dev.rtm.host.sink.PostgresSink;
import dev.rtm.host.sink.AlertEventsTable;
import dev.rtm.host.sink.AlertsTable;
import dev.rtm.host.sink.ForecastsTable;
import dev.rtm.host.sink.MetricsTable;
import dev.rtm.host.sink.ScoresTable;
import dev.rtm.host.source.KafkaMetricsSource;
import dev.rtm.host.source.RawRecord;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The streaming job's graph:
 * <pre>
 *   Kafka "metrics" ─▶ decode + validate ─▶ keyBy(host, metric) ─▶ detect ─▶ PostgreSQL anomaly_scores
 *                            │                                                   ├─▶ flagged ─▶ Kafka "anomalies"
 *                            │                                 keyBy(host, metric) ─▶ alert ─▶ PostgreSQL alerts (per model)
 *                            │                                                          ├─▶ Kafka "alerts" (series transitions)
 *                            │                                                          └─▶ PostgreSQL alert_events ─▶ notify ─▶ alerter plugins
 *                            ├─▶ PostgreSQL metrics (raw values)
 *                            └─▶ dead letters ─▶ Kafka "metrics-dlq"
 * </pre>
 */
public final class MetricsJob {

    private MetricsJob() {
    }

    /**
     * The job's main streams.
     *
     * @param points every accepted point (raw values)
     * @param scores one row per point per selected detector
     */
    public record Streams(DataStream<MetricPoint> points, DataStream<ScoreRow> scores) {
    }

    /** Adds source, decoding, dead-lettering and detection to {@code env}. */
    /** The config's {@code job} section. */
    private static dev.rtm.api.Settings job(JobSettings s) {
        return ConfigLoader.parseText(s.configYaml(), s.configOrigin() == null ? null : java.nio.file.Path.of(s.configOrigin()),
                System.getenv()).host().job();
    }

    /** Warm-up from history when {@code job.warm-up-points} is set and the job stores its points; else null. */
    private static HistoryWarmUp warmUp(JobSettings s) {
        if (s.postgres() == null) {
            return null;
        }
        int points = job(s).get(HostSettings.Job.WARM_UP_POINTS);
        return points == 0 ? null : new HistoryWarmUp(s.postgres().url(), s.postgres().user(), s.postgres().password(), points);
    }

    public static Streams build(StreamExecutionEnvironment env, JobSettings s) {
        if (s.shipPlugins() != null) {
            env.registerCachedFile(s.shipPlugins(), DetectFunction.PLUGINS_CACHE);
        }
        DataStream<RawRecord> raw = env.fromSource(
                KafkaMetricsSource.build(s.bootstrap(), s.metricsTopic(), s.groupId(), s.bounded()),
                WatermarkStrategy.noWatermarks(), "source: kafka " + s.metricsTopic()).uid("source-metrics");
        SingleOutputStreamOperator<MetricPoint> points = raw
                .process(new DecodeFunction(s.registryUrl(), s.maxFuture(), s.maxPast()))
                .name("decode + validate").uid("decode");
        points.getSideOutput(DecodeFunction.DEAD_LETTERS)
                .sinkTo(DeadLetterSink.build(s.bootstrap(), s.deadLetterTopic()))
                .name("sink: kafka " + s.deadLetterTopic()).uid("sink-dead-letters");
        SingleOutputStreamOperator<ScoreRow> scores = DetectOperator.apply(points.keyBy(DetectFunction::key, Types.STRING),
                        new DetectFunction(s.configYaml(), s.configOrigin(), s.pluginsDir(), s.forecastEvery(), s.forecastHorizon())
                                .withWarmUp(warmUp(s)).withTimeBudget(job(s).get(HostSettings.Job.TIME_BUDGET),
                                        job(s).get(HostSettings.Job.QUARANTINE_BACKOFF) * 1000L))
                .name("detect").uid("detect");
        if (s.anomaliesTopic() != null) {
            scores.filter(r -> r.anomaly).name("flagged")
                    .sinkTo(AnomalySink.build(s.bootstrap(), s.anomaliesTopic(), s.registryUrl()))
                    .name("sink: kafka " + s.anomaliesTopic()).uid("sink-anomalies");
        }
        SingleOutputStreamOperator<AlertRow> alerts = scores.keyBy(AlertFunction::key, Types.STRING)
                .process(new AlertFunction(s.alerts())).name("alert").uid("alert");
        DataStream<AlertEvent> events = alerts.getSideOutput(AlertFunction.EVENTS)
                .union(scores.getSideOutput(DetectFunction.QUARANTINES).map(AlertEvent::of).name("quarantine alerts"));
        String alertsTopic = s.anomaliesTopic() == null ? null : HostSettings.orNull(ConfigLoader.parseText(s.configYaml(),
                s.configOrigin() == null ? null : java.nio.file.Path.of(s.configOrigin()), System.getenv()).host().kafka()
                .get(HostSettings.Kafka.ALERTS));
        if (alertsTopic != null) {
            events.sinkTo(AvroTopicSink.atLeastOnce(s.bootstrap(), alertsTopic, s.registryUrl(), Schemas.ALERT_EVENT,
                    AlertEvent::toAvro, e -> e.host, e -> e.at)).name("sink: kafka " + alertsTopic).uid("sink-alert-events-kafka");
        }
        JobSettings.Postgres pg = s.postgres();
        if (pg != null) {
            points.sinkTo(new PostgresSink<>(pg.url(), pg.user(), pg.password(), MetricsTable.TABLE,
                    pg.batchSize(), pg.flushMillis(), pg.outageMillis())).name("sink: postgres metrics").uid("sink-metrics");
            scores.sinkTo(new PostgresSink<>(pg.url(), pg.user(), pg.password(), ScoresTable.TABLE,
                    pg.batchSize(), pg.flushMillis(), pg.outageMillis())).name("sink: postgres anomaly_scores").uid("sink-scores");
            alerts.sinkTo(new PostgresSink<>(pg.url(), pg.user(), pg.password(), AlertsTable.TABLE,
                    pg.batchSize(), pg.flushMillis(), pg.outageMillis())).name("sink: postgres alerts").uid("sink-alerts");
            events.sinkTo(new PostgresSink<>(pg.url(), pg.user(), pg.password(), AlertEventsTable.TABLE,
                    pg.batchSize(), Math.min(pg.flushMillis(), 500), pg.outageMillis())).name("sink: postgres alert_events").uid("sink-alert-events");
            // the notify stage reads alert_events from the database; the stream only wakes it early
            events.process(new NotifyFunction(s.configYaml(), s.configOrigin(), s.pluginsDir(), pg))
                    .setParallelism(1).name("notify").uid("notify")
                    .sinkTo(new DiscardingSink<>()).setParallelism(1).name("notify: done").uid("notify-done");
            if (s.forecastEvery() > 0) {
                scores.getSideOutput(DetectFunction.FORECASTS)
                        .sinkTo(new PostgresSink<>(pg.url(), pg.user(), pg.password(), ForecastsTable.TABLE,
                                pg.batchSize(), pg.flushMillis(), pg.outageMillis())).name("sink: postgres forecasts").uid("sink-forecasts");
            }
        }
        return new Streams(points, scores);
    }
}
