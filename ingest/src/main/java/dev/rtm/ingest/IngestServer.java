package dev.rtm.ingest;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import org.xerial.snappy.Snappy;

/**
 * The HTTP side of {@code rtm ingest}:
 * <ul>
 *   <li>{@code POST /api/v1/write}: Prometheus remote-write 1.0, a snappy-compressed (block format)
 *       protobuf {@code WriteRequest}; answers 204;</li>
 *   <li>{@code POST /v1/metrics}: OTLP/HTTP metrics, {@code application/x-protobuf} or
 *       {@code application/json}, optionally gzip-compressed; answers 200 with an
 *       {@code ExportMetricsServiceResponse} in the request's encoding (a partial success names the
 *       points not taken).</li>
 * </ul>
 * Refusals, each with a one-line reason as the body: 401 without the bearer token (when one is set),
 * 413 for a body (sent or decompressed) over the size limit, 400 for a malformed body, 415 for a
 * content type or encoding it does not take, 405/404 for other methods and paths, 503 when Kafka
 * does not take the records (clients retry). The token never appears in a log line or an answer.
 */
public final class IngestServer implements AutoCloseable {

    /** What the server was started with. */
    public record Settings(String bind, int port, byte[] token, long maxBodyBytes) {
        public Settings {
            token = token == null ? null : token.clone();
        }

        @Override
        public String toString() { // never the token
            return "Settings[bind=" + bind + ", port=" + port + ", token=" + (token == null ? "none" : "set") + ", maxBodyBytes="
                    + maxBodyBytes + "]";
        }
    }

    /** Counts since the start. */
    public record Stats(long requests, long samples, long records, long dropped, long refused) {
    }

    /** A body announced over the limit is still read (and dropped) up to this size, so that the client gets the 413. */
    private static final long DRAIN_LIMIT = 64L << 20;

    private final HttpServer http;
    private final ExecutorService pool;
    private final Settings settings;
    private final KafkaOut out;
    private final Consumer<String> log;
    private final SeriesMapper prometheus = new SeriesMapper("prometheus");
    private final SeriesMapper otlp = new SeriesMapper("otlp");
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong samples = new AtomicLong();
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong lastDropLog = new AtomicLong();

    private IngestServer(HttpServer http, ExecutorService pool, Settings settings, KafkaOut out, Consumer<String> log) {
        this.http = http;
        this.pool = pool;
        this.settings = settings;
        this.out = out;
        this.log = log;
    }

    /**
     * Starts listening.
     *
     * @param out where the records go (closed with the server)
     * @param log gets one line per refused request and, at most once a minute, one about dropped samples
     * @throws IOException when the port cannot be bound
     */
    public static IngestServer start(Settings settings, KafkaOut out, Consumer<String> log) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(settings.bind(), settings.port()), 64);
        ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "rtm-ingest");
            t.setDaemon(true);
            return t;
        });
        IngestServer s = new IngestServer(http, pool, settings, out, log);
        http.createContext("/", s::handle);
        http.setExecutor(pool);
        http.start();
        return s;
    }

    /** The port listened on. */
    public int port() {
        return http.getAddress().getPort();
    }

    /** Counts since the start. */
    public Stats stats() {
        return new Stats(requests.get(), samples.get(), records.get(), dropped.get(), refused.get());
    }

    private void handle(HttpExchange ex) throws IOException {
        requests.incrementAndGet();
        try {
            String path = ex.getRequestURI().getPath();
            boolean write = path.equals("/api/v1/write");
            if (!write && !path.equals("/v1/metrics")) {
                refuse(ex, 404, "no such endpoint: " + path + " (POST /api/v1/write for Prometheus remote-write, /v1/metrics for OTLP)");
                return;
            }
            if (!ex.getRequestMethod().equals("POST")) {
                ex.getResponseHeaders().set("Allow", "POST");
                refuse(ex, 405, path + " takes POST, not " + ex.getRequestMethod());
                return;
            }
            String authProblem = authProblem(ex.getRequestHeaders().getFirst("Authorization"));
            if (authProblem != null) {
                ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"rtm\"");
                refuse(ex, 401, authProblem);
                return;
            }
            if (write) {
                remoteWrite(ex);
            } else {
                otlp(ex);
            }
        } catch (Refused r) {
            refuse(ex, r.status, r.getMessage());
        } catch (MalformedBodyException e) {
            refuse(ex, 400, e.getMessage());
        } catch (RuntimeException e) {
            refuse(ex, 500, "internal error: " + e.getClass().getSimpleName());
            log.accept("internal error on " + ex.getRequestURI().getPath() + ": " + e);
        } finally {
            ex.close();
        }
    }

    private void remoteWrite(HttpExchange ex) throws IOException, Refused, MalformedBodyException {
        String enc = ex.getRequestHeaders().getFirst("Content-Encoding");
        if (enc != null && !enc.equalsIgnoreCase("snappy")) {
            throw new Refused(415, "Content-Encoding " + enc + ": remote-write bodies are snappy-compressed");
        }
        byte[] compressed = body(ex);
        byte[] raw;
        try {
            if (!Snappy.isValidCompressedBuffer(compressed)) {
                throw new MalformedBodyException("the body is not snappy-compressed (block format)");
            }
            long size = Snappy.uncompressedLength(compressed);
            if (size > settings.maxBodyBytes()) {
                throw new Refused(413, "the body is " + size + " bytes uncompressed; the limit is " + settings.maxBodyBytes());
            }
            raw = Snappy.uncompress(compressed);
        } catch (IOException e) {
            throw new MalformedBodyException("the body is not snappy-compressed (block format): " + e.getMessage());
        }
        List<IngestSample> decoded = RemoteWrite.decode(raw);
        SeriesMapper.Mapped mapped = prometheus.map(decoded);
        publish(mapped);
        ex.sendResponseHeaders(204, -1);
    }

    private void otlp(HttpExchange ex) throws IOException, Refused, MalformedBodyException {
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        String t = type == null ? "" : type.toLowerCase(Locale.ROOT).split(";")[0].strip();
        boolean json = t.equals("application/json");
        if (!json && !t.equals("application/x-protobuf")) {
            throw new Refused(415, "Content-Type " + (type == null ? "missing" : type) + ": send application/x-protobuf or application/json");
        }
        String enc = ex.getRequestHeaders().getFirst("Content-Encoding");
        byte[] body = body(ex);
        if (enc != null && enc.equalsIgnoreCase("gzip")) {
            body = gunzip(body);
        } else if (enc != null && !enc.equalsIgnoreCase("identity")) {
            throw new Refused(415, "Content-Encoding " + enc + ": send gzip or none");
        }
        OtlpMetrics.Decoded decoded = json ? OtlpMetrics.fromJson(body) : OtlpMetrics.fromProtobuf(body);
        SeriesMapper.Mapped mapped = otlp.map(decoded.samples());
        publish(mapped);
        int rejected = decoded.rejected() + mapped.dropped();
        String why = decoded.rejectedWhy() != null ? decoded.rejectedWhy() : mapped.droppedWhy();
        byte[] answer;
        if (json) {
            answer = (rejected == 0 ? "{}" : "{\"partialSuccess\":{\"rejectedDataPoints\":\"" + rejected + "\",\"errorMessage\":"
                    + com.fasterxml.jackson.databind.node.TextNode.valueOf(why) + "}}").getBytes(StandardCharsets.UTF_8);
        } else {
            ExportMetricsServiceResponse.Builder r = ExportMetricsServiceResponse.newBuilder();
            if (rejected > 0) {
                r.setPartialSuccess(ExportMetricsPartialSuccess.newBuilder().setRejectedDataPoints(rejected).setErrorMessage(why));
            }
            answer = r.build().toByteArray();
        }
        ex.getResponseHeaders().set("Content-Type", json ? "application/json" : "application/x-protobuf");
        ex.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
        if (answer.length > 0) {
            try (OutputStream os = ex.getResponseBody()) {
                os.write(answer);
            }
        }
    }

    private void publish(SeriesMapper.Mapped mapped) throws Refused {
        try {
            out.send(mapped.records());
        } catch (IOException e) {
            throw new Refused(503, e.getMessage());
        }
        samples.addAndGet(mapped.samples());
        records.addAndGet(mapped.records().size());
        if (mapped.dropped() > 0) {
            dropped.addAndGet(mapped.dropped());
            long now = System.currentTimeMillis();
            long last = lastDropLog.get();
            if (now - last >= 60_000 && lastDropLog.compareAndSet(last, now)) {
                log.accept("dropped " + mapped.dropped() + " of " + mapped.samples() + " samples of a request, e.g. " + mapped.droppedWhy()
                        + " (" + dropped.get() + " dropped since the start)");
            }
        }
    }

    /** Null when the request may pass; otherwise why not (never the token itself). */
    private String authProblem(String header) {
        if (settings.token() == null) {
            return null;
        }
        if (header == null) {
            return "no bearer token: send Authorization: Bearer <token>";
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return "the Authorization header is not a bearer token";
        }
        byte[] given = header.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, settings.token()) ? null : "wrong bearer token";
    }

    /** The request body, refusing one over the limit before and while reading it. */
    private byte[] body(HttpExchange ex) throws IOException, Refused {
        long max = settings.maxBodyBytes();
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            try {
                long n = Long.parseLong(length.strip());
                if (n > max) {
                    if (n <= DRAIN_LIMIT) { // read and dropped, so that the client reads the answer
                        ex.getRequestBody().transferTo(OutputStream.nullOutputStream());
                    }
                    ex.getResponseHeaders().set("Connection", "close");
                    throw new Refused(413, "the body is " + n + " bytes; the limit is " + max);
                }
            } catch (NumberFormatException e) {
                throw new Refused(400, "Content-Length is not a number");
            }
        }
        return readAtMost(ex.getRequestBody(), max, "the body");
    }

    private byte[] gunzip(byte[] body) throws Refused, MalformedBodyException {
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(body))) {
            return readAtMost(in, settings.maxBodyBytes(), "the body uncompressed");
        } catch (IOException e) {
            throw new MalformedBodyException("the body is not gzip-compressed: " + e.getMessage());
        }
    }

    private static byte[] readAtMost(InputStream in, long max, String what) throws IOException, Refused {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] chunk = new byte[16 * 1024];
        int n;
        while ((n = in.read(chunk)) > 0) {
            buf.write(chunk, 0, n);
            if (buf.size() > max) {
                throw new Refused(413, what + " is over the limit of " + max + " bytes");
            }
        }
        return buf.toByteArray();
    }

    private void refuse(HttpExchange ex, int status, String reason) throws IOException {
        refused.incrementAndGet();
        String line = reason.replaceAll("[\\r\\n]+", " ");
        log.accept(status + " to " + ex.getRemoteAddress().getAddress().getHostAddress() + " " + ex.getRequestMethod() + " "
                + ex.getRequestURI().getPath() + ": " + line);
        byte[] body = (line + "\n").getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(body);
        }
    }

    @Override
    public void close() {
        http.stop(1);
        pool.shutdown();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        out.close();
    }

    /** A request refused with an HTTP status. */
    private static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        Refused(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }
}
