package example.stuck;

import dev.rtm.api.Assessment;
import dev.rtm.api.SeriesKey;
import example.common.CountingDetectorFactory;
import org.pf4j.Extension;

/**
 * A plugin that stops answering: on host "web-2" its 100th point blocks forever (in a sleep, as a
 * call stuck on a lock or a socket does); on host "db-1" its 50th point spins for 600 ms ignoring
 * interrupts (a slow computation). Elsewhere it answers at once. The host must isolate it.
 */
@Extension
public class StuckDetectorFactory extends CountingDetectorFactory {

    public StuckDetectorFactory() {
        super("stuck", "hangs on web-2, is slow on db-1 (test plugin)");
    }

    protected Counting series(SeriesKey k, long start) {
        return new Counting(start) {
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
        };
    }
}
