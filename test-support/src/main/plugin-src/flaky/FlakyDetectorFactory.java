package example.flaky;

import dev.rtm.api.Assessment;
import dev.rtm.api.SeriesKey;
import example.common.CountingDetectorFactory;
import org.pf4j.Extension;

/** A buggy plugin: throws on every point whose value ends in .5 — the host must isolate it. */
@Extension
public class FlakyDetectorFactory extends CountingDetectorFactory {

    public FlakyDetectorFactory() {
        super("flaky", "fails on values ending in .5 (test plugin)");
    }

    protected Counting series(SeriesKey k, long start) {
        return new Counting(start) {
            public Assessment update(long t, double x) {
                if (x - Math.floor(x) == 0.5) {
                    throw new IllegalStateException("flaky plugin bug at " + x);
                }
                n++;
                return new Assessment(n, n - 1, n + 1, 0, false);
            }
        };
    }
}
