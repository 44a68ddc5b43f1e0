package dev.rtm.plugins.ewma;

import dev.rtm.api.ConfigKey;
import dev.rtm.api.ConfigSpec;
import dev.rtm.api.Detector;
import dev.rtm.api.DetectorFactory;
import dev.rtm.api.Settings;
import org.pf4j.Extension;

/** The {@code ewma} detector: exponentially weighted mean and variance, flag at threshold sigmas. */
@Extension
public final class EwmaDetectorFactory implements DetectorFactory {

    static final ConfigKey<Double> ALPHA = ConfigKey.number("alpha", 0.2,
            "weight of the newest point in the moving mean and variance").greaterThan(0).atMost(1);
    static final ConfigKey<Double> THRESHOLD = ConfigKey.number("threshold", 3.0,
            "score in sigmas at or above which a point is flagged").greaterThan(0);
    static final ConfigKey<Integer> WARMUP = ConfigKey.integer("warmup", 20,
            "points of a series seen before any flag").atLeast(0);
    static final ConfigKey<Double> MIN_STD = ConfigKey.number("min-std", 1e-6,
            "floor of sigma, so a flat series gives finite scores").greaterThan(0);

    private static final ConfigSpec SPEC = ConfigSpec.of(ALPHA, THRESHOLD, WARMUP, MIN_STD);

    @Override
    public String name() {
        return "ewma";
    }

    @Override
    public String description() {
        return "EWMA mean and variance; flags points more than threshold sigmas from the mean (3-sigma rule)";
    }

    @Override
    public ConfigSpec configSpec() {
        return SPEC;
    }

    @Override
    public Detector create(Settings s) {
        return new EwmaDetector(s.get(ALPHA), s.get(THRESHOLD), s.get(WARMUP), s.get(MIN_STD));
    }
}
