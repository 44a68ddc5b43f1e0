/**
 * Where results go. For the streaming job: PostgreSQL (one small table class per table, written
 * with COPY), flagged points and alert transitions to Kafka (Avro), dead letters. For replay: a
 * per-point CSV and NAB-layout result files.
 */
package dev.rtm.host.sink;
