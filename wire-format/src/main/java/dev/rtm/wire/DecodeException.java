package dev.rtm.wire;

/**
 * Bytes or a record that cannot be used; the message is the dead-letter reason and {@link #kind()}
 * its class, a fixed word for the {@code deadLettersByReason} metric's {@code reason} label.
 */
public class DecodeException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String kind;

    /** @param reason one line: what was wrong (kind {@code corrupt}) */
    public DecodeException(String reason) {
        this("corrupt", reason);
    }

    /**
     * @param kind a fixed word naming the class of problem (a metric label: never data from the record)
     * @param reason one line: what was wrong
     */
    public DecodeException(String kind, String reason) {
        super(reason, null, false, false); // a refused record is an answer, not a bug: no stack trace to fill in
        this.kind = kind;
    }

    /** The class of problem: empty, no_registry, registry_unreachable, unknown_schema, not_avro, corrupt. */
    public String kind() {
        return kind;
    }
}
