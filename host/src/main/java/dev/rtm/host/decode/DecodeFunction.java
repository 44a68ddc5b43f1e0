package dev.rtm.host.decode;

import dev.rtm.wire.SchemaRegistryClient;
import dev.rtm.wire.WireFormat;
import dev.rtm.wire.Schemas;
import dev.rtm.wire.DecodeException;
import dev.rtm.host.retry.Outage;
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
 *
 * <p>A schema registry that cannot be reached (or answers 5xx) is not the record's fault: decoding
 * waits for it (0.5 s doubling to 15 s, a log line every 30 s: {@link Outage}) and the records behind wait in Kafka,
 * rather than good records being dead-lettered for the length of a registry restart. Only schema ids
 * not yet cached need the registry, so a running job meets this only for a new schema.
 */
public final class DecodeFunction extends ProcessFunction<RawRecord, MetricPoint> {

    private static final long serialVersionUID = 1L;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DecodeFunction.class);

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

    /** {@link WireFormat#decode}, waiting out an unreachable registry instead of refusing the record. */
    static org.apache.avro.generic.GenericRecord decodeWaitingForRegistry(WireFormat wire, byte[] value) throws DecodeException {
        Outage registry = null; // only once it fails: this runs for every record
        while (true) {
            try {
                return wire.decode(value);
            } catch (DecodeException e) {
                if (!"registry_unreachable".equals(e.kind())) {
                    throw e;
                }
                if (registry == null) {
                    registry = new Outage();
                }
                if (registry.failed()) {
                    LOG.warn("{}; decoding waits for it (waited {} s so far; the records behind wait in Kafka)", e.getMessage(),
                            registry.millis() / 1000);
                }
                try {
                    registry.pause();
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the schema registry", ie);
                }
            }
        }
    }

    @Override
    public void processElement(RawRecord raw, Context ctx, Collector<MetricPoint> out) {
        MetricsValidator.Result result;
        try {
            result = validator.validate(decodeWaitingForRegistry(wire, raw.value), System.currentTimeMillis());
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
