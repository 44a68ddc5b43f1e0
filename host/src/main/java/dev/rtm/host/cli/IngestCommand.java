package dev.rtm.host.cli;

import dev.rtm.host.RtmException;
import dev.rtm.host.agent.BrokerProbe;
import dev.rtm.host.config.HostSettings;
import dev.rtm.host.config.RtmConfig;
import dev.rtm.host.ingest.IngestServer;
import dev.rtm.host.ingest.KafkaOut;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rtm ingest}: takes Prometheus remote-write and OTLP/HTTP metrics and publishes them as the agent's records. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = {"Receive metrics from hosts that do not run the rtm agent and publish them to the config's kafka "
                + "metrics topic as HostMetrics records: Prometheus remote-write on POST /api/v1/write (point a Prometheus' "
                + "remote_write at it) and OTLP/HTTP metrics on POST /v1/metrics (an OpenTelemetry collector's otlphttp "
                + "exporter). node_exporter's common names become the agent's (node_load1 -> load.1m, ...). Requests need "
                + "Authorization: Bearer TOKEN, the token read from $RTM_INGEST_TOKEN or --token-file."})
final class IngestCommand implements Callable<Integer> {

    static final String TOKEN_ENV = "RTM_INGEST_TOKEN";

    @Mixin
    HostOptions host = new HostOptions();

    @Spec
    CommandSpec spec;

    @Option(names = "--port", defaultValue = "9201", paramLabel = "PORT", description = "port to listen on; 0: a free one (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--bind", defaultValue = "0.0.0.0", paramLabel = "ADDRESS", description = "address to listen on (default: ${DEFAULT-VALUE})")
    String bind;

    @Option(names = "--token-file", paramLabel = "FILE", description = "file holding the bearer token clients must send (default: $" + TOKEN_ENV + ")")
    Path tokenFile;

    @Option(names = "--no-auth", description = "take requests without a token (a trusted network only)")
    boolean noAuth;

    @Option(names = "--max-body", defaultValue = "10MiB", paramLabel = "SIZE",
            description = "largest request body, sent or decompressed: bytes, or with KB, MB, KiB, MiB (default: ${DEFAULT-VALUE})")
    String maxBody;

    @Option(names = "--topic", paramLabel = "TOPIC", description = "Kafka topic of the records (default: kafka.metrics-topic of the config)")
    String topic;

    @Option(names = "--kafka-timeout", defaultValue = "10s", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "longest wait for Kafka to take a request's records before answering 503 (default: ${DEFAULT-VALUE})")
    Duration kafkaTimeout;

    @Option(names = "--duration", paramLabel = "DURATION", converter = DurationConverter.class, description = "stop after this long (default: until Ctrl-C)")
    Duration duration;

    private static final Pattern SIZE = Pattern.compile("(?i)^\\s*(\\d+)\\s*(b|kb|mb|gb|kib|mib|gib)?\\s*$");

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (port < 0 || port > 65_535) {
            throw new RtmException("--port " + port + ": must be 0 (a free port) to 65535");
        }
        long max = size(maxBody);
        if (kafkaTimeout.toMillis() < 1_000) {
            throw new RtmException("--kafka-timeout " + kafkaTimeout.toMillis() + "ms: must be at least 1s");
        }
        byte[] token = token();
        RtmConfig cfg = host.loadConfig();
        var k = cfg.host().kafka();
        String bootstrap = k.get(HostSettings.Kafka.BOOTSTRAP);
        String t = topic != null ? topic : k.get(HostSettings.Kafka.METRICS);
        if (t.isBlank()) {
            throw new RtmException("--topic: must not be empty");
        }
        String why = BrokerProbe.unreachable(bootstrap, Duration.ofSeconds(3));
        if (why != null) {
            out.println("rtm ingest: Kafka broker at " + bootstrap + " unreachable (" + why + "); requests are answered 503 until it is");
        }
        KafkaOut kafka = new KafkaOut(bootstrap, t, HostSettings.orNull(k.get(HostSettings.Kafka.REGISTRY)), kafkaTimeout);
        IngestServer server;
        try {
            server = IngestServer.start(new IngestServer.Settings(bind, port, token, max), kafka, line -> {
                out.println("rtm ingest: " + line);
                out.flush();
            });
        } catch (IOException e) {
            kafka.close();
            throw new RtmException("--port " + port + " on " + bind + ": cannot listen (" + e.getMessage() + "); choose another with --port");
        }
        CountDownLatch stop = new CountDownLatch(1);
        Thread hook = new Thread(stop::countDown);
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            out.printf(Locale.ROOT, "rtm ingest: listening on http://%s:%d: POST /api/v1/write (Prometheus remote-write), POST /v1/metrics "
                    + "(OTLP/HTTP); records to topic %s at %s; %s%n", bind, server.port(), t, bootstrap,
                    token == null ? "no authentication (--no-auth)" : "bearer token from " + (tokenFile != null ? "--token-file" : "$" + TOKEN_ENV));
            out.flush();
            if (duration == null) {
                stop.await();
            } else {
                stop.await(duration.toMillis(), TimeUnit.MILLISECONDS);
            }
        } finally {
            IngestServer.Stats s = server.stats();
            server.close();
            out.printf(Locale.ROOT, "rtm ingest: %d request(s), %d sample(s) in %d record(s), %d sample(s) dropped, %d request(s) refused%n",
                    s.requests(), s.samples(), s.records(), s.dropped(), s.refused());
            out.flush();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // already shutting down
            }
        }
        return 0;
    }

    /** The token, or null with --no-auth; refuses to start without one. */
    private byte[] token() {
        if (noAuth) {
            if (tokenFile != null) {
                throw new RtmException("--no-auth and --token-file: give one of them");
            }
            return null;
        }
        String value;
        String from;
        if (tokenFile != null) {
            from = "--token-file " + tokenFile;
            try {
                value = Files.readString(tokenFile, StandardCharsets.UTF_8);
            } catch (IOException e) {
                String why = e instanceof java.nio.file.NoSuchFileException ? "no such file"
                        : e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                        : e instanceof java.nio.charset.CharacterCodingException ? "not text" : String.valueOf(e.getMessage());
                throw new RtmException(from + ": cannot be read (" + why + ")");
            }
        } else {
            from = "$" + TOKEN_ENV;
            value = host.env.get(TOKEN_ENV);
            if (value == null) {
                throw new RtmException("no bearer token: set $" + TOKEN_ENV + " or --token-file FILE (or --no-auth to take requests "
                        + "from anyone)");
            }
        }
        value = value.strip();
        if (value.isEmpty()) {
            throw new RtmException(from + ": the token is empty");
        }
        if (value.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            throw new RtmException(from + ": the token must be printable ASCII without spaces");
        }
        return value.getBytes(StandardCharsets.US_ASCII);
    }

    static long size(String s) {
        Matcher m = SIZE.matcher(s);
        if (!m.matches()) {
            throw new RtmException("--max-body " + s + ": not a size (e.g. 10MiB, 512KB, 65536)");
        }
        long n;
        try {
            n = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new RtmException("--max-body " + s + ": too large");
        }
        String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
        long mult = switch (unit) {
            case "kb" -> 1_000L;
            case "mb" -> 1_000_000L;
            case "gb" -> 1_000_000_000L;
            case "kib" -> 1L << 10;
            case "mib" -> 1L << 20;
            case "gib" -> 1L << 30;
            default -> 1L;
        };
        long bytes = n * mult;
        if (n > 0 && bytes / mult != n) {
            throw new RtmException("--max-body " + s + ": too large");
        }
        if (bytes < 1024 || bytes > (1L << 30)) {
            throw new RtmException("--max-body " + s + ": must be 1KiB to 1GiB");
        }
        return bytes;
    }
}
