package dev.rtm.host.sink;

import dev.rtm.host.detect.Scores;
import dev.rtm.host.source.SeriesData;
import dev.rtm.host.source.Timestamps;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Per-point results, one row per point per model:
 * {@code timestamp,host,metric,value,model,expected,lower,upper,score,anomaly}. Missing
 * expectations (first points) are empty fields.
 */
public final class ResultCsvWriter implements AutoCloseable {

    /** The header line. */
    public static final String HEADER = "timestamp,host,metric,value,model,expected,lower,upper,score,anomaly";

    private final Writer out;

    private ResultCsvWriter(Writer out) throws IOException {
        this.out = out;
        out.write(HEADER);
        out.write('\n');
    }

    /** Writes to a file ({@code -} for standard output). */
    public static ResultCsvWriter open(Path file) throws IOException {
        if (file.toString().equals("-")) {
            return new ResultCsvWriter(new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8)) {
                @Override
                public void close() throws IOException {
                    flush(); // never close System.out
                }
            });
        }
        if (file.toAbsolutePath().getParent() != null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
        return new ResultCsvWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8));
    }

    /** Writes every point of one series as scored by one model. */
    public void write(SeriesData series, Scores scores) {
        try {
            String prefix = "," + series.key().host() + "," + series.key().metric() + ",";
            String model = "," + scores.model() + ",";
            StringBuilder sb = new StringBuilder(128);
            for (int i = 0; i < series.size(); i++) {
                sb.setLength(0);
                sb.append(Timestamps.iso(series.time(i))).append(prefix).append(series.value(i)).append(model);
                num(sb, scores.expected(i)).append(',');
                num(sb, scores.lower(i)).append(',');
                num(sb, scores.upper(i)).append(',');
                sb.append(scores.score(i)).append(',').append(scores.anomaly(i) ? 1 : 0).append('\n');
                out.append(sb);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static StringBuilder num(StringBuilder sb, double d) {
        return Double.isNaN(d) ? sb : sb.append(d);
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
