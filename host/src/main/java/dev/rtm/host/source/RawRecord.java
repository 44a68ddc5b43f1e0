package dev.rtm.host.source;

/**
 * A Kafka record as it arrived, before decoding: kept whole so that a record that cannot be
 * decoded reaches the dead-letter topic byte for byte, with where it came from. A Flink POJO.
 */
public final class RawRecord {

    public String topic;
    public int partition;
    public long offset;
    public long timestamp;
    public byte[] key;
    public byte[] value;

    /** For Flink. */
    public RawRecord() {
    }

    /** A complete record. */
    public RawRecord(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value) {
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.timestamp = timestamp;
        this.key = key;
        this.value = value;
    }

    /** {@code topic/partition@offset}, for messages. */
    public String position() {
        return topic + "/" + partition + "@" + offset;
    }
}
