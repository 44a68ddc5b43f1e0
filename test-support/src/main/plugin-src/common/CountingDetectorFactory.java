package example.common;

import dev.rtm.api.ConfigSpec;
import dev.rtm.api.Detector;
import dev.rtm.api.DetectorFactory;
import dev.rtm.api.SeriesDetector;
import dev.rtm.api.SeriesKey;
import dev.rtm.api.Settings;
import dev.rtm.api.StateFormatException;
import dev.rtm.api.StateReader;
import dev.rtm.api.StateWriter;

/**
 * What the misbehaving test plugins (flaky, hog, stuck) share: no settings, threshold 1, and a model
 * per series whose saved state is the number of points it has counted (state format = the
 * detector's name, version 1). A subclass says only how one series answers a point. PluginJars
 * compiles this directory into every test plugin's jar, so each plugin loads its own copy.
 */
public abstract class CountingDetectorFactory implements DetectorFactory {

    private final String name;
    private final String description;

    protected CountingDetectorFactory(String name, String description) {
        this.name = name;
        this.description = description;
    }

    public String name() {
        return name;
    }

    public String description() {
        return description;
    }

    public ConfigSpec configSpec() {
        return ConfigSpec.of();
    }

    /** A model for series {@code k} whose count starts at {@code start} (0 when new, else restored). */
    protected abstract Counting series(SeriesKey k, long start);

    public Detector create(Settings s) {
        return new Detector() {
            public double threshold() {
                return 1;
            }

            public SeriesDetector create(SeriesKey k) {
                return series(k, 0);
            }

            public SeriesDetector restore(SeriesKey k, byte[] b) throws StateFormatException {
                StateReader r = StateReader.open(b, name, 1);
                long n = r.readLong();
                r.end();
                return series(k, n);
            }
        };
    }

    /** A series model whose snapshot is its count {@code n}; the subclass decides when to count. */
    protected abstract class Counting implements SeriesDetector {

        protected long n;

        protected Counting(long start) {
            n = start;
        }

        public byte[] snapshot() {
            return StateWriter.begin(name, 1).writeLong(n).toBytes();
        }
    }
}
