package example.exploding;

import dev.rtm.api.ConfigSpec;
import dev.rtm.api.Detector;
import dev.rtm.api.DetectorFactory;
import dev.rtm.api.Settings;
import org.pf4j.Extension;

/** A broken plugin: its factory cannot even be constructed. */
@Extension
public class ExplodingDetectorFactory implements DetectorFactory {

    public ExplodingDetectorFactory() {
        throw new IllegalStateException("boom at construction");
    }

    public String name() {
        return "exploding";
    }

    public String description() {
        return "never loads";
    }

    public ConfigSpec configSpec() {
        return ConfigSpec.of();
    }

    public Detector create(Settings s) {
        throw new IllegalStateException("unreachable");
    }
}
