/**
 * Running the whole system on one machine without Docker ({@code rtm demo}): a real Kafka broker
 * and schema registry as child processes from Maven Central artifacts, the machine's PostgreSQL,
 * the job in a local Flink MiniCluster, and the agent. The tests use the same helpers.
 */
package dev.rtm.local;
