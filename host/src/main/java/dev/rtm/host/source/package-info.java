/**
 * Where points come from. For the streaming job: the Kafka metrics topic (raw records, offsets
 * with checkpoints). For replay: CSV files ({@code timestamp,value}, the NAB layout
 * {@code data/<category>/<file>.csv}, or long {@code timestamp,host,metric,value}).
 */
package dev.rtm.host.source;
