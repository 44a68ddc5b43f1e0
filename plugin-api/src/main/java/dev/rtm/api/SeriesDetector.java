package dev.rtm.api;

/**
 * The model of one series (host, metric). Not thread-safe: the host calls it from one thread at a
 * time, with points in increasing time order (it drops late and duplicate points itself).
 */
public interface SeriesDetector {

    /**
     * Scores one new point, then learns from it.
     *
     * <p>The returned {@link Assessment} describes what the model expected <em>before</em> seeing
     * {@code value}. Afterwards the model includes the point.
     *
     * @param timestamp epoch milliseconds, strictly greater than the previous call's
     * @param value the observed value; must be finite
     * @throws IllegalArgumentException if {@code value} is NaN or infinite; the state is then unchanged
     */
    Assessment update(long timestamp, double value);

    /**
     * Forecast of the next {@code horizon} points after the last update, for models that forecast.
     * The default returns {@link Forecast#EMPTY}.
     */
    default Forecast forecast(int horizon) {
        return Forecast.EMPTY;
    }

    /**
     * The whole state of this series as bytes, with a format version (see {@link StateWriter}).
     * Must not change the state. The host keeps these bytes in checkpoints and hands them to
     * {@link Detector#restore}.
     */
    byte[] snapshot();
}
