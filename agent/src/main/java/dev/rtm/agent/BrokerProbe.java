package dev.rtm.agent;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether a Kafka bootstrap list has an address that accepts connections, asked directly (a TCP
 * connect with a short timeout) so that the agent can say within seconds that the broker is not
 * there, instead of the Kafka client blocking for a minute on the first send.
 */
public final class BrokerProbe {

    private BrokerProbe() {
    }

    /**
     * Tries each {@code host:port} of {@code bootstrap} in turn.
     *
     * @return null when one accepted a connection, else why none did (address and reason for each)
     */
    public static String unreachable(String bootstrap, Duration timeout) {
        List<String> reasons = new ArrayList<>();
        for (String address : bootstrap.split(",")) {
            String a = address.trim();
            int colon = a.lastIndexOf(':');
            if (colon <= 0) {
                reasons.add(a + ": not host:port");
                continue;
            }
            int port;
            try {
                port = Integer.parseInt(a.substring(colon + 1));
            } catch (NumberFormatException e) {
                reasons.add(a + ": not host:port");
                continue;
            }
            InetSocketAddress target = new InetSocketAddress(a.substring(0, colon), port);
            if (target.isUnresolved()) {
                reasons.add(a + ": unknown host");
                continue;
            }
            try (Socket s = new Socket()) {
                s.connect(target, (int) timeout.toMillis());
                return null;
            } catch (IOException e) {
                reasons.add(a + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            }
        }
        return String.join("; ", reasons);
    }
}
