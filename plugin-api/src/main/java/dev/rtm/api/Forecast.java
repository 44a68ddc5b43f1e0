package dev.rtm.api;

import java.util.Arrays;

/**
 * A forecast of the next points of a series after the last observed one: element {@code i} is
 * {@code i + 1} steps ahead, with its prediction interval.
 *
 * @param expected the forecast values
 * @param lower lower edges of the intervals, same length
 * @param upper upper edges of the intervals, same length
 */
public record Forecast(double[] expected, double[] lower, double[] upper) {

    /** No forecast. */
    public static final Forecast EMPTY = new Forecast(new double[0], new double[0], new double[0]);

    /** Checks the three arrays have one length and copies them. */
    public Forecast {
        if (expected.length != lower.length || expected.length != upper.length) {
            throw new IllegalArgumentException("expected, lower and upper must have the same length");
        }
        expected = expected.clone();
        lower = lower.clone();
        upper = upper.clone();
    }

    /** Number of steps forecast. */
    public int horizon() {
        return expected.length;
    }

    @Override
    public double[] expected() {
        return expected.clone();
    }

    @Override
    public double[] lower() {
        return lower.clone();
    }

    @Override
    public double[] upper() {
        return upper.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Forecast f && Arrays.equals(expected, f.expected)
                && Arrays.equals(lower, f.lower) && Arrays.equals(upper, f.upper);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(expected) * 31 + Arrays.hashCode(lower) * 17 + Arrays.hashCode(upper);
    }

    @Override
    public String toString() {
        return "Forecast" + Arrays.toString(expected);
    }
}
