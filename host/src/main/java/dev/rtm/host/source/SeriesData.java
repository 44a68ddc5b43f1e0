package dev.rtm.host.source;

import dev.rtm.api.SeriesKey;
import java.util.Arrays;

/**
 * The points of one series read from a file, in strictly increasing time order.
 */
public final class SeriesData {

    private final SeriesKey key;
    private final String category;
    private final String fileName;
    private final String labelKey;
    private long[] times = new long[256];
    private double[] values = new double[256];
    private int size;
    private int dropped;

    /**
     * @param key the series
     * @param category NAB category (the folder), or the host for long files
     * @param fileName NAB file name ({@code nyc_taxi.csv}), or {@code <metric>.csv}
     * @param labelKey key in NAB label files ({@code realKnownCause/nyc_taxi.csv}), or null
     */
    public SeriesData(SeriesKey key, String category, String fileName, String labelKey) {
        this.key = key;
        this.category = category;
        this.fileName = fileName;
        this.labelKey = labelKey;
    }

    /** Appends a point; one not newer than the last is dropped and counted (the late/duplicate rule). */
    public boolean add(long time, double value) {
        if (size > 0 && time <= times[size - 1]) {
            dropped++;
            return false;
        }
        if (size == times.length) {
            times = Arrays.copyOf(times, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        times[size] = time;
        values[size] = value;
        size++;
        return true;
    }

    public SeriesKey key() {
        return key;
    }

    public String category() {
        return category;
    }

    public String fileName() {
        return fileName;
    }

    /** Key in NAB label files, or null. */
    public String labelKey() {
        return labelKey;
    }

    public int size() {
        return size;
    }

    /** Points dropped because they were not newer than the previous one. */
    public int dropped() {
        return dropped;
    }

    public long time(int i) {
        return times[i];
    }

    public double value(int i) {
        return values[i];
    }

    @Override
    public String toString() {
        return key + " (" + size + " points)";
    }
}
