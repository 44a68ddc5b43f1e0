package example.stuck;

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

/**
 * A plugin that stops answering: on host "web-2" its 100th point blocks forever (in a sleep, as a
 * call stuck on a lock or a socket does); on host "db-1" its 50th point spins for 600 ms ignoring
 * interrupts (a slow computation). Elsewhere it answers at once. The host must isolate it.
 */
@Extension
public class StuckDetectorFactory implements DetectorFactory {

    public String name() {
        return "stuck";
    }

    public String description() {
        return "hangs on web-2, is slow on db-1 (test plugin)";
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
                StateReader r = StateReader.open(b, "stuck", 1);
                long n = r.readLong();
                r.end();
                return series(k, n);
            }
        };
    }

    static SeriesDetector series(SeriesKey k, long start) {
        return new SeriesDetector() {
            long n = start;

            public Assessment update(long t, double x) {
                n++;
                if (n == 100 && k.host().equals("web-2")) {
                    try {
                        Thread.sleep(Long.MAX_VALUE);
                    } catch (InterruptedException e) {
                        throw new IllegalStateException("stuck plugin interrupted");
                    }
                }
                if (n == 50 && k.host().equals("db-1")) {
                    long until = System.nanoTime() + 600_000_000L;
                    while (System.nanoTime() < until) {
                        Thread.onSpinWait(); // deaf to interrupts
                    }
                }
                return new Assessment(x, x - 1, x + 1, 0, false);
            }

            public byte[] snapshot() {
                return StateWriter.begin("stuck", 1).writeLong(n).toBytes();
            }
        };
    }
}
