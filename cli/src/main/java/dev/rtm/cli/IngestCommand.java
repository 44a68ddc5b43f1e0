package dev.rtm.cli;

import dev.rtm.host.RtmException;
import dev.rtm.agent.BrokerProbe;
import dev.rtm.api.Settings;
import dev.rtm.host.config.HostSettings;
import dev.rtm.host.config.HostSettings.Ingest;
import dev.rtm.host.config.RtmConfig;
import dev.rtm.ingest.IngestServer;
import dev.rtm.ingest.KafkaOut;
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
                + "Authorization: Bearer TOKEN, the token read from --token-file, the config's ingest.token or $RTM_INGEST_TOKEN. "
                + "Settings come from the config's ingest section; these options override it."})
final class IngestCommand implements Callable<Integer> {

    static final String TOKEN_ENV = "RTM_INGEST_TOKEN";

    @Mixin
    HostOptions host = new HostOptions();

    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "PORT", description = "port to listen on; 0: a free one (default: ingest.port of the config, 9201)")
    Integer port;

    @Option(names = "--bind", paramLabel = "ADDRESS", description = "address to listen on (default: ingest.bind of the config, 0.0.0.0)")
    String bind;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "file holding the bearer token clients must send (default: ingest.token of the config, else $" + TOKEN_ENV + ")")
    Path tokenFile;

    @Option(names = "--no-auth", description = "take requests without a token (a trusted network only; the config's ingest.auth: none)")
    boolean noAuth;

    @Option(names = "--max-body", paramLabel = "SIZE", description = "largest request body, sent or decompressed: bytes, or with KB, MB, "
            + "KiB, MiB (default: ingest.max-body of the config, 10MiB)")
    String maxBody;

    @Option(names = "--topic", paramLabel = "TOPIC", description = "Kafka topic of the records (default: ingest.topic of the config, "
            + "else kafka.metrics-topic)")
    String topic;

    @Option(names = "--kafka-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "longest wait for Kafka to take a request's records before answering 503 (default: ingest.kafka-timeout of "
                    + "the config, 10s)")
    Duration kafkaTimeout;

    @Option(names = "--duration", paramLabel = "DURATION", converter = DurationConverter.class, description = "stop after this long (default: until Ctrl-C)")
    Duration duration;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        RtmConfig cfg = host.loadConfig(); // a bad ingest.* value is refused here, naming the key
        Settings in = cfg.host().ingest();
        if (port != null && (port < 0 || port > 65_535)) {
            throw new RtmException("--port " + port + ": must be 0 (a free port) to 65535");
        }
        int port = this.port != null ? this.port : in.get(Ingest.PORT);
        String bind = this.bind != null ? this.bind : in.get(Ingest.BIND).strip();
        long max = maxBody != null ? size(maxBody) : Ingest.bytes(in.get(Ingest.MAX_BODY));
        if (kafkaTimeout != null && (kafkaTimeout.toMillis() < 1_000 || kafkaTimeout.toMinutes() > 10)) {
            throw new RtmException("--kafka-timeout " + kafkaTimeout.toMillis() + "ms: must be 1s to 10m");
        }
        Duration kafkaTimeout = this.kafkaTimeout != null ? this.kafkaTimeout : Ingest.kafkaTimeout(in.get(Ingest.KAFKA_TIMEOUT));
        byte[] token = token(in);
        var k = cfg.host().kafka();
        String bootstrap = k.get(HostSettings.Kafka.BOOTSTRAP);
        String t = topic != null ? topic : !in.get(Ingest.TOPIC).equals("default") ? in.get(Ingest.TOPIC) : k.get(HostSettings.Kafka.METRICS);
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
                    + "(OTLP/HTTP); records to topic %s at %s; bodies up to %d bytes; %s%n", bind, server.port(), t, bootstrap, max,
                    token == null ? "no authentication (" + (noAuth ? "--no-auth" : "ingest.auth: none") + ")" : "bearer token from " + tokenFrom);
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

    /** Where the token came from, for the start line (never the token). */
    private String tokenFrom;

    /**
     * The token, or null with --no-auth or {@code ingest.auth: none}; refuses to start without one.
     * First found: --token-file, the config's {@code ingest.token}, $RTM_INGEST_TOKEN.
     */
    private byte[] token(Settings in) {
        if (noAuth) {
            if (tokenFile != null) {
                throw new RtmException("--no-auth and --token-file: give one of them");
            }
            return null;
        }
        if (tokenFile == null && in.get(Ingest.AUTH).equals("none")) {
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
        } else if (!in.get(Ingest.TOKEN).isBlank()) {
            from = "ingest.token"; // checked when the config was loaded
            value = in.get(Ingest.TOKEN);
        } else {
            from = "$" + TOKEN_ENV;
            value = host.env.get(TOKEN_ENV);
            if (value == null) {
                throw new RtmException("no bearer token: set ingest.token in the config (e.g. ${file:/run/secrets/rtm-ingest-token}), $"
                        + TOKEN_ENV + " or --token-file FILE (or --no-auth to take requests from anyone)");
            }
        }
        value = value.strip();
        String why = Ingest.tokenProblem(value);
        if (why != null) {
            throw new RtmException(from + ": " + why);
        }
        tokenFrom = from.startsWith("--token-file") ? "--token-file" : from;
        return value.getBytes(StandardCharsets.US_ASCII);
    }

    /** {@code --max-body}: 1 KiB to 1 GiB. */
    static long size(String s) {
        try {
            return Ingest.bytes(s);
        } catch (IllegalArgumentException e) {
            throw new RtmException("--max-body " + s + ": " + e.getMessage().replace("'" + s + "' ", ""));
        }
    }
}
