package dev.rtm.host.source;

import dev.rtm.api.SeriesKey;
import dev.rtm.host.RtmException;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads series from CSV for replay. Accepted inputs:
 * <ul>
 *   <li>a file with columns {@code timestamp,value}: one series, host = its folder, metric = its name;</li>
 *   <li>a file with columns {@code timestamp,host,metric,value} (any order): any number of series;</li>
 *   <li>a directory: every {@code *.csv} below it; a NAB root (with a {@code data/} folder) is read
 *       from {@code data/}, each file's category being its folder.</li>
 * </ul>
 * Files are RFC 4180 CSV (Apache Commons CSV): a field may be quoted, a quoted field may hold
 * commas, line breaks and doubled quotes ({@code "cpu ""user"""}). Rows that cannot be read are
 * skipped and reported with file and line; points not newer than their series' previous point are
 * dropped and counted. Nothing is skipped silently.
 */
public final class CsvInput {

    /** RFC 4180; blank lines are kept by the parser (and skipped here) so line numbers stay right. */
    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder()
            .setIgnoreSurroundingSpaces(true).setIgnoreEmptyLines(false).get();

    private static final int MAX_WARNINGS_PER_FILE = 5;

    private final List<SeriesData> series = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private int skippedRows;
    private final List<String> skippedFiles = new ArrayList<>();

    private CsvInput() {
    }

    /**
     * Reads a file or directory. In a directory, a file that cannot be read as a whole (not text,
     * no known header, broken quoting, no readable row) is skipped with a warning and the others
     * are read.
     *
     * @throws RtmException naming the file and the reason when a single file cannot be read, or
     *     when no file of a directory has a readable row
     */
    public static CsvInput read(Path input) {
        CsvInput in = new CsvInput();
        if (Files.isDirectory(input)) {
            Path root = Files.isDirectory(input.resolve("data")) ? input.resolve("data") : input;
            List<Path> files;
            try (Stream<Path> walk = Files.walk(root)) {
                files = walk.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(".csv"))
                        .sorted().toList();
            } catch (IOException e) {
                throw new RtmException("cannot list " + root + ": " + e.getMessage());
            }
            if (files.isEmpty()) {
                throw new RtmException("no .csv files under " + root);
            }
            for (Path f : files) {
                int seriesBefore = in.series.size();
                int warningsBefore = in.warnings.size();
                int skippedBefore = in.skippedRows;
                try {
                    in.readFile(f, root);
                } catch (FileProblem e) {
                    in.series.subList(seriesBefore, in.series.size()).clear();
                    in.warnings.subList(warningsBefore, in.warnings.size()).clear();
                    in.skippedRows = skippedBefore;
                    in.skippedFiles.add(root.relativize(f) + ": " + e.getMessage());
                    in.warnings.add(root.relativize(f) + ": " + e.getMessage() + " (file skipped)");
                }
            }
            if (in.series.isEmpty()) {
                throw new RtmException("nothing to replay in " + input + ": none of its " + files.size()
                        + " .csv files could be read (" + in.skippedFiles.get(0)
                        + (files.size() > 1 ? "; ..." : "") + ")");
            }
        } else if (Files.isRegularFile(input)) {
            try {
                in.readFile(input, input.toAbsolutePath().getParent().getParent());
            } catch (FileProblem e) {
                throw new RtmException(input + ": " + e.getMessage());
            }
        } else {
            throw new RtmException("input " + input + " does not exist");
        }
        return in;
    }

    private void readFile(Path file, Path root) {
        Path abs = file.toAbsolutePath();
        Path parent = abs.getParent();
        String category = parent.getFileName() == null ? "replay" : parent.getFileName().toString();
        if (root != null && abs.startsWith(root.toAbsolutePath()) && !parent.equals(root.toAbsolutePath())) {
            category = root.toAbsolutePath().relativize(parent).toString().replace('\\', '/');
        }
        String fileName = file.getFileName().toString();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser parser = CSVParser.builder().setReader(reader).setFormat(FORMAT).get()) {
            Iterator<CSVRecord> records = parser.iterator();
            if (!records.hasNext()) {
                throw new FileProblem("the file is empty (expected a header line)");
            }
            CSVRecord header = records.next();
            Map<String, Integer> cols = columns(header);
            Integer ts = cols.get("timestamp");
            Integer val = cols.get("value");
            Integer host = cols.get("host");
            Integer metric = cols.get("metric");
            if (ts == null || val == null || (host == null) != (metric == null)) {
                throw new FileProblem("header '" + printable(String.join(",", header.values()).strip())
                        + "' has not the columns 'timestamp,value' or 'timestamp,host,metric,value'");
            }
            int fields = header.size();
            SeriesData single = host == null
                    ? new SeriesData(new SeriesKey(category, stem(fileName)), category, fileName, category + "/" + fileName)
                    : null;
            Map<SeriesKey, SeriesData> byKey = new LinkedHashMap<>();
            int warned = 0;
            int skippedHere = 0;
            long lineNo = parser.getCurrentLineNumber();
            while (records.hasNext()) {
                CSVRecord f = records.next();
                long line = lineNo + 1; // the line the record starts on (a quoted field may span lines)
                lineNo = parser.getCurrentLineNumber();
                if (f.size() == 1 && f.get(0).isBlank()) {
                    continue;
                }
                String problem = null;
                try {
                    if (f.size() != fields) {
                        problem = "has " + f.size() + " fields, the header has " + fields;
                    } else {
                        long t = Timestamps.parse(f.get(ts));
                        double v = parseValue(f.get(val));
                        SeriesData s = single;
                        if (s == null) {
                            String h = f.get(host);
                            String m = f.get(metric);
                            if (h.isEmpty() || m.isEmpty()) {
                                throw new IllegalArgumentException("host and metric must not be empty");
                            }
                            s = byKey.computeIfAbsent(new SeriesKey(h, m),
                                    k -> add(new SeriesData(k, k.host(), k.metric() + ".csv", null)));
                        }
                        s.add(t, v);
                    }
                } catch (IllegalArgumentException e) {
                    problem = e.getMessage();
                }
                if (problem != null) {
                    skippedRows++;
                    skippedHere++;
                    if (warned++ < MAX_WARNINGS_PER_FILE) {
                        warnings.add(file.getFileName() + ":" + line + ": " + problem + " (row skipped)");
                    }
                }
            }
            if (skippedHere > MAX_WARNINGS_PER_FILE) {
                warnings.add(file.getFileName() + ": " + skippedHere + " rows skipped in all (the first "
                        + MAX_WARNINGS_PER_FILE + " are listed above)");
            }
            if (single != null && single.size() > 0) {
                add(single);
            }
            if (single != null ? single.size() == 0 : byKey.isEmpty()) {
                throw new FileProblem(skippedHere == 0 ? "no data rows after the header"
                        : "no readable rows (" + skippedHere + " skipped)");
            }
            for (SeriesData s : single != null ? List.of(single) : byKey.values()) {
                if (s.dropped() > 0) {
                    warnings.add(file.getFileName() + ": " + s.dropped() + " points of " + s.key()
                            + " dropped: not newer than the point before them (late or duplicate timestamps)");
                }
            }
        } catch (IOException | UncheckedIOException e) {
            throw new FileProblem(reason(e instanceof UncheckedIOException u ? u.getCause() : (IOException) e));
        }
    }

    private static String reason(IOException e) {
        if (e instanceof CharacterCodingException) {
            return "not UTF-8 text (a binary file?)";
        }
        if (e instanceof AccessDeniedException) {
            return "cannot read it: permission denied";
        }
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return "cannot read it: " + f.getReason();
        }
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        // Commons CSV: "(line 3) invalid char between encapsulated token and delimiter at line: 3, position: 9"
        return msg.contains("encapsulated token") ? "broken quoting: " + msg : "cannot read it: " + msg;
    }

    /** A header or message echoed back, without control characters and not too long. */
    private static String printable(String s) {
        String t = s.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return t.length() > 80 ? t.substring(0, 80) + "..." : t;
    }

    /** Why a whole file cannot be read. */
    private static final class FileProblem extends RuntimeException {
        FileProblem(String reason) {
            super(reason, null, false, false);
        }
    }

    private SeriesData add(SeriesData s) {
        series.add(s);
        return s;
    }

    private static Map<String, Integer> columns(CSVRecord header) {
        Map<String, Integer> cols = new LinkedHashMap<>();
        for (int i = 0; i < header.size(); i++) {
            cols.putIfAbsent(header.get(i).replace("\uFEFF", "").strip().toLowerCase(Locale.ROOT), i);
        }
        return cols;
    }

    private static double parseValue(String s) {
        String v = s.strip();
        double d;
        try {
            d = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("value '" + v + "' is not a number");
        }
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException("value '" + v + "' is not finite");
        }
        return d;
    }

    private static String stem(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot > 0 ? fileName.substring(0, dot) : fileName;
    }

    /** The series read, in file order. */
    public List<SeriesData> series() {
        return List.copyOf(series);
    }

    /** Human lines about skipped rows (at most a few per file). */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** Files of a directory that were skipped, each as {@code path: reason}. */
    public List<String> skippedFiles() {
        return List.copyOf(skippedFiles);
    }

    /** Rows that could not be read. */
    public int skippedRows() {
        return skippedRows;
    }

    /** Points dropped as late or duplicate, over all series. */
    public int droppedPoints() {
        return series.stream().mapToInt(SeriesData::dropped).sum();
    }
}
