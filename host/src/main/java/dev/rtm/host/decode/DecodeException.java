package dev.rtm.host.decode;

/** Bytes or a record that cannot be used; the message is the dead-letter reason. */
public class DecodeException extends Exception {

    private static final long serialVersionUID = 1L;

    /** @param reason one line: what was wrong */
    public DecodeException(String reason) {
        super(reason);
    }
}
