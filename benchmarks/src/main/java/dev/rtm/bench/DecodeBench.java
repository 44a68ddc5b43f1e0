package dev.rtm.bench;

import dev.rtm.agent.SyntheticHost;
import dev.rtm.host.decode.MetricsValidator;
import dev.rtm.wire.DecodeException;
import dev.rtm.wire.Schemas;
import dev.rtm.wire.WireFormat;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.avro.generic.GenericRecord;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The job's decode stage on realistic records, one op = one record, against a bare loop over the
 * same records in the same run.
 *
 * <p>Setup encodes {@value #RECORDS} records the way the agent's synthetic mode does:
 * {@value #HOSTS} {@link SyntheticHost}s named and seeded as {@code Agent.syntheticHosts} names and
 * seeds them, one sample per host per one-second tick, tags {@code agent=rtm}, each sample through
 * {@link Schemas#hostMetrics} and a {@link WireFormat} without a registry (single-object
 * encoding, so no service is needed). Every record holds five values.
 *
 * <ul>
 *   <li>{@link #decode}: per record what {@code DecodeFunction.processElement} does to it, minus
 *       Flink's collector and counters: {@link WireFormat#decode} with a {@code WireFormat} made as
 *       its {@code open} makes one, then {@link MetricsValidator#validate} against the clock
 *       (the job's default limits), which yields the points. The values kept are counted as a
 *       second rate ({@code values}/s).</li>
 *   <li>{@link #loop}: the same walk over the same byte arrays, summing their lengths.</li>
 * </ul>
 */
@State(Scope.Thread)
@Fork(1)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 3, time = 4)
public class DecodeBench {

    /** Records encoded in setup; one invocation of either benchmark walks all of them. */
    public static final int RECORDS = 1024;
    /** Synthetic hosts the records come from, in turn. */
    static final int HOSTS = 16;
    /** What {@code job.max-future-s} and {@code job.max-past-s} default to (HostSettings.Job). */
    static final Duration MAX_FUTURE = Duration.ofSeconds(300);
    static final Duration MAX_PAST = Duration.ofDays(7);

    private byte[][] records;
    private WireFormat wire;
    private MetricsValidator validator;
    private int values;

    /** The second rate JMH reports for {@link #decode}: values (points) kept per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Values {
        public long values;

        @Setup(Level.Iteration)
        public void reset() {
            values = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException, DecodeException {
        records = encode(RECORDS, System.currentTimeMillis());
        wire = new WireFormat(Schemas.HOST_METRICS, null, "metrics-value");
        validator = new MetricsValidator(MAX_FUTURE, MAX_PAST);
        long now = System.currentTimeMillis();
        long bytes = 0;
        values = 0;
        for (byte[] r : records) {
            MetricsValidator.Result result = validator.validate(wire.decode(r), now);
            if (result.reason() != null) {
                throw new IllegalStateException("a benchmark record was refused: " + result.reason());
            }
            values += result.points().size();
            bytes += r.length;
        }
        System.out.printf("decode: %d records from %d synthetic hosts, %d values, %.1f bytes a record%n",
                RECORDS, HOSTS, values, (double) bytes / RECORDS);
    }

    /**
     * {@code count} records as the agent encodes them: hosts in turn, a tick a second, the last tick
     * just before {@code now}.
     */
    static byte[][] encode(int count, long now) throws IOException {
        List<SyntheticHost> hosts = new ArrayList<>();
        for (int h = 1; h <= HOSTS; h++) {
            hosts.add(new SyntheticHost("synthetic-" + h, 1000L + h, 86_400, 0, count));
        }
        WireFormat agentWire = new WireFormat(Schemas.HOST_METRICS, null, "metrics-value");
        int ticks = (count + HOSTS - 1) / HOSTS;
        long start = now - ticks * 1000L;
        byte[][] out = new byte[count][];
        for (int i = 0; i < count; i++) {
            SyntheticHost host = hosts.get(i % HOSTS);
            long ts = start + (i / HOSTS) * 1000L;
            out[i] = agentWire.encode(Schemas.hostMetrics(host.name(), ts, host.next(), Map.of("agent", "rtm")));
        }
        return out;
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(RECORDS)
    public long decode(Values counted) throws DecodeException {
        long kept = 0;
        for (byte[] r : records) {
            GenericRecord rec = wire.decode(r);
            kept += validator.validate(rec, System.currentTimeMillis()).points().size();
        }
        counted.values += kept;
        return kept;
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(RECORDS)
    public long loop() {
        long sum = 0;
        for (byte[] r : records) {
            sum += r.length;
        }
        return sum;
    }

    /** The encoded records (for the smoke test). */
    byte[][] records() {
        return records;
    }

    /** Values in all the records, counted in setup. */
    int values() {
        return values;
    }
}
