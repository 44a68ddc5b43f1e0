package dev.rtm.cli.nab;

import dev.rtm.host.sink.NabSeries;
import dev.rtm.host.RtmException;
import dev.rtm.host.source.Timestamps;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads a detector's NAB result files, in NAB's layout: {@code DIR/<category>/<detector>_<file>.csv}
 * or {@code DIR/<detector>/<category>/...}, with a {@code timestamp} first column and an
 * {@code anomaly_score} column (NAB's own detectors' files, or {@code rtm replay --nab-out}). Files are
 * RFC 4180 CSV (Apache Commons CSV), so a quoted field may hold commas.
 */
public final class NabResults {

    /** RFC 4180; blank lines are kept by the parser (and skipped here) so line numbers stay right. */
    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder()
            .setIgnoreSurroundingSpaces(true).setIgnoreEmptyLines(false).get();

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
        try (Reader reader = Files.newBufferedReader(f, StandardCharsets.UTF_8);
             CSVParser parser = CSVParser.builder().setReader(reader).setFormat(FORMAT).get()) {
            Iterator<CSVRecord> records = parser.iterator();
            List<String> cols = records.hasNext()
                    ? records.next().stream().map(c -> c.replace("\uFEFF", "").strip()).toList() : List.of();
            int score = cols.indexOf("anomaly_score");
            int value = cols.indexOf("value");
            if (cols.isEmpty() || !cols.get(0).equals("timestamp") || score < 0) {
                throw new RtmException(f + ": header must start with 'timestamp' and have 'anomaly_score'");
            }
            long[] t = new long[1024];
            double[] v = new double[1024];
            double[] s = new double[1024];
            int n = 0;
            long lineNo = parser.getCurrentLineNumber();
            while (records.hasNext()) {
                CSVRecord c = records.next();
                long line = lineNo + 1; // the line the record starts on (a quoted field may span lines)
                lineNo = parser.getCurrentLineNumber();
                if (c.size() == 1 && c.get(0).isBlank()) {
                    continue;
                }
                if (n == t.length) {
                    t = Arrays.copyOf(t, n * 2);
                    v = Arrays.copyOf(v, n * 2);
                    s = Arrays.copyOf(s, n * 2);
                }
                try {
                    t[n] = Timestamps.parse(c.get(0));
                    v[n] = value >= 0 ? Double.parseDouble(c.get(value)) : Double.NaN;
                    s[n] = Double.parseDouble(c.get(score));
                } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
                    throw new RtmException(f + ":" + line + ": unreadable row '" + String.join(",", c.values()) + "'");
                }
                if (!(s[n] >= 0 && s[n] <= 1)) {
                    throw new RtmException(f + ":" + line + ": anomaly_score " + c.get(score) + " is not in [0, 1]");
                }
                n++;
            }
            return new NabSeries(key, Arrays.copyOf(t, n), Arrays.copyOf(v, n), Arrays.copyOf(s, n));
        } catch (IOException | UncheckedIOException e) {
            throw new RtmException("cannot read " + f + ": " + e.getMessage());
        }
    }
}
