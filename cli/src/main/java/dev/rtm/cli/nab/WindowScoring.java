package dev.rtm.cli.nab;

/**
 * NAB's scaled sigmoid, which weighs a detection by where it falls relative to a label window
 * ({@code nab/sweeper.py}: {@code sigmoid}, {@code scaledSigmoid}).
 */
final class WindowScoring {

    /** NAB ignores the first 15% of each file (at most 750 rows): the detectors' learning time. */
    static final double PROBATION_PERCENT = 0.15;

    private WindowScoring() {
    }

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /**
     * -1 at the window's left edge gives 0.9866 (the best), 0 at its right edge gives 0, and
     * positions after the window (in widths) go down to -1, which is also the score beyond 3.
     */
    static double scaledSigmoid(double relativePosition) {
        return relativePosition > 3.0 ? -1.0 : 2 * sigmoid(-5 * relativePosition) - 1.0;
    }

    /** Rows at the start of a file that are not scored: {@code min(floor(0.15 n), 0.15 * 5000)}. */
    static double probationLength(int rows) {
        return Math.min(Math.floor(PROBATION_PERCENT * rows), PROBATION_PERCENT * 5000);
    }
}
