package dev.rtm.host.decode;

import dev.rtm.host.source.RawRecord;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Decodes and validates raw {@code metrics} records into points. What cannot be used goes to the
 * {@link #DEAD_LETTERS} side output with its reason (and is counted as {@code deadLetters}, and
 * by class of reason as {@code deadLettersByReason} with a {@code reason} label); it never stops the job. A record refused in part (one NaN among good values) yields its good
 * points and a dead letter naming what was refused.
 */
public final class DecodeFunction extends ProcessFunction<RawRecord, MetricPoint> {

    private static final long serialVersionUID = 1L;

    /** Where refused records go. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") { };

    private final String registryUrl;
    private final MetricsValidator validator;
    private transient WireFormat wire;
    private transient Counter deadLetters;
    private transient Counter decoded;
    /** Per class of reason, registered at its first dead letter. */
    private transient java.util.Map<String, Counter> byReason;

    /**
     * @param registryUrl the Confluent-compatible registry, or null (single-object encoding only)
     * @param maxFuture how far ahead of the clock a timestamp may be
     * @param maxPast how far behind
     */
    public DecodeFunction(String registryUrl, Duration maxFuture, Duration maxPast) {
        this.registryUrl = registryUrl;
        this.validator = new MetricsValidator(maxFuture, maxPast);
    }

    @Override
    public void open(OpenContext ctx) {
        wire = new WireFormat(Schemas.HOST_METRICS, registryUrl == null ? null : new SchemaRegistryClient(registryUrl),
                "metrics-value");
        deadLetters = getRuntimeContext().getMetricGroup().counter("deadLetters");
        decoded = getRuntimeContext().getMetricGroup().counter("recordsDecoded");
        byReason = new java.util.HashMap<>();
    }

    private void deadLetter(String kind) {
        deadLetters.inc();
        byReason.computeIfAbsent(kind, k -> getRuntimeContext().getMetricGroup().addGroup("reason", k)
                .counter("deadLettersByReason")).inc();
    }

    @Override
    public void processElement(RawRecord raw, Context ctx, Collector<MetricPoint> out) {
        MetricsValidator.Result result;
        try {
            result = validator.validate(wire.decode(raw.value), System.currentTimeMillis());
        } catch (DecodeException e) {
            deadLetter(e.kind());
            ctx.output(DEAD_LETTERS, new DeadLetter(raw, e.getMessage()));
            return;
        }
        decoded.inc();
        result.points().forEach(out::collect);
        if (result.reason() != null) {
            deadLetter(result.kind());
            ctx.output(DEAD_LETTERS, new DeadLetter(raw, result.reason()));
        }
    }
}
