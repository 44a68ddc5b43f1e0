package dev.rtm.host.decode;

import dev.rtm.host.source.RawRecord;

/**
 * A record that could not be used (or only in part), for the dead-letter topic: the original
 * record and the reason. A Flink POJO.
 */
public final class DeadLetter {

    public RawRecord record;
    public String reason;

    /** For Flink. */
    public DeadLetter() {
    }

    /** A dead letter. */
    public DeadLetter(RawRecord record, String reason) {
        this.record = record;
        this.reason = reason;
    }
}
