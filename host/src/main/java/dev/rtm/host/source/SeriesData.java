package dev.rtm.host.source;

import dev.rtm.api.SeriesKey;
import java.util.Arrays;

/**
 * The points of one series read from a file, in strictly increasing time order, plus every input
 * row as read (in file order), so that outputs that need one line per input row (NAB results) can
 * map each row to its point, or to none when the row was dropped as late or duplicate.
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
    private long[] rowTimes = new long[256];
    private double[] rowValues = new double[256];
    private int[] rowPoints = new int[256];
    private int rows;

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
        if (rows == rowTimes.length) {
            rowTimes = Arrays.copyOf(rowTimes, rows * 2);
            rowValues = Arrays.copyOf(rowValues, rows * 2);
            rowPoints = Arrays.copyOf(rowPoints, rows * 2);
        }
        rowTimes[rows] = time;
        rowValues[rows] = value;
        if (size > 0 && time <= times[size - 1]) {
            rowPoints[rows++] = -1;
            dropped++;
            return false;
        }
        rowPoints[rows++] = size;
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

    /** Input rows read for this series, dropped ones included: {@link #size()} + {@link #dropped()}. */
    public int rows() {
        return rows;
    }

    /** Timestamp of input row {@code r} (0-based, in file order). */
    public long rowTime(int r) {
        return rowTimes[r];
    }

    /** Value of input row {@code r}. */
    public double rowValue(int r) {
        return rowValues[r];
    }

    /** The point index input row {@code r} became, or -1 if it was dropped as late or duplicate. */
    public int rowPoint(int r) {
        return rowPoints[r];
    }

    @Override
    public String toString() {
        return key + " (" + size + " points)";
    }
}
