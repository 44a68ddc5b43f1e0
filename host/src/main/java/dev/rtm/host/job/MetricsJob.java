package dev.rtm.host.job;

import dev.rtm.host.alert.AlertEvent;
import dev.rtm.host.alert.AlertFunction;
import dev.rtm.host.alert.AlertRow;
import dev.rtm.host.config.PostgresSettings;
import dev.rtm.host.decode.DecodeFunction;
import dev.rtm.host.decode.MetricPoint;
import dev.rtm.host.detect.DetectFunction;
import dev.rtm.host.detect.DetectOperator;
import dev.rtm.host.detect.HistoryWarmUp;
import dev.rtm.host.detect.ScoreRow;
import dev.rtm.host.notify.NotifyFunction;
import dev.rtm.host.sink.AlertEventsTable;
import dev.rtm.host.sink.AlertsTable;
import dev.rtm.host.sink.AnomalySink;
import dev.rtm.host.sink.AvroTopicSink;
import dev.rtm.host.sink.DeadLetterSink;
import dev.rtm.host.sink.ForecastsTable;
import dev.rtm.host.sink.MetricsTable;
import dev.rtm.host.sink.PostgresSink;
import dev.rtm.host.sink.PostgresTable;
import dev.rtm.host.sink.ScoresTable;
import dev.rtm.host.source.KafkaMetricsSource;
import dev.rtm.host.source.RawRecord;
import dev.rtm.wire.Schemas;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

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

    /** Adds the whole graph to {@code env}; see the class comment. */
    public static Streams build(StreamExecutionEnvironment env, JobSettings s) {
        JobSettings.Kafka kafka = s.kafka();
        JobSettings.Config config = s.config();
        PostgresSettings pg = s.postgres();
        // Chained operators hand records on without a serializer copy (measured by rtm bench: the copies
        // were an eighth of the detect task's CPU). Safe here because no function keeps or changes a record
        // it was given after its call returns: MetricPoint is immutable, the alert stage copies a ScoreRow's
        // fields into its own state, the sinks encode a row when they are handed it.
        env.getConfig().enableObjectReuse();
        if (s.plugins().ship() != null) {
            env.registerCachedFile(s.plugins().ship(), DetectFunction.PLUGINS_CACHE);
        }
        DataStream<RawRecord> raw = env.fromSource(
                KafkaMetricsSource.build(kafka.bootstrap(), kafka.metricsTopic(), kafka.group(), s.bounded()),
                WatermarkStrategy.noWatermarks(), "source: kafka " + kafka.metricsTopic()).uid("source-metrics");
        SingleOutputStreamOperator<MetricPoint> points = raw
                .process(new DecodeFunction(kafka.registryUrl(), s.limits().maxFuture(), s.limits().maxPast()))
                .name("decode + validate").uid("decode");
        points.getSideOutput(DecodeFunction.DEAD_LETTERS)
                .sinkTo(DeadLetterSink.build(kafka.bootstrap(), kafka.deadLetterTopic()))
                .name("sink: kafka " + kafka.deadLetterTopic()).uid("sink-dead-letters");
        JobSettings.Detection detection = s.detection();
        HistoryWarmUp warmUp = pg == null || detection.warmUpPoints() == 0 ? null
                : new HistoryWarmUp(pg.url(), pg.user(), pg.password(), detection.warmUpPoints());
        SingleOutputStreamOperator<ScoreRow> scores = DetectOperator.apply(points.keyBy(DetectFunction::key, Types.STRING),
                        new DetectFunction(config.yaml(), config.origin(), s.plugins().dir(), s.forecasts().every(), s.forecasts().horizon())
                                .withWarmUp(warmUp).withTimeBudget(detection.timeBudget().toMillis(), detection.quarantineBackoff().toMillis()))
                .name("detect").uid("detect");
        if (kafka.anomaliesTopic() != null) {
            scores.filter(r -> r.anomaly).name("flagged")
                    .sinkTo(AnomalySink.build(kafka.bootstrap(), kafka.anomaliesTopic(), kafka.registryUrl()))
                    .name("sink: kafka " + kafka.anomaliesTopic()).uid("sink-anomalies");
        }
        // The alert stage is keyed by series like detect, and a series' score rows come out of the detect
        // subtask that owns the series: no shuffle, the alert operator runs chained to detect (measured by
        // rtm bench: serialising every score row across the network was a quarter of the detect task's CPU).
        SingleOutputStreamOperator<AlertRow> alerts = DataStreamUtils.reinterpretAsKeyedStream(scores, AlertFunction::key, Types.STRING)
                .process(new AlertFunction(s.alerts())).name("alert").uid("alert");
        DataStream<AlertEvent> events = alerts.getSideOutput(AlertFunction.EVENTS)
                .union(scores.getSideOutput(DetectFunction.QUARANTINES).map(AlertEvent::of).name("quarantine alerts"));
        String alertsTopic = kafka.alertTransitionsTopic();
        if (alertsTopic != null) {
            events.sinkTo(AvroTopicSink.atLeastOnce(kafka.bootstrap(), alertsTopic, kafka.registryUrl(), Schemas.ALERT_EVENT,
                    AlertEvent::toAvro, e -> e.host, e -> e.at)).name("sink: kafka " + alertsTopic).uid("sink-alert-events-kafka");
        }
        if (pg != null) {
            points.sinkTo(postgres(pg, MetricsTable.TABLE, pg.flushInterval())).name("sink: postgres metrics").uid("sink-metrics");
            scores.sinkTo(postgres(pg, ScoresTable.TABLE, pg.flushInterval())).name("sink: postgres anomaly_scores").uid("sink-scores");
            alerts.sinkTo(postgres(pg, AlertsTable.TABLE, pg.flushInterval())).name("sink: postgres alerts").uid("sink-alerts");
            events.sinkTo(postgres(pg, AlertEventsTable.TABLE, min(pg.flushInterval(), Duration.ofMillis(500))))
                    .name("sink: postgres alert_events").uid("sink-alert-events");
            // the notify stage reads alert_events from the database; the stream only wakes it early
            events.process(new NotifyFunction(config.yaml(), config.origin(), s.plugins().dir(), pg))
                    .setParallelism(1).name("notify").uid("notify")
                    .sinkTo(new DiscardingSink<>()).setParallelism(1).name("notify: done").uid("notify-done");
            if (s.forecasts().every() > 0) {
                scores.getSideOutput(DetectFunction.FORECASTS)
                        .sinkTo(postgres(pg, ForecastsTable.TABLE, pg.flushInterval())).name("sink: postgres forecasts").uid("sink-forecasts");
            }
        }
        return new Streams(points, scores);
    }

    private static <T> PostgresSink<T> postgres(PostgresSettings pg, PostgresTable<T> table, Duration flush) {
        return new PostgresSink<>(pg.url(), pg.user(), pg.password(), table, pg.batchSize(), flush.toMillis(), pg.outageTolerance().toMillis());
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
