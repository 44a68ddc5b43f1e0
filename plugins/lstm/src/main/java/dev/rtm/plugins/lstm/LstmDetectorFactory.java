package dev.rtm.plugins.lstm;

import dev.rtm.api.ConfigException;
import dev.rtm.api.ConfigKey;
import dev.rtm.api.ConfigSpec;
import dev.rtm.api.Detector;
import dev.rtm.api.DetectorFactory;
import dev.rtm.api.Settings;
import org.pf4j.Extension;

/** The {@code lstm} detector: a small LSTM per series, trained online with DJL/PyTorch. */
@Extension
public final class LstmDetectorFactory implements DetectorFactory {

    static final ConfigKey<Integer> LOOKBACK = ConfigKey.integer("lookback", 24, "points the network reads to forecast the next").atLeast(2).atMost(512);
    static final ConfigKey<Integer> WINDOW = ConfigKey.integer("window", 480, "points a training sees (the newest); also the warm-up").atLeast(32).atMost(100_000);
    static final ConfigKey<Integer> RETRAIN = ConfigKey.integer("retrain-every", 240, "points between trainings").atLeast(4);
    static final ConfigKey<Integer> EPOCHS = ConfigKey.integer("epochs", 4, "passes over the window per training").atLeast(1).atMost(200);
    static final ConfigKey<Integer> UNITS = ConfigKey.integer("units", 32, "LSTM state size").atLeast(1).atMost(512);
    static final ConfigKey<Integer> LAYERS = ConfigKey.integer("layers", 1, "stacked LSTM layers").atLeast(1).atMost(4);
    static final ConfigKey<Double> LEARNING_RATE = ConfigKey.number("learning-rate", 0.014, "Adam learning rate").greaterThan(0).atMost(1);
    static final ConfigKey<Integer> BATCH = ConfigKey.integer("batch-size", 64, "samples per Adam step").atLeast(1).atMost(4096);
    static final ConfigKey<Double> THRESHOLD = ConfigKey.number("threshold", 8.0,
            "score (|x - forecast| / sigma) at or above which a point is flagged").greaterThan(0);
    static final ConfigKey<Integer> SEED = ConfigKey.integer("seed", 42, "seed mixed with each series' key: same input, same scores");
    static final ConfigKey<Integer> THREADS = ConfigKey.integer("threads", 1,
            "PyTorch threads per training (set once per JVM, by the first lstm created)").atLeast(1).atMost(64);
    static final ConfigKey<Integer> RESIDUALS = ConfigKey.integer("residual-window", 3000,
            "points the band's sigma is averaged over (exponentially; slow on purpose: a sigma that follows recent "
                    + "errors quickly shrinks on quiet stretches and flags the next ordinary bump)").atLeast(2);
    static final ConfigKey<Boolean> ASYNC = ConfigKey.bool("async", true,
            "train on a background thread; outputs are the same either way");
    static final ConfigKey<Double> MIN_STD = ConfigKey.number("min-std", 1e-6, "floor of sigma and of the normaliser's spread").greaterThan(0);

    static final ConfigKey<Integer> REFRACTORY = ConfigKey.integer("refractory", 40,
            "points after a flag reported as score 0 unless their score is higher: one event, one flag").atLeast(0);
    static final ConfigKey<Double> RESOLUTION_FLOOR = ConfigKey.number("resolution-floor", 0.5,
            "sigma is at least this times the smallest non-zero step seen (quantised and flat series)").atLeast(0);

    private static final ConfigSpec SPEC = ConfigSpec.of(LOOKBACK, WINDOW, RETRAIN, EPOCHS, UNITS, LAYERS, LEARNING_RATE,
            BATCH, THRESHOLD, SEED, THREADS, RESIDUALS, ASYNC, MIN_STD, REFRACTORY, RESOLUTION_FLOOR);

    @Override
    public String name() {
        return "lstm";
    }

    @Override
    public String description() {
        return "LSTM one-step forecasts, trained online per series on a sliding window (DJL/PyTorch); "
                + "flags residuals beyond threshold sigmas";
    }

    @Override
    public ConfigSpec configSpec() {
        return SPEC;
    }

    @Override
    public Detector create(Settings s) throws ConfigException {
        LstmConfig c = new LstmConfig(s.get(LOOKBACK), s.get(WINDOW), s.get(RETRAIN), s.get(EPOCHS), s.get(UNITS),
                s.get(LAYERS), s.get(LEARNING_RATE), s.get(BATCH), s.get(THRESHOLD), s.get(SEED),
                s.get(THREADS), s.get(RESIDUALS), s.get(ASYNC), s.get(MIN_STD), s.get(REFRACTORY), s.get(RESOLUTION_FLOOR));
        if (c.window() < c.lookback() + 16) {
            throw new ConfigException("window", c.window() + " is too small: it must be at least lookback + 16 = "
                    + (c.lookback() + 16) + " so a training has samples");
        }
        Djl.engine(c.threads()); // fail at start-up, with one clear line, if PyTorch cannot load
        return new LstmDetector(c);
    }
}
