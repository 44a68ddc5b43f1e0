package example.constant;

import dev.rtm.api.Assessment;
import dev.rtm.api.ConfigKey;
import dev.rtm.api.ConfigSpec;
import dev.rtm.api.Detector;
import dev.rtm.api.DetectorFactory;
import dev.rtm.api.SeriesDetector;
import dev.rtm.api.SeriesKey;
import dev.rtm.api.Settings;
import dev.rtm.api.StateFormatException;
import dev.rtm.api.StateReader;
import dev.rtm.api.StateWriter;
import org.pf4j.Extension;

/** A static limit: flags every value above "limit". Score = how far above, in units of "scale". */
@Extension
public class ConstantDetectorFactory implements DetectorFactory {

    static final ConfigKey<Double> LIMIT = ConfigKey.number("limit", 100, "values above this are anomalies");
    static final ConfigKey<Double> SCALE = ConfigKey.number("scale", 1, "one sigma, in value units").greaterThan(0);

    public String name() {
        return "limit";
    }

    public String description() {
        return "static limit (test plugin)";
    }

    public ConfigSpec configSpec() {
        return ConfigSpec.of(LIMIT, SCALE);
    }

    public Detector create(Settings s) {
        double limit = s.get(LIMIT);
        double scale = s.get(SCALE);
        return new Detector() {
            public double threshold() {
                return 1e-9;
            }

            public SeriesDetector create(SeriesKey k) {
                return series(limit, scale);
            }

            public SeriesDetector restore(SeriesKey k, byte[] b) throws StateFormatException {
                StateReader.open(b, "limit", 1).end();
                return series(limit, scale);
            }
        };
    }

    static SeriesDetector series(double limit, double scale) {
        return new SeriesDetector() {
            public Assessment update(long t, double x) {
                double score = Math.max(0, x - limit) / scale;
                return new Assessment(limit, Double.NEGATIVE_INFINITY, limit, score, x > limit);
            }

            public byte[] snapshot() {
                return StateWriter.begin("limit", 1).toBytes();
            }
        };
    }
}
