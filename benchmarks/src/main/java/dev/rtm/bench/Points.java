package dev.rtm.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The points every benchmark feeds: NAB's {@code realKnownCause/nyc_taxi.csv} (10 320 half-hourly
 * taxi counts) when it can be found, else a generated noisy daily pattern of the same length.
 * The file is looked for at the system property {@code rtm.bench.series}, then under
 * {@code ../shared/data/nab-sample} and {@code data/nab-sample} from the working directory.
 */
public final class Points {

    /** Milliseconds between two points (NAB's taxi series is half-hourly). */
    public static final long STEP_MS = 30 * 60_000L;

    private static final String NAB_FILE = "data/realKnownCause/nyc_taxi.csv";

    private static volatile Points loaded;

    private final String source;
    private final double[] values;

    private Points(String source, double[] values) {
        this.source = source;
        this.values = values;
    }

    public static Points get() {
        Points p = loaded;
        if (p == null) {
            p = load();
            loaded = p;
        }
        return p;
    }

    /** Where the points came from: a file path, or "generated". */
    public String source() {
        return source;
    }

    /** The points; callers must not change them. */
    public double[] values() {
        return values;
    }

    private static Points load() {
        List<Path> candidates = new ArrayList<>();
        String given = System.getProperty("rtm.bench.series");
        if (given != null && !given.isBlank()) {
            candidates.add(Path.of(given));
        }
        candidates.add(Path.of("../shared/data/nab-sample").resolve(NAB_FILE));
        candidates.add(Path.of("../../shared/data/nab-sample").resolve(NAB_FILE));
        candidates.add(Path.of("data/nab-sample").resolve(NAB_FILE));
        for (Path p : candidates) {
            if (Files.isRegularFile(p)) {
                return new Points(p.normalize().toString(), readValues(p));
            }
        }
        return new Points("generated", generated(10_320, 1));
    }

    /** The second column of a {@code timestamp,value} CSV with a header. */
    static double[] readValues(Path csv) {
        try {
            List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
            double[] out = new double[lines.size() - 1];
            int n = 0;
            for (String line : lines.subList(1, lines.size())) {
                int comma = line.lastIndexOf(',');
                if (comma > 0) {
                    out[n++] = Double.parseDouble(line.substring(comma + 1).strip());
                }
            }
            return java.util.Arrays.copyOf(out, n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A daily cycle of 48 half-hours with a weekly swell and noise, like the taxi counts. */
    static double[] generated(int n, long seed) {
        Random r = new Random(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            double day = Math.sin(2 * Math.PI * i / 48);
            double week = Math.sin(2 * Math.PI * i / (48 * 7));
            x[i] = 15_000 + 8_000 * day + 2_000 * week + 600 * r.nextGaussian();
        }
        return x;
    }
}
