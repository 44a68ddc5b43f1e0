package dev.rtm.agent;

import java.io.IOException;
import java.util.Map;

/**
 * Where the {@link Agent} puts its samples: straight into Kafka's client ({@link Publisher}, which
 * holds back the caller when the client's buffer is full: for loading and benches), or into a bounded
 * buffer in front of it ({@link SendBuffer}, which never holds back the sampling loop: for {@code rtm agent}).
 */
public interface SampleSink {

    /** Takes one sample of {@code host}. */
    void publish(String host, long timestamp, Map<String, Double> metrics, Map<String, String> tags) throws IOException;

    /** Waits for the samples taken so far to reach the broker (a {@link SendBuffer} waits a bounded time). */
    void flush();
}
