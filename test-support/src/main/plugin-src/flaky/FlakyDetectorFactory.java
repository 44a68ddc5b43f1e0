package example.flaky;

import dev.rtm.api.Assessment;
import dev.rtm.api.ConfigSpec;
import dev.rtm.api.Detector;
import dev.rtm.api.DetectorFactory;
import dev.rtm.api.SeriesDetector;
import dev.rtm.api.SeriesKey;
import dev.rtm.api.Settings;
import dev.rtm.api.StateReader;
import dev.rtm.api.StateWriter;
import org.pf4j.Extension;

/** A buggy plugin: throws on every point whose value ends in .5 — the host must isolate it. */
@Extension
public class FlakyDetectorFactory implements DetectorFactory {

    public String name() {
        return "flaky";
    }

    public String description() {
        return "fails on values ending in .5 (test plugin)";
    }

    public ConfigSpec configSpec() {
        return ConfigSpec.of();
    }

    public Detector create(Settings s) {
        return new Detector() {
            public double threshold() {
                return 1;
            }

            public SeriesDetector create(SeriesKey k) {
                return series(0);
            }

            public SeriesDetector restore(SeriesKey k, byte[] b) throws dev.rtm.api.StateFormatException {
                StateReader r = StateReader.open(b, "flaky", 1);
                long n = r.readLong();
                r.end();
                return series(n);
            }
        };
    }

    static SeriesDetector series(long start) {
        return new SeriesDetector() {
            long n = start;

            public Assessment update(long t, double x) {
                if (x - Math.floor(x) == 0.5) {
                    throw new IllegalStateException("flaky plugin bug at " + x);
                }
                n++;
                return new Assessment(n, n - 1, n + 1, 0, false);
            }

            public byte[] snapshot() {
                return StateWriter.begin("flaky", 1).writeLong(n).toBytes();
            }
        };
    }
}
