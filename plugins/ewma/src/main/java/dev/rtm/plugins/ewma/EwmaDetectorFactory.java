package dev.rtm.plugins.ewma;

import dev.rtm.api.ConfigKey;
import dev.rtm.api.ConfigSpec;
import dev.rtm.api.Detector;
import dev.rtm.api.DetectorFactory;
import dev.rtm.api.Settings;
import org.pf4j.Extension;

/** The {@code ewma} detector: exponentially weighted mean and a slower variance, flag at threshold sigmas. */
@Extension
public final class EwmaDetectorFactory implements DetectorFactory {

    static final ConfigKey<Double> ALPHA = ConfigKey.number("alpha", 0.05,
            "weight of the newest point in the moving mean (memory about 2/alpha points)").greaterThan(0).atMost(1);
    static final ConfigKey<Double> THRESHOLD = ConfigKey.number("threshold", 4.0,
            "score in sigmas at or above which a point is flagged").greaterThan(0);
    static final ConfigKey<Integer> WARMUP = ConfigKey.integer("warmup", 20,
            "points of a series seen before any flag").atLeast(0);
    static final ConfigKey<Double> MIN_STD = ConfigKey.number("min-std", 0.0,
            "absolute floor of sigma, in the series' unit (0: none; the relative floors below apply)").atLeast(0);
    static final ConfigKey<Double> VARIANCE_ALPHA = ConfigKey.number("variance-alpha", 0.002,
            "weight of the newest squared deviation in the variance: slower than alpha, so a level shift "
                    + "or a burst does not widen the band at once").greaterThan(0).atMost(1);
    static final ConfigKey<Integer> REFRACTORY = ConfigKey.integer("refractory", 40,
            "points after a flag that score 0 and are not flagged: one event, one flag").atLeast(0);
    static final ConfigKey<Double> RESOLUTION_FLOOR = ConfigKey.number("resolution-floor", 0.5,
            "sigma is at least this times the smallest non-zero step seen (quantised and flat series)").atLeast(0);
    static final ConfigKey<Double> SCALE_FLOOR = ConfigKey.number("scale-floor", 0.25,
            "sigma is at least this times the long-run mean absolute deviation").atLeast(0);

    private static final ConfigSpec SPEC = ConfigSpec.of(ALPHA, THRESHOLD, WARMUP, MIN_STD, VARIANCE_ALPHA,
            REFRACTORY, RESOLUTION_FLOOR, SCALE_FLOOR);

    @Override
    public String name() {
        return "ewma";
    }

    @Override
    public String description() {
        return "EWMA mean, slower variance with floors relative to the series; flags points more than threshold "
                + "sigmas from the mean, once per event";
    }

    @Override
    public ConfigSpec configSpec() {
        return SPEC;
    }

    @Override
    public Detector create(Settings s) {
        return new EwmaDetector(new EwmaSettings(s.get(ALPHA), s.get(VARIANCE_ALPHA), s.get(THRESHOLD), s.get(WARMUP),
                s.get(REFRACTORY), s.get(RESOLUTION_FLOOR), s.get(SCALE_FLOOR), s.get(MIN_STD)));
    }
}
