package dev.rtm.plugins.rcf;

import dev.rtm.api.Assessment;
import dev.rtm.api.Detector;
import dev.rtm.api.SeriesDetector;
import dev.rtm.api.SeriesKey;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Development aid: runs rcf over a NAB data dir and writes NAB result files
 * ({@code OUT/<category>/<name>_<file>.csv}) for the official scorer, printing points/s.
 * Arguments: NAB_ROOT OUT NAME [key=value ...].
 */
public final class NabHarness {

    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();

    private NabHarness() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        Path out = Path.of(args[1]);
        String name = args[2];
        Map<String, Object> raw = new LinkedHashMap<>();
        for (int i = 3; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            raw.put(kv[0], kv[1]);
        }
        RcfDetectorFactory f = new RcfDetectorFactory();
        Detector d = f.create(f.configSpec().validate(raw));
        int reps = Integer.getInteger("reps", 1);
        for (int rep = 1; rep <= reps; rep++) {
            run(root, out, name, d);
        }
    }

    private static void run(Path root, Path out, String name, Detector d) throws Exception {
        long nanos = 0;
        long points = 0;
        List<Path> files;
        try (Stream<Path> s = Files.walk(root.resolve("data"))) {
            files = s.filter(p -> p.toString().endsWith(".csv")).sorted().toList();
        }
        for (Path file : files) {
            List<String> lines = Files.readAllLines(file);
            String cat = file.getParent().getFileName().toString();
            String fn = file.getFileName().toString();
            SeriesDetector sd = d.create(new SeriesKey(cat + System.getProperty("salt", ""), fn));
            Path dst = out.resolve(cat).resolve(name + "_" + fn);
            Files.createDirectories(dst.getParent());
            try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(dst))) {
                w.println("timestamp,value,anomaly_score");
                for (int i = 1; i < lines.size(); i++) {
                    String[] c = lines.get(i).split(",");
                    double x = Double.parseDouble(c[1]);
                    long t0 = CPU.getCurrentThreadCpuTime();
                    Assessment a = sd.update(i * 1000L, x);
                    nanos += CPU.getCurrentThreadCpuTime() - t0;
                    points++;
                    double p = a.score() / (a.score() + d.threshold());
                    w.println(c[0] + "," + c[1] + "," + String.format(Locale.ROOT, "%.6f", p));
                }
            }
        }
        System.out.printf(Locale.ROOT, "%s: %d points, %.1f k points/s%n", name, points, points / (nanos / 1e9) / 1e3);
    }
}
