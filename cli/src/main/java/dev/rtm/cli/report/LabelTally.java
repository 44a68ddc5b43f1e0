package dev.rtm.cli.report;

import dev.rtm.host.detect.Scores;
import dev.rtm.host.source.SeriesData;
import java.util.List;

/**
 * Per detector: how many label windows got at least one flag, and how many flags fell outside
 * every window. Only series present in the labels file count.
 */
public final class LabelTally {

    private int windows;
    private int windowsHit;
    private int flagsInside;
    private int flagsOutside;
    private int series;

    /** Adds one series' flags. */
    public void add(SeriesData data, Scores scores, LabelWindows labels) {
        if (!labels.has(data.labelKey())) {
            return;
        }
        series++;
        List<long[]> ws = labels.of(data.labelKey());
        windows += ws.size();
        boolean[] hit = new boolean[ws.size()];
        for (int i = 0; i < data.size(); i++) {
            if (!scores.anomaly(i)) {
                continue;
            }
            long t = data.time(i);
            boolean inside = false;
            for (int w = 0; w < ws.size(); w++) {
                if (t >= ws.get(w)[0] && t <= ws.get(w)[1]) {
                    hit[w] = true;
                    inside = true;
                }
            }
            if (inside) {
                flagsInside++;
            } else {
                flagsOutside++;
            }
        }
        for (boolean h : hit) {
            if (h) {
                windowsHit++;
            }
        }
    }

    public int windows() {
        return windows;
    }

    public int windowsHit() {
        return windowsHit;
    }

    public int flagsInside() {
        return flagsInside;
    }

    public int flagsOutside() {
        return flagsOutside;
    }

    /** Labelled series seen. */
    public int series() {
        return series;
    }
}
