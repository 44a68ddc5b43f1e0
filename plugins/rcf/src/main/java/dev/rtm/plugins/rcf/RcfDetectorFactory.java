package dev.rtm.plugins.rcf;

import dev.rtm.api.ConfigException;
import dev.rtm.api.ConfigKey;
import dev.rtm.api.ConfigSpec;
import dev.rtm.api.Detector;
import dev.rtm.api.DetectorFactory;
import dev.rtm.api.Settings;
import java.util.List;
import org.pf4j.Extension;

/** The {@code rcf} detector: AWS Random Cut Forest on shingled values, its score in sigmas. */
@Extension
public final class RcfDetectorFactory implements DetectorFactory {

    static final ConfigKey<Integer> SHINGLE = ConfigKey.integer("shingle-size", 12,
            "consecutive values that make one point of the forest (its context)").atLeast(1).atMost(64);
    static final ConfigKey<Integer> TREES = ConfigKey.integer("trees", 8,
            "trees in each series' forest (more: steadier scores, slower)").atLeast(1).atMost(1000);
    static final ConfigKey<Integer> SAMPLE = ConfigKey.integer("sample-size", 256,
            "points each tree keeps").atLeast(16).atMost(4096);
    static final ConfigKey<Double> TIME_DECAY = ConfigKey.number("time-decay", 1.0 / 2560,
            "how fast old points leave the trees' samples: about 1/time-decay recent points make up a sample")
            .atLeast(0).atMost(1);
    static final ConfigKey<Double> THRESHOLD = ConfigKey.number("threshold", 4.0,
            "score in sigmas of the forest score at or above which a point is flagged").greaterThan(0);
    static final ConfigKey<Integer> WARMUP = ConfigKey.integer("warmup", 150,
            "points of a series seen before any score or flag").atLeast(0);
    static final ConfigKey<Integer> WINDOW = ConfigKey.integer("window", 2000,
            "points over which the usual level and spread of the forest score are averaged").atLeast(10);
    static final ConfigKey<Integer> REFRACTORY = ConfigKey.integer("refractory", 60,
            "points after a flag without another flag (the score is capped below the threshold)").atLeast(0);

    static final ConfigKey<Boolean> EXPECTED = ConfigKey.bool("expected-every-point", false,
            "compute the expected value and band at every point (about twice the cost), not only at flagged points");

    private static final ConfigSpec SPEC = ConfigSpec.of(SHINGLE, TREES, SAMPLE, TIME_DECAY, THRESHOLD, WARMUP,
            WINDOW, REFRACTORY, EXPECTED);

    @Override
    public String name() {
        return "rcf";
    }

    @Override
    public String description() {
        return "Random Cut Forest (AWS) on shingled values; flags points whose forest score is threshold "
                + "sigmas above its usual level";
    }

    @Override
    public ConfigSpec configSpec() {
        return SPEC;
    }

    @Override
    public Detector create(Settings s) throws ConfigException {
        ForestShape shape = new ForestShape(s.get(SHINGLE), s.get(TREES), s.get(SAMPLE), s.get(TIME_DECAY));
        Calibration cal = new Calibration(s.get(THRESHOLD), s.get(WARMUP), s.get(WINDOW), s.get(REFRACTORY),
                s.get(EXPECTED));
        if (cal.warmup() < shape.shingleSize()) {
            throw new ConfigException(List.of(new ConfigException.Problem("warmup", cal.warmup()
                    + " is smaller than shingle-size (" + shape.shingleSize() + "): the first shingle is not full yet")));
        }
        return new RcfDetector(shape, cal);
    }
}
