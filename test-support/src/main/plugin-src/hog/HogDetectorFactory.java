package example.hog;

import dev.rtm.api.Assessment;
import dev.rtm.api.SeriesKey;
import example.common.CountingDetectorFactory;
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
public class HogDetectorFactory extends CountingDetectorFactory {

    public HogDetectorFactory() {
        super("hog", "leaks memory on h3/m0 (test plugin)");
    }

    protected Counting series(SeriesKey k, long start) {
        boolean leaks = k.host().equals("h3") && k.metric().equals("m0");
        return new Counting(start) {
            final List<byte[]> kept = new ArrayList<>();

            public Assessment update(long t, double x) {
                n++;
                if (leaks && n >= 20) {
                    kept.add(new byte[(int) Math.min(Integer.MAX_VALUE - 8, Runtime.getRuntime().maxMemory() / 16)]);
                }
                return new Assessment(x, x - 1, x + 1, 0, false);
            }
        };
    }
}
