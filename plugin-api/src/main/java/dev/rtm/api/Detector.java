package dev.rtm.api;

/**
 * A configured detector: one model kind with one set of settings, serving any number of series.
 *
 * <p>Implementations must be thread-safe: the host shares one instance between all series and
 * threads of a JVM. Per-series state lives only in the {@link SeriesDetector}s it creates.
 */
public interface Detector extends AutoCloseable {

    /**
     * The score at or above which this detector flags a point. The host uses it to map scores to
     * [0, 1) consistently across models ({@code score / (score + threshold)}, so 0.5 is the flag line).
     */
    double threshold();

    /** Starts a fresh, empty model for a new series. */
    SeriesDetector create(SeriesKey series);

    /**
     * Rebuilds a series' model from bytes produced by {@link SeriesDetector#snapshot()}, possibly by
     * an older version of this plugin. After a restore the next outputs must equal those the
     * snapshotted object would have produced.
     *
     * @throws StateFormatException if the bytes are not a state of this detector or of a format
     *         version this version can read; the host then starts the series afresh and counts it
     */
    SeriesDetector restore(SeriesKey series, byte[] state) throws StateFormatException;

    /** Releases shared resources. The default does nothing. */
    @Override
    default void close() {
    }
}
