package dev.rtm.host.sink;

import dev.rtm.host.detect.Scores;
import dev.rtm.host.sink.NabSeries;
import dev.rtm.host.source.SeriesData;
import dev.rtm.host.source.Timestamps;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * NAB result files: {@code DIR/<detector>/<category>/<detector>_<file>.csv} with header
 * {@code timestamp,value,anomaly_score,label}. {@code anomaly_score} is
 * {@link Scores#normalized(int)}: {@code score / (score + threshold)}, in [0, 1), 0.5 at the
 * detector's flag line. {@code label} is 0: NAB fills labels in itself.
 *
 * <p>There is exactly one output row per input row, in file order, with the input's timestamp, as
 * NAB's scorer requires: a row the replay dropped (a timestamp not newer than the one before, as
 * where NAB files repeat an hour at a DST change) or that the detector did not score is written
 * with {@code anomaly_score} 0 (see {@link NabSeries#of}). Written with Apache Commons CSV (RFC 4180,
 * lines ending in LF), as {@link ResultCsvWriter} is.
 */
public final class NabWriter {

    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setRecordSeparator('\n').get();

    private final Path dir;

    /** @param dir the results root */
    public NabWriter(Path dir) {
        this.dir = dir;
    }

    /** Writes one series' results for one detector; returns the file written. */
    public Path write(SeriesData series, Scores scores) throws IOException {
        Path file = dir.resolve(scores.model()).resolve(series.category())
                .resolve(scores.model() + "_" + series.fileName());
        Files.createDirectories(file.getParent());
        try (CSVPrinter w = new CSVPrinter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), FORMAT)) {
            w.printRecord("timestamp", "value", "anomaly_score", "label");
            NabSeries rows = NabSeries.of(series, scores);
            for (int i = 0; i < rows.size(); i++) {
                w.printRecord(Timestamps.nab(rows.times()[i]), rows.values()[i], rows.scores()[i], 0);
            }
        }
        return file;
    }
}
