package dev.rtm.cli.nab;

import dev.rtm.host.sink.NabSeries;
import dev.rtm.host.RtmException;
import dev.rtm.host.source.Timestamps;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads a detector's NAB result files, in NAB's layout: {@code DIR/<category>/<detector>_<file>.csv}
 * or {@code DIR/<detector>/<category>/...}, with a {@code timestamp} first column and an
 * {@code anomaly_score} column (NAB's own detectors' files, or {@code rtm replay --nab-out}).
 */
public final class NabResults {

    private NabResults() {
    }

    /**
     * The detector's files, sorted by path.
     *
     * @throws RtmException naming the file and line of anything unreadable
     */
    public static List<NabSeries> read(Path dir, String detector) {
        Path root = Files.isDirectory(dir.resolve(detector)) ? dir.resolve(detector) : dir;
        String prefix = detector + "_";
        List<Path> files;
        try (Stream<Path> w = Files.walk(root)) {
            files = w.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().startsWith(prefix)
                    && p.getFileName().toString().endsWith(".csv") && !p.getFileName().toString().endsWith("_scores.csv")
                    && !p.getParent().equals(root)).sorted().toList();
        } catch (IOException e) {
            throw new RtmException("cannot list " + root + ": " + e.getMessage());
        }
        if (files.isEmpty()) {
            throw new RtmException("no NAB result files " + prefix + "*.csv under " + root);
        }
        List<NabSeries> out = new ArrayList<>();
        for (Path f : files) {
            String category = root.relativize(f.getParent()).toString().replace('\\', '/');
            out.add(readFile(f, category + "/" + f.getFileName().toString().substring(prefix.length())));
        }
        return out;
    }

    private static NabSeries readFile(Path f, String key) {
        try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            String header = r.readLine();
            List<String> cols = header == null ? List.of() : Arrays.asList(header.replace("\uFEFF", "").strip().split(","));
            int score = cols.indexOf("anomaly_score");
            int value = cols.indexOf("value");
            if (cols.isEmpty() || !cols.get(0).equals("timestamp") || score < 0) {
                throw new RtmException(f + ": header must start with 'timestamp' and have 'anomaly_score'");
            }
            long[] t = new long[1024];
            double[] v = new double[1024];
            double[] s = new double[1024];
            int n = 0;
            String line;
            int lineNo = 1;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] c = line.split(",", -1);
                if (n == t.length) {
                    t = Arrays.copyOf(t, n * 2);
                    v = Arrays.copyOf(v, n * 2);
                    s = Arrays.copyOf(s, n * 2);
                }
                try {
                    t[n] = Timestamps.parse(c[0]);
                    v[n] = value >= 0 ? Double.parseDouble(c[value]) : Double.NaN;
                    s[n] = Double.parseDouble(c[score]);
                } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
                    throw new RtmException(f + ":" + lineNo + ": unreadable row '" + line + "'");
                }
                if (!(s[n] >= 0 && s[n] <= 1)) {
                    throw new RtmException(f + ":" + lineNo + ": anomaly_score " + c[score] + " is not in [0, 1]");
                }
                n++;
            }
            return new NabSeries(key, Arrays.copyOf(t, n), Arrays.copyOf(v, n), Arrays.copyOf(s, n));
        } catch (IOException e) {
            throw new RtmException("cannot read " + f + ": " + e.getMessage());
        }
    }
}
