package dev.rtm.cli.bench;

import dev.rtm.agent.Publisher;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Records the job must refuse whole, for {@code rtm bench --hostile}: each goes to the dead-letter
 * topic and gives no row. Seven kinds in turn, the kinds of {@code FuzzedInputIT} that cost the job
 * something to find out (a record is read from Kafka, decoded as far as it goes, validated, and
 * written back to Kafka as a dead letter):
 * truncated Avro, a first byte that is no framing, an unknown schema fingerprint, a schema-registry
 * frame with no registry configured, NaN and infinite values only, a timestamp 100 years ahead, a host
 * name with a control character. They are keyed by one of {@value #KEYS} host names, as an agent keys its
 * records, so they spread over the topic's partitions like a fleet's bad records do.
 */
final class HostileRecords {

    /** Kinds of hostile record, in the order they come. */
    static final int KINDS = 7;
    private static final int KEYS = 97;
    private static final long CENTURY_MS = 100L * 365 * 86_400_000L;

    private final Publisher encoder;
    private final Random random = new Random(7);
    private long made;

    /** @param encoder encodes the records as the bench's agent does (same framing) */
    HostileRecords(Publisher encoder) {
        this.encoder = encoder;
    }

    /** Records made so far. */
    long made() {
        return made;
    }

    /** The next hostile record for a sample taken at {@code timestamp}. */
    Publisher.Encoded next(long timestamp) throws IOException {
        String host = "hostile-" + made % KEYS;
        int kind = (int) (made++ % KINDS);
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("cpu.total_pct", 10.0 + random.nextDouble());
        values.put("mem.used_pct", 50.0 + random.nextDouble());
        return switch (kind) {
            case 0 -> withValue(encoder.encode(host, timestamp, values, Map.of()), v -> Arrays.copyOf(v, v.length / 2));
            case 1 -> withValue(encoder.encode(host, timestamp, values, Map.of()), v -> {
                v[0] = '{';
                return v;
            });
            case 2 -> withValue(encoder.encode(host, timestamp, values, Map.of()), v -> {
                byte[] fingerprint = new byte[8];
                random.nextBytes(fingerprint);
                System.arraycopy(fingerprint, 0, v, 2, 8); // after the single-object magic C3 01
                return v;
            });
            case 3 -> withValue(encoder.encode(host, timestamp, values, Map.of()), v -> {
                ByteBuffer b = ByteBuffer.allocate(v.length - 5);
                b.put((byte) 0).putInt(1 + random.nextInt(1000)).put(v, 10, v.length - 10);
                return b.array();
            });
            case 4 -> {
                values.replaceAll((k, x) -> random.nextBoolean() ? Double.NaN : Double.POSITIVE_INFINITY);
                yield encoder.encode(host, timestamp, values, Map.of());
            }
            case 5 -> encoder.encode(host, timestamp + CENTURY_MS, values, Map.of());
            default -> encoder.encode(host + "\u0007", timestamp, values, Map.of());
        };
    }

    private static Publisher.Encoded withValue(Publisher.Encoded e, java.util.function.UnaryOperator<byte[]> change) {
        return new Publisher.Encoded(e.key(), change.apply(e.value()));
    }
}
