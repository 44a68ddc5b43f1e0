package example.hog;

import dev.rtm.api.Assessment;
import dev.rtm.api.ConfigSpec;
import dev.rtm.api.Detector;
import dev.rtm.api.DetectorFactory;
import dev.rtm.api.SeriesDetector;
import dev.rtm.api.SeriesKey;
import dev.rtm.api.Settings;
import dev.rtm.api.StateReader;
import dev.rtm.api.StateWriter;
import java.util.ArrayList;
import java.util.List;
import org.pf4j.Extension;

/**
 * A plugin that leaks memory: its model of series h3/m0 keeps a sixteenth of the JVM's heap more on
 * each point from its 20th on (a history buffer that never drops anything), until the heap runs out.
 * What it keeps is held by that series' model, not in its saved state, so dropping the model frees
 * it. Elsewhere it answers at once and keeps nothing.
 */
@Extension
public class HogDetectorFactory implements DetectorFactory {

    public String name() {
        return "hog";
    }

    public String description() {
        return "leaks memory on h3/m0 (test plugin)";
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
                return series(k, 0);
            }

            public SeriesDetector restore(SeriesKey k, byte[] b) throws dev.rtm.api.StateFormatException {
                StateReader r = StateReader.open(b, "hog", 1);
                long n = r.readLong();
                r.end();
                return series(k, n);
            }
        };
    }

    static SeriesDetector series(SeriesKey k, long start) {
        boolean leaks = k.host().equals("h3") && k.metric().equals("m0");
        return new SeriesDetector() {
            final List<byte[]> kept = new ArrayList<>();
            long n = start;

            public Assessment update(long t, double x) {
                n++;
                if (leaks && n >= 20) {
                    kept.add(new byte[(int) Math.min(Integer.MAX_VALUE - 8, Runtime.getRuntime().maxMemory() / 16)]);
                }
                return new Assessment(x, x - 1, x + 1, 0, false);
            }

            public byte[] snapshot() {
                return StateWriter.begin("hog", 1).writeLong(n).toBytes();
            }
        };
    }
}
