package dev.rtm.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Decodes an OTLP/HTTP {@code ExportMetricsServiceRequest}, as protobuf (the opentelemetry-proto
 * classes) or as OTLP's JSON (lowerCamelCase keys, 64-bit integers as strings or numbers). Gauge and
 * sum points become samples: the point's attributes are its labels, the metric's name its name, the
 * resource's {@code host.name} its host and the resource's {@code service.name} its {@code job} label
 * (unless the point has one). Histogram, exponential histogram and summary points are counted as
 * rejected (OTLP's partial success), and so are points flagged as having no recorded value.
 */
public final class OtlpMetrics {

    /** What a request held. */
    public record Decoded(List<IngestSample> samples, int rejected, String rejectedWhy) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int NO_RECORDED_VALUE = 1;
    private static final String NOT_MAPPED = "histogram, exponential histogram and summary points are not taken (gauges and sums are)";

    private OtlpMetrics() {
    }

    /** A protobuf-encoded request. */
    public static Decoded fromProtobuf(byte[] body) throws MalformedBodyException {
        ExportMetricsServiceRequest req;
        try {
            req = ExportMetricsServiceRequest.parseFrom(body);
        } catch (InvalidProtocolBufferException e) {
            throw new MalformedBodyException("not an OTLP ExportMetricsServiceRequest: " + e.getMessage());
        }
        List<IngestSample> out = new ArrayList<>();
        int rejected = 0;
        for (ResourceMetrics rm : req.getResourceMetricsList()) {
            Map<String, String> resource = attributes(rm.getResource().getAttributesList());
            for (ScopeMetrics sm : rm.getScopeMetricsList()) {
                for (Metric m : sm.getMetricsList()) {
                    List<NumberDataPoint> points;
                    switch (m.getDataCase()) {
                        case GAUGE -> points = m.getGauge().getDataPointsList();
                        case SUM -> points = m.getSum().getDataPointsList();
                        case HISTOGRAM -> {
                            rejected += m.getHistogram().getDataPointsCount();
                            continue;
                        }
                        case EXPONENTIAL_HISTOGRAM -> {
                            rejected += m.getExponentialHistogram().getDataPointsCount();
                            continue;
                        }
                        case SUMMARY -> {
                            rejected += m.getSummary().getDataPointsCount();
                            continue;
                        }
                        default -> {
                            continue;
                        }
                    }
                    for (NumberDataPoint p : points) {
                        if ((p.getFlags() & NO_RECORDED_VALUE) != 0 || p.getValueCase() == NumberDataPoint.ValueCase.VALUE_NOT_SET) {
                            rejected++;
                            continue;
                        }
                        double v = p.getValueCase() == NumberDataPoint.ValueCase.AS_INT ? p.getAsInt() : p.getAsDouble();
                        out.add(sample(m.getName(), attributes(p.getAttributesList()), resource, p.getTimeUnixNano(), v));
                    }
                }
            }
        }
        return new Decoded(out, rejected, rejected == 0 ? null : NOT_MAPPED);
    }

    /** A JSON-encoded request. */
    public static Decoded fromJson(byte[] body) throws MalformedBodyException {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new MalformedBodyException("not JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new MalformedBodyException("not JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new MalformedBodyException("not an OTLP ExportMetricsServiceRequest: the body is not a JSON object");
        }
        List<IngestSample> out = new ArrayList<>();
        int rejected = 0;
        for (JsonNode rm : array(root, "resourceMetrics")) {
            Map<String, String> resource = attributes(rm.path("resource").path("attributes"));
            for (JsonNode sm : array(rm, "scopeMetrics")) {
                for (JsonNode m : array(sm, "metrics")) {
                    String name = m.path("name").asText("");
                    if (name.isEmpty()) {
                        throw new MalformedBodyException("a metric has no name");
                    }
                    JsonNode data = m.has("gauge") ? m.get("gauge") : m.get("sum");
                    if (data == null) {
                        for (String kind : List.of("histogram", "exponentialHistogram", "summary")) {
                            if (m.has(kind)) {
                                rejected += m.get(kind).path("dataPoints").size();
                            }
                        }
                        continue;
                    }
                    for (JsonNode p : array(data, "dataPoints")) {
                        JsonNode v = p.has("asDouble") ? p.get("asDouble") : p.get("asInt");
                        if (v == null || (p.path("flags").asLong(0) & NO_RECORDED_VALUE) != 0) {
                            rejected++;
                            continue;
                        }
                        double value = number(v, name + " asDouble/asInt");
                        long nanos = (long) number(p.path("timeUnixNano"), name + " timeUnixNano");
                        if (p.path("timeUnixNano").isTextual()) {
                            nanos = parseLong(p.get("timeUnixNano").asText(), name + " timeUnixNano");
                        }
                        out.add(sample(name, attributes(p.path("attributes")), resource, nanos, value));
                    }
                }
            }
        }
        return new Decoded(out, rejected, rejected == 0 ? null : NOT_MAPPED);
    }

    private static IngestSample sample(String name, Map<String, String> attrs, Map<String, String> resource, long nanos, double v) {
        SortedMap<String, String> labels = new TreeMap<>(attrs);
        String service = resource.get("service.name");
        if (service != null && !labels.containsKey("job")) {
            labels.put("job", service);
        }
        long ms = nanos == 0 ? System.currentTimeMillis() : nanos / 1_000_000;
        return new IngestSample(name, labels, resource.get("host.name"), ms, v);
    }

    private static Map<String, String> attributes(List<KeyValue> kvs) {
        Map<String, String> m = new TreeMap<>();
        for (KeyValue kv : kvs) {
            AnyValue v = kv.getValue();
            String s = switch (v.getValueCase()) {
                case STRING_VALUE -> v.getStringValue();
                case INT_VALUE -> Long.toString(v.getIntValue());
                case DOUBLE_VALUE -> Double.toString(v.getDoubleValue());
                case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
                default -> null; // arrays, maps, bytes: not a label
            };
            if (s != null) {
                m.put(kv.getKey(), s);
            }
        }
        return m;
    }

    private static Map<String, String> attributes(JsonNode kvs) {
        Map<String, String> m = new TreeMap<>();
        for (JsonNode kv : kvs) {
            JsonNode v = kv.path("value");
            String s = null;
            if (v.has("stringValue")) {
                s = v.get("stringValue").asText();
            } else if (v.has("intValue")) {
                s = v.get("intValue").asText();
            } else if (v.has("doubleValue")) {
                s = v.get("doubleValue").asText();
            } else if (v.has("boolValue")) {
                s = v.get("boolValue").asText();
            }
            if (s != null && kv.has("key")) {
                m.put(kv.get("key").asText(), s);
            }
        }
        return m;
    }

    private static JsonNode array(JsonNode parent, String field) throws MalformedBodyException {
        JsonNode a = parent.path(field);
        if (a.isMissingNode() || a.isNull()) {
            return JSON.createArrayNode();
        }
        if (!a.isArray()) {
            throw new MalformedBodyException("\"" + field + "\" is not an array");
        }
        return a;
    }

    private static double number(JsonNode v, String what) throws MalformedBodyException {
        if (v.isMissingNode() || v.isNull()) {
            return 0;
        }
        if (v.isNumber()) {
            return v.asDouble();
        }
        if (v.isTextual()) { // int64 as a string; "NaN", "Infinity" as proto3 JSON writes them
            try {
                return Double.parseDouble(v.asText());
            } catch (NumberFormatException e) {
                throw new MalformedBodyException(what + " is not a number: \"" + cut(v.asText()) + "\"");
            }
        }
        throw new MalformedBodyException(what + " is not a number");
    }

    private static long parseLong(String s, String what) throws MalformedBodyException {
        try {
            return Long.parseUnsignedLong(s);
        } catch (NumberFormatException e) {
            throw new MalformedBodyException(what + " is not an integer: \"" + cut(s) + "\"");
        }
    }

    private static String cut(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
