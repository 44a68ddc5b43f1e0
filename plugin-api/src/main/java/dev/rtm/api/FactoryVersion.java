package dev.rtm.api;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/** The default of {@link NamedFactory#version()}: read once per class from its jar's manifest. */
final class FactoryVersion {

    static final String UNKNOWN = "unknown";

    private static final ClassValue<String> VERSIONS = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
            return read(type);
        }
    };

    private FactoryVersion() {
    }

    static String of(Class<?> type) {
        return VERSIONS.get(type);
    }

    private static String read(Class<?> type) {
        Manifest m = manifestOf(type);
        if (m != null) {
            Attributes a = m.getMainAttributes();
            for (String key : new String[] {"Plugin-Version", "Implementation-Version"}) {
                String v = a.getValue(key);
                if (v != null && !v.isBlank()) {
                    return v.trim();
                }
            }
        }
        Package p = type.getPackage();
        String v = p == null ? null : p.getImplementationVersion();
        return v == null || v.isBlank() ? UNKNOWN : v.trim();
    }

    /** The manifest of the jar or class directory {@code type} came from, or null. */
    private static Manifest manifestOf(Class<?> type) {
        try {
            CodeSource cs = type.getProtectionDomain().getCodeSource();
            if (cs == null || cs.getLocation() == null || !"file".equals(cs.getLocation().getProtocol())) {
                return null;
            }
            Path where = Path.of(cs.getLocation().toURI());
            if (Files.isDirectory(where)) {
                Path mf = where.resolve("META-INF/MANIFEST.MF");
                if (!Files.isRegularFile(mf)) {
                    return null;
                }
                try (InputStream in = Files.newInputStream(mf)) {
                    return new Manifest(in);
                }
            }
            try (JarFile jar = new JarFile(where.toFile())) {
                return jar.getManifest();
            }
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return null; // no readable manifest: the version is unknown, never an error
        }
    }
}
