package dev.rtm.support;

import dev.rtm.api.StateFormatException;
import dev.rtm.api.StateReader;
import dev.rtm.api.StateWriter;

/**
 * The smallest non-zero step a series has made: its resolution. A σ floored at a fraction of it
 * ({@link #floor}) keeps a flat or quantised series (a counter, a percentage in whole numbers) from
 * turning its next step into a storm of huge scores. Not thread-safe (one per series).
 */
public final class StepResolution {

    private double value = Double.POSITIVE_INFINITY;

    /** Notes one step (the difference between consecutive values); zero steps are ignored. */
    public void note(double step) {
        double s = Math.abs(step);
        if (s > 0 && s < value) {
            value = s;
        }
    }

    /** Notes every step between consecutive {@code values} (re-learning it from a kept window). */
    public void learn(double[] values) {
        for (int i = 1; i < values.length; i++) {
            note(values[i] - values[i - 1]);
        }
    }

    /** The smallest non-zero step seen, or {@link Double#POSITIVE_INFINITY} before any. */
    public double value() {
        return value;
    }

    /** {@code sigma}, raised to {@code factor} times the resolution once a step has been seen. */
    public double floor(double sigma, double factor) {
        return value == Double.POSITIVE_INFINITY ? sigma : Math.max(sigma, factor * value);
    }

    /** Appends the resolution (one double). */
    public StateWriter writeTo(StateWriter w) {
        return w.writeDouble(value);
    }

    /** Reads what {@link #writeTo} wrote; a value that is not positive is refused. */
    public void readFrom(StateReader r) throws StateFormatException {
        double v = r.readDouble();
        if (!(v > 0)) {
            throw new StateFormatException("the state's resolution is " + v + ", not positive");
        }
        value = v;
    }
}
