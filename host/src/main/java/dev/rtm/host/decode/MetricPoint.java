package dev.rtm.host.decode;

import java.io.Serializable;

/**
 * One value of one series at one time: what flows from decoding to detection.
 *
 * @param host the host
 * @param metric the metric name
 * @param timestamp epoch milliseconds
 * @param value a finite value
 */
@org.apache.flink.api.common.typeinfo.TypeInfo(MetricPointSerializer.Factory.class)
public record MetricPoint(String host, String metric, long timestamp, double value) implements Serializable {
}
