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
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Per-point results, one row per point per model:
 * {@code timestamp,host,metric,value,model,expected,lower,upper,score,anomaly}. Missing
 * expectations (first points) are empty fields. Quoted as RFC 4180 (Apache Commons CSV), so a host
 * or metric with a comma or a quote reads back as it was.
 */
public final class ResultCsvWriter implements AutoCloseable {

    /** The header line. */
    public static final String HEADER = "timestamp,host,metric,value,model,expected,lower,upper,score,anomaly";

    /** RFC 4180 quoting (a host or metric with a comma or quote is quoted), lines ending in LF. */
    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setRecordSeparator('\n').get();

    private final CSVPrinter out;

    private ResultCsvWriter(Writer out) throws IOException {
        this.out = new CSVPrinter(out, FORMAT);
        this.out.printRecord((Object[]) HEADER.split(","));
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
            String host = series.key().host();
            String metric = series.key().metric();
            for (int i = 0; i < series.size(); i++) {
                out.printRecord(Timestamps.iso(series.time(i)), host, metric, Double.toString(series.value(i)),
                        scores.model(), num(scores.expected(i)), num(scores.lower(i)), num(scores.upper(i)),
                        Double.toString(scores.score(i)), scores.anomaly(i) ? "1" : "0");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String num(double d) {
        return Double.isNaN(d) ? "" : Double.toString(d);
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
