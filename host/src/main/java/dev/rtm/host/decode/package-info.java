/**
 * Decoding what arrives on Kafka: the Avro wire formats (Confluent schema-registry framing and Avro
 * single-object encoding, read with {@code dev.rtm.wire} of the wire-format module), schema
 * resolution, and validation. Everything that cannot be used gets
 * a one-line reason for the dead-letter topic; nothing is dropped silently.
 */
package dev.rtm.host.decode;
