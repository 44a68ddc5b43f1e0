package dev.rtm.ingest;

import java.util.SortedMap;

/**
 * One sample as a client sent it, before mapping.
 *
 * @param name the series' name (Prometheus {@code __name__}, the OTLP metric name)
 * @param labels its other labels (OTLP: the data point's attributes), sorted by name
 * @param host the host the sender named outside the labels (OTLP resource {@code host.name}), or null
 * @param timestamp epoch milliseconds
 * @param value the value (may be NaN: Prometheus' stale marker; such samples are dropped)
 */
public record IngestSample(String name, SortedMap<String, String> labels, String host, long timestamp, double value) {
}
