/**
 * The agent: what puts metrics into the system. It samples this machine with OSHI, can add
 * simulated hosts with realistic patterns and injected anomalies, and publishes one Avro
 * {@code HostMetrics} record per host per interval to Kafka, keyed by host.
 */
package dev.rtm.agent;
