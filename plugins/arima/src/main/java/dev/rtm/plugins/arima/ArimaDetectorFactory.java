package dev.rtm.plugins.arima;

import dev.rtm.api.ConfigException;
import dev.rtm.api.ConfigKey;
import dev.rtm.api.ConfigSpec;
import dev.rtm.api.Detector;
import dev.rtm.api.DetectorFactory;
import dev.rtm.api.Settings;
import java.util.ArrayList;
import java.util.List;
import org.pf4j.Extension;

/** The {@code arima} detector: ARIMA(p, d, q) one-step forecasts on a sliding window. */
@Extension
public final class ArimaDetectorFactory implements DetectorFactory {

    static final ConfigKey<Integer> P = ConfigKey.integer("p", 3, "AR order (ignored with auto)").atLeast(1).atMost(8);
    static final ConfigKey<Integer> D = ConfigKey.integer("d", 1, "times the series is differenced").atLeast(0).atMost(2);
    static final ConfigKey<Integer> Q = ConfigKey.integer("q", 0, "MA order (ignored with auto)").atLeast(0).atMost(8);
    static final ConfigKey<Boolean> AUTO = ConfigKey.bool("auto", false,
            "choose p and q by AIC at every refit over 1..max-p × 0..max-q");
    static final ConfigKey<Integer> MAX_P = ConfigKey.integer("max-p", 3, "largest p tried by auto").atLeast(1).atMost(8);
    static final ConfigKey<Integer> MAX_Q = ConfigKey.integer("max-q", 2, "largest q tried by auto").atLeast(0).atMost(8);
    static final ConfigKey<Integer> WINDOW = ConfigKey.integer("window", 512, "points a fit sees (the newest)").atLeast(80).atMost(20_000);
    static final ConfigKey<Integer> REFIT = ConfigKey.integer("refit-every", 64, "points between refits").atLeast(1);
    static final ConfigKey<Integer> DRIFT = ConfigKey.integer("drift-refit", 4,
            "refit at once after this many consecutive flagged points (0: never)").atLeast(0);
    static final ConfigKey<Integer> WARMUP = ConfigKey.integer("warmup", 128,
            "points before the first fit; no flags before it").atLeast(80);
    static final ConfigKey<Double> LEVEL = ConfigKey.number("level", 0.997,
            "coverage of the prediction interval drawn as the band").greaterThan(0.5).lessThan(1);
    static final ConfigKey<Double> THRESHOLD = ConfigKey.number("threshold", 4.0,
            "score (|x - forecast| / sigma) at or above which a point is flagged").greaterThan(0);
    static final ConfigKey<Integer> REFRACTORY = ConfigKey.integer("refractory", 40,
            "points after a flag that score 0 and are not flagged: one event, one flag").atLeast(0);
    static final ConfigKey<Double> RESOLUTION_FLOOR = ConfigKey.number("resolution-floor", 0.5,
            "sigma is at least this times the smallest non-zero step seen (quantised and flat series)").atLeast(0);
    static final ConfigKey<Double> MIN_STD = ConfigKey.number("min-std", 0.0,
            "absolute floor of sigma, in the series' unit (0: none; resolution-floor applies)").atLeast(0);

    private static final ConfigSpec SPEC = ConfigSpec.of(P, D, Q, AUTO, MAX_P, MAX_Q, WINDOW, REFIT, DRIFT, WARMUP,
            LEVEL, THRESHOLD, REFRACTORY, RESOLUTION_FLOOR, MIN_STD);

    @Override
    public String name() {
        return "arima";
    }

    @Override
    public String description() {
        return "ARIMA(p,d,q) one-step forecasts on a sliding window, refit periodically (Smile ARMA); "
                + "flags residuals beyond threshold sigmas";
    }

    @Override
    public ConfigSpec configSpec() {
        return SPEC;
    }

    @Override
    public Detector create(Settings s) throws ConfigException {
        ArimaConfig c = new ArimaConfig(s.get(P), s.get(D), s.get(Q), s.get(AUTO), s.get(MAX_P), s.get(MAX_Q),
                s.get(WINDOW), s.get(REFIT), s.get(DRIFT), s.get(WARMUP), s.get(LEVEL), s.get(THRESHOLD),
                s.get(REFRACTORY), s.get(RESOLUTION_FLOOR), s.get(MIN_STD));
        List<ConfigException.Problem> problems = new ArrayList<>();
        int need = c.minFitLength() + c.d();
        if (c.window() < need) {
            problems.add(new ConfigException.Problem("window", c.window() + " is too small for the largest order: "
                    + "a fit needs at least " + need + " points"));
        }
        if (c.warmup() < need) {
            problems.add(new ConfigException.Problem("warmup", c.warmup() + " is too small for the largest order: "
                    + "the first fit needs at least " + need + " points"));
        }
        if (c.warmup() > c.window()) {
            problems.add(new ConfigException.Problem("warmup", "must not exceed window (" + c.window() + ")"));
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new ArimaDetector(c);
    }
}
