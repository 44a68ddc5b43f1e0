package dev.rtm.support;

import dev.rtm.api.StateFormatException;
import dev.rtm.api.StateReader;
import dev.rtm.api.StateWriter;

/**
 * One event, one flag: after a flagged point, the next {@code points} points report score 0 (so
 * they are not flagged) unless their score exceeds the flag's, which starts a new event. The
 * model's own outlier handling should go on using the real scores. Not thread-safe (one per
 * series).
 */
public final class Refractory {

    private int cooldown;
    private double peak;

    /**
     * The score to report for a point that scored {@code score}.
     *
     * @param threshold the score at or above which a point is flagged
     * @param points how many points after a flag are quiet
     * @return 0 within the quiet points of the last flag (unless {@code score} is higher than
     *         its score), else {@code score}
     */
    public double report(double score, double threshold, int points) {
        if (cooldown > 0 && score <= peak) {
            cooldown--;
            return 0; // the event was flagged once already
        }
        if (score >= threshold) {
            cooldown = points;
            peak = score;
        }
        return score;
    }

    /** Appends the quiet points left (an int) and the last flag's score (a double). */
    public StateWriter writeTo(StateWriter w) {
        return w.writeInt(cooldown).writeDouble(peak);
    }

    /** Reads what {@link #writeTo} wrote; a negative count is refused. */
    public void readFrom(StateReader r) throws StateFormatException {
        int c = r.readInt();
        double p = r.readDouble();
        if (c < 0) {
            throw new StateFormatException("the state's refractory count is " + c + ", negative");
        }
        cooldown = c;
        peak = p;
    }
}
