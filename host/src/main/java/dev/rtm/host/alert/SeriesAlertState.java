package dev.rtm.host.alert;

/**
 * The alert stage's state of one series beside its models' own (a Flink POJO): the models seen and
 * firing, the series' alert (its start and peak), its point interval and the nodata watch.
 */
public final class SeriesAlertState {

    /** Every model seen on the series, comma separated. */
    public String known = "";
    /** The models whose own alert is firing, comma separated. */
    public String firing = "";
    /** Start of the series' firing anomaly alert; 0: none. */
    public long startedAt;
    /** Its fingerprint. */
    public String alertId;
    /** The models that agreed when it fired, comma separated. */
    public String models;
    public double peakScore;
    public double peakValue;
    public double peakExpected;
    public double peakLower;
    public double peakUpper;
    /** The series' newest point. */
    public long lastTs;
    /** The series' usual point interval, ms (a moving average of the gaps); 0: not known yet. */
    public long step;
    /** Processing time at which the newest point arrived. */
    public long lastSeenWall;
    /** Start of the firing nodata alert; 0: none. */
    public long nodataSince;
    /** The pending nodata timer; 0: none. */
    public long timerAt;

    /** For Flink. */
    public SeriesAlertState() {
    }
}
