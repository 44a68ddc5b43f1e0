package dev.rtm.support;

import dev.rtm.api.StateFormatException;
import dev.rtm.api.StateReader;
import dev.rtm.api.StateWriter;

/**
 * The newest {@code capacity} values of a series, oldest dropped first. Not thread-safe (one per
 * {@code SeriesDetector}). In state it is the kept values, oldest first, as one double array.
 *
 * <pre>{@code
 * ring.push(x);
 * double previous = ring.back(1);       // 0 = newest
 * double[] fitOn = ring.newest(ring.size(), 0);
 * }</pre>
 */
public final class RingBuffer {

    private final double[] values;
    private int head;
    private int size;

    /** @param capacity how many values are kept (&gt;= 1) */
    public RingBuffer(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.values = new double[capacity];
    }

    /** Adds {@code x} as the newest value, dropping the oldest when full. */
    public void push(double x) {
        values[head] = x;
        head = (head + 1) % values.length;
        size = Math.min(size + 1, values.length);
    }

    /** The {@code k}-th newest value (0 = newest); {@code k} must be below {@link #size()}. */
    public double back(int k) {
        return values[Math.floorMod(head - 1 - k, values.length)];
    }

    /** Values held (at most the capacity). */
    public int size() {
        return size;
    }

    /** The most values held. */
    public int capacity() {
        return values.length;
    }

    /**
     * The newest {@code count} values after skipping the newest {@code skip}, oldest first
     * ({@code count + skip} must not exceed {@link #size()}).
     */
    public double[] newest(int count, int skip) {
        double[] w = new double[count];
        for (int i = 0; i < count; i++) {
            w[i] = back(skip + count - 1 - i);
        }
        return w;
    }

    /** Every value held, oldest first. */
    public double[] toArray() {
        return newest(size, 0);
    }

    /** Appends the values held, oldest first, as one double array. */
    public StateWriter writeTo(StateWriter w) {
        return w.writeDoubles(toArray());
    }

    /**
     * Reads values written by {@link #writeTo} and pushes them; when there are more than the
     * capacity (the window was made smaller since), the newest are kept.
     */
    public void readFrom(StateReader r) throws StateFormatException {
        for (double v : r.readDoubles()) {
            push(v);
        }
    }
}
