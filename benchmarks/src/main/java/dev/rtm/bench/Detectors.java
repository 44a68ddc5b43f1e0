package dev.rtm.bench;

import dev.rtm.api.ConfigException;
import dev.rtm.api.Detector;
import dev.rtm.api.DetectorFactory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;

/**
 * Detector factories found the way PF4J finds extensions: every {@code META-INF/extensions.idx} on
 * the class path lists extension classes, and those implementing {@link DetectorFactory} are
 * instantiated with their public no-argument constructor. Nothing below the plugin API is touched,
 * so a benchmark measures what the host calls.
 */
public final class Detectors {

    private Detectors() {
    }

    /** Every detector factory on the class path. */
    public static List<DetectorFactory> factories() {
        List<DetectorFactory> out = new ArrayList<>();
        ClassLoader loader = Detectors.class.getClassLoader();
        try {
            Enumeration<URL> idx = loader.getResources("META-INF/extensions.idx");
            while (idx.hasMoreElements()) {
                URL url = idx.nextElement();
                try (BufferedReader r = new BufferedReader(new InputStreamReader(url.openStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        line = line.strip();
                        if (line.isEmpty() || line.startsWith("#")) {
                            continue;
                        }
                        Class<?> c = Class.forName(line, true, loader);
                        if (DetectorFactory.class.isAssignableFrom(c)) {
                            out.add((DetectorFactory) c.getDeclaredConstructor().newInstance());
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot instantiate a detector factory: " + e, e);
        }
        return out;
    }

    /** A detector of the factory named {@code name}, with its defaults overridden by {@code config}. */
    public static Detector create(String name, Map<String, ?> config) throws ConfigException {
        List<String> names = new ArrayList<>();
        for (DetectorFactory f : factories()) {
            if (f.name().equals(name)) {
                return f.create(f.configSpec().validate(config));
            }
            names.add(f.name());
        }
        throw new IllegalArgumentException("no detector plugin '" + name + "' on the class path (found: " + names + ")");
    }
}
