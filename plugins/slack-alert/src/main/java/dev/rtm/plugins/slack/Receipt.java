package dev.rtm.plugins.slack;

/**
 * Where a Web API message landed: the channel's id and the message's {@code ts}, written as
 * {@code channel:ts} into the receipt the host keeps for the group.
 *
 * @param channel the channel id Slack answered (e.g. C0123ABCD)
 * @param ts the message's timestamp id (e.g. 1764684180.123456)
 */
record Receipt(String channel, String ts) {

    /** The receipt of {@code text}, or null when it is null or not {@code channel:ts}. */
    static Receipt parse(String text) {
        if (text == null) {
            return null;
        }
        int colon = text.indexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            return null;
        }
        return new Receipt(text.substring(0, colon), text.substring(colon + 1));
    }

    @Override
    public String toString() {
        return channel + ":" + ts;
    }
}
