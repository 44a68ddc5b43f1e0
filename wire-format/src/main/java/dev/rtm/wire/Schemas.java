package dev.rtm.wire;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.apache.avro.Schema;

/** The Avro schemas of rtm's topics, read from the {@code .avsc} files on the classpath. */
public final class Schemas {

    /** Topic {@code metrics}: one sample of one host. */
    public static final Schema HOST_METRICS = load("host-metrics.avsc");
    /** Topic {@code anomalies}: a flagged point. */
    public static final Schema ANOMALY = load("anomaly.avsc");
    /** A series alert's transition: topic {@code alerts}. */
    public static final Schema ALERT_EVENT = load("alert-event.avsc");

    private Schemas() {
    }

    /** A {@code HostMetrics} record. */
    public static org.apache.avro.generic.GenericRecord hostMetrics(String host, long timestamp,
                                                                    java.util.Map<String, Double> metrics,
                                                                    java.util.Map<String, String> tags) {
        org.apache.avro.generic.GenericRecord r = new org.apache.avro.generic.GenericData.Record(HOST_METRICS);
        r.put("host", host);
        r.put("timestamp", timestamp);
        r.put("metrics", metrics);
        r.put("tags", tags);
        return r;
    }

    private static Schema load(String name) {
        try (InputStream in = Schemas.class.getResourceAsStream("/avro/" + name)) {
            if (in == null) {
                throw new IllegalStateException("schema " + name + " is missing from the classpath");
            }
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
