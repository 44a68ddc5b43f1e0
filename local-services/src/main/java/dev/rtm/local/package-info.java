/**
 * The services rtm needs around it, started on one machine without Docker, one way each: a real
 * Kafka broker (KRaft) and the Apicurio schema registry as child processes from Maven Central
 * artifacts, the machine's PostgreSQL (or a throwaway cluster), a standalone Flink cluster, and the
 * dev receiver that prints notifications; {@link dev.rtm.local.Poll} is the one deadline-bounded
 * wait. Used by {@code rtm demo}, {@code rtm bench} and the tests; nothing here ships to a cluster.
 */
package dev.rtm.local;
