/**
 * {@code rtm ingest}: metrics from hosts that do not run the rtm agent. An HTTP server takes
 * Prometheus remote-write 1.0 ({@code POST /api/v1/write}) and OTLP/HTTP metrics
 * ({@code POST /v1/metrics}, protobuf or JSON), maps each sample to a host, a metric name and tags
 * ({@link dev.rtm.ingest.SeriesMapper}, with node_exporter's common names mapped to the agent's), and
 * publishes {@code HostMetrics} records to the Kafka metrics topic, as the agent does.
 */
package dev.rtm.ingest;
