/**
 * How the job's records travel between its tasks: the type information of hand-written Flink
 * serializers ({@link dev.rtm.host.typeinfo.SerializerTypeInfo}), for the records every point becomes
 * ({@code MetricPoint}, {@code ScoreRow}), where Flink's reflective POJO serializer cost a quarter of the
 * detect task's CPU. Knows no stage: each serializer lives beside its record.
 */
package dev.rtm.host.typeinfo;
