package dev.rtm.cli;

import dev.rtm.wire.Urls;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rtm.testing.PluginJars;
import dev.rtm.wire.Schemas;
import dev.rtm.wire.WireFormat;
import dev.rtm.local.KafkaBroker;
import dev.rtm.local.Poll;
import dev.rtm.testing.PostgresServer;
import dev.rtm.host.config.ConfigLoader;
import dev.rtm.host.config.PostgresSettings;
import dev.rtm.host.job.JobSettings;
import dev.rtm.host.job.MetricsJob;
import dev.rtm.recorder.HttpRecorder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, security: the demo-like path run with distinctive secrets (the database password in the
 * JDBC URL and as a separate password, a webhook URL with a token in its path and query from
 * {@code ${file:}}, a bearer token from {@code ${env:}}, a channel whose receiver is down) through the
 * streaming job on a MiniCluster and the CLI's {@code init-db}, {@code plugins}, {@code alerts list} and
 * {@code job --help}; no log line (rtm's at debug, Flink's and Kafka's at info), no stdout or stderr,
 * no job plan and no stored error contains any of them.
 */
class SecretsNotLoggedTest {

    private static final String R = Long.toHexString(Double.doubleToLongBits(Math.random()));
    private static final String URL_PASSWORD = "urlpw-" + R;
    private static final String PASSWORD = "pgpw-" + R;
    private static final String HOOK_PATH = "hookpath-" + R;
    private static final String HOOK_QUERY = "hookquery-" + R;
    private static final String BEARER = "bearer-" + R;
    private static final String DOWN_TOKEN = "downtoken-" + R;
    private static final List<String> SECRETS = List.of(URL_PASSWORD, PASSWORD, HOOK_PATH, HOOK_QUERY, BEARER, DOWN_TOKEN);

    @TempDir
    Path tmp;

    @Test
    void noSecretInAnyLogLineOutputPlanOrStoredError() throws Exception {
        StringWriter logs = new StringWriter();
        ByteArrayOutputStream stdio = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        WriterAppender capture = captureLogs(logs);
        StringBuilder seen = new StringBuilder();
        try (KafkaBroker broker = KafkaBroker.start(tmp.resolve("kafka"));
             PostgresServer pg = PostgresServer.start(tmp.resolve("pg"));
             HttpRecorder receiver = HttpRecorder.start()) {
            System.setOut(new PrintStream(new Tee(oldOut, stdio), true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(new Tee(oldErr, stdio), true, StandardCharsets.UTF_8));
            String pgUrl = pg.url() + "&password=" + URL_PASSWORD; // trust auth: shown, not checked
            Path hookFile = Files.writeString(tmp.resolve("hook-url"),
                    receiver.url("/hooks/" + HOOK_PATH + "?token=" + HOOK_QUERY) + "\n");
            String yaml = "detectors: { ewma: {} }\n"
                    + "alerts: { group-wait: 0s, group-interval: 1s }\n"
                    + "postgres: { url: \"" + pgUrl + "\", user: rtm, password: \"${env:RTM_PG_PASSWORD}\" }\n"
                    + "channels:\n"
                    + "  ops: { type: webhook, url: \"${file:" + hookFile + "}\", bearer-token: \"${env:RTM_TEST_BEARER}\" }\n"
                    + "  down: { type: webhook, url: \"http://127.0.0.1:1/hooks/" + DOWN_TOKEN + "?access_token=" + DOWN_TOKEN + "\","
                    + " attempt-timeout: 2s }\n";
            Path cfg = Files.writeString(tmp.resolve("rtm.yaml"), yaml);
            Path plugins = PluginJars.copyDistPlugins(tmp.resolve("plugins"), "ewma", "webhook-alert");
            Map<String, String> env = new HashMap<>(System.getenv());
            env.put("RTM_PG_PASSWORD", PASSWORD);
            env.put("RTM_TEST_BEARER", BEARER);
            env.put("RTM_PG_URL", pgUrl);
            env.put("RTM_PLUGINS_DIR", plugins.toString());
            env.remove("RTM_CONFIG");

            // the CLI: each command as a user runs it, its output kept
            for (String[] args : List.of(new String[] {"init-db", "-c", cfg.toString()}, new String[] {"init-db"},
                    new String[] {"plugins", "-c", cfg.toString()}, new String[] {"alerts", "list", "-c", cfg.toString()},
                    new String[] {"job", "--help"})) {
                Cli r = Cli.run(env, args);
                seen.append(String.join(" ", args)).append(" -> ").append(r.code()).append('\n').append(r.out()).append(r.err());
                assertThat(r.code()).as(String.join(" ", args) + ": " + r.err()).isZero();
            }
            assertThat(seen).as("the commands ran (the capture works)").contains("password=******")
                    .contains("rtm init-db: schema applied to ").contains("ops");

            // the streaming job with those settings, a spike told to the webhook, the other channel down
            broker.createTopics(1, "metrics", "metrics-dlq", "anomalies", "alerts");
            String jobYaml = yaml.replace("${env:RTM_PG_PASSWORD}", PASSWORD).replace("${env:RTM_TEST_BEARER}", BEARER);
            JobSettings s = JobSettings.from(ConfigLoader.parseText(jobYaml, cfg, System.getenv()))
                    .kafka(broker.bootstrap(), "secrets-test").pluginsDir(plugins)
                    .postgres(new PostgresSettings(pgUrl, "rtm", PASSWORD, 500, Duration.ofMillis(100)))
                    .forecasts(JobSettings.Forecasts.OFF).build();
            StreamExecutionEnvironment envFlink = StreamExecutionEnvironment.getExecutionEnvironment();
            envFlink.setParallelism(1);
            envFlink.enableCheckpointing(1000);
            MetricsJob.build(envFlink, s);
            seen.append(envFlink.getExecutionPlan()).append('\n');
            JobClient job = envFlink.executeAsync("secrets-test");
            try {
                long now = System.currentTimeMillis();
                WireFormat wire = new WireFormat(Schemas.HOST_METRICS, null, "metrics-value");
                try (var p = new KafkaProducer<byte[], byte[]>(Map.of("bootstrap.servers", broker.bootstrap()),
                        new ByteArraySerializer(), new ByteArraySerializer())) {
                    for (int i = 0; i < 64; i++) {
                        double cpu = 40 + 3 * Math.sin(i / 5.0) + (i * 7 % 5) * 0.2 + (i == 60 ? 60 : 0);
                        GenericRecord r = Schemas.hostMetrics("web-1", now - (100 - i) * 5_000L, Map.of("cpu.total_pct", cpu), Map.of());
                        p.send(new ProducerRecord<>("metrics", "web-1".getBytes(StandardCharsets.UTF_8), wire.encode(r))).get();
                    }
                }
                var firing = receiver.awaitRequest(q -> q.bodyText().contains("\"status\":\"firing\""), Duration.ofSeconds(90));
                assertThat(firing.header("Authorization")).as("the bearer token was used").isEqualTo("Bearer " + BEARER);
                // the down channel has failed at least once, and said so
                Poll.until("an attempt on the down channel", Duration.ofSeconds(60),
                        () -> !query(pg, "SELECT count(*) FROM notification_attempts WHERE channel = 'down'").equals("0"));
                String errors = query(pg, "SELECT string_agg(n.channel || ' ' || n.destination || ' ' || coalesce(n.last_error, '') || ' '"
                        + " || coalesce(a.error, '') || ' ' || n.payload::text, '; ') FROM notifications n"
                        + " LEFT JOIN notification_attempts a USING (notification_key, channel)");
                seen.append(errors).append('\n');
                assertThat(errors).as("the down channel's failure is stored").contains("channel 'down'");
            } finally {
                job.cancel().get();
                // the result its client keeps: the MiniCluster may already have shut down once the job ended
                Poll.until("the cancelled job ended", Duration.ofSeconds(60), () -> job.getJobExecutionResult().isDone());
            }
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
            release(capture);
        }
        String all = logs + "\n" + stdio.toString(StandardCharsets.UTF_8) + "\n" + seen;
        assertThat(logs.toString()).as("the capture works").contains("notification {host=\"web-1\"}#1");
        for (String secret : SECRETS) {
            List<String> leaks = all.lines().filter(l -> l.contains(secret)).limit(5).toList();
            assertThat(leaks).as("lines showing " + secret).isEmpty();
        }
    }

    @Test
    void tokensAndPasswordsInAnyUrlAreRedacted() {
        assertThat(dev.rtm.wire.Urls.redact("https://hooks.example/h?token=" + R + "&x=1#f"))
                .isEqualTo("https://hooks.example/h?token=******&x=1#f");
        assertThat(dev.rtm.wire.Urls.redact("http://u:" + R + "@registry:8080/apis?access_token=" + R))
                .isEqualTo("http://u:******@registry:8080/apis?access_token=******");
        for (String p : List.of("password", "PASSWORD", "api_key", "apikey", "secret", "sig", "auth_token", "client_secret")) {
            assertThat(dev.rtm.wire.Urls.redact("jdbc:postgresql://db/rtm?ssl=true&" + p + "=" + R)).doesNotContain(R);
        }
        assertThat(dev.rtm.wire.Urls.redact("http://registry:8080/apis/ccompat/v7"))
                .isEqualTo("http://registry:8080/apis/ccompat/v7");
    }

    private static String query(PostgresServer pg, String sql) throws Exception {
        try (Connection c = pg.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return String.valueOf(rs.getString(1));
        }
    }

    /** Captures every log line: rtm's at debug, Flink's and Kafka's at info. */
    private static WriterAppender captureLogs(StringWriter into) {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        WriterAppender a = WriterAppender.newBuilder().setName("secrets-" + System.nanoTime()).setTarget(into)
                .setLayout(PatternLayout.newBuilder().withPattern("%level %c %m %ex%n").build()).build();
        a.start();
        ctx.getConfiguration().addAppender(a);
        ctx.getConfiguration().getRootLogger().addAppender(a, Level.ALL, null);
        for (String name : List.of("dev.rtm", "org.apache.flink", "org.apache.kafka", "org.pf4j")) {
            var lc = ctx.getConfiguration().getLoggerConfig(name);
            if (lc.getName().equals(name)) {
                lc.addAppender(a, Level.ALL, null);
            }
        }
        ctx.updateLoggers();
        Configurator.setLevel("dev.rtm", Level.DEBUG);
        Configurator.setLevel("org.apache.flink", Level.INFO);
        Configurator.setLevel("org.apache.kafka", Level.INFO);
        Configurator.setLevel("org.pf4j", Level.INFO);
        return a;
    }

    private static void release(WriterAppender a) {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        ctx.reconfigure(); // back to log4j2.xml (levels and appenders)
        a.stop();
    }

    /** Writes to the real stream and to the capture. */
    private static final class Tee extends java.io.OutputStream {
        private final java.io.OutputStream a;
        private final java.io.OutputStream b;

        Tee(java.io.OutputStream a, java.io.OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public synchronized void write(int x) throws java.io.IOException {
            a.write(x);
            b.write(x);
        }

        @Override
        public synchronized void write(byte[] buf, int off, int len) throws java.io.IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }
}
