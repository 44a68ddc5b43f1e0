package dev.rtm.cli;

import dev.rtm.testing.PluginJars;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rtm ingest} refuses a bad setting at start with one line naming the option, and never prints the token. */
class IngestCliTest {

    @TempDir
    Path tmp;

    Map<String, String> env(String token) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.remove("RTM_CONFIG");
        env.remove(IngestCommand.TOKEN_ENV);
        if (token != null) {
            env.put(IngestCommand.TOKEN_ENV, token);
        }
        return env;
    }

    void refused(Cli r, String... says) {
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(Main.USER_ERROR);
        assertThat(r.err()).contains(says).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(r.err().strip()).doesNotContain("\n");
    }

    @Test
    void badSettingsAreRefusedNamingTheOption() throws Exception {
        String cfg = "--config=" + Files.writeString(tmp.resolve("rtm.yaml"), "kafka: { bootstrap: \"127.0.0.1:1\" }\n");
        refused(Cli.run(env(null), "ingest", cfg, "--duration=1s"), "no bearer token", "RTM_INGEST_TOKEN", "--token-file");
        refused(Cli.run(env("t0k"), "ingest", cfg, "--port=70000"), "--port 70000", "65535");
        refused(Cli.run(env("t0k"), "ingest", cfg, "--max-body=lots"), "--max-body lots", "not a size");
        refused(Cli.run(env("t0k"), "ingest", cfg, "--max-body=10"), "--max-body 10", "1KiB to 1GiB");
        refused(Cli.run(env(null), "ingest", cfg, "--token-file=" + tmp.resolve("missing")), "--token-file", "cannot be read");
        Path empty = Files.writeString(tmp.resolve("empty"), "\n");
        refused(Cli.run(env(null), "ingest", cfg, "--token-file=" + empty), "--token-file", "the token is empty");
        refused(Cli.run(env("has space"), "ingest", cfg), "$RTM_INGEST_TOKEN", "printable ASCII");
        refused(Cli.run(env(null), "ingest", cfg, "--no-auth", "--token-file=" + empty), "--no-auth and --token-file");
        assertThat(IngestCommand.size("10MiB")).isEqualTo(10L << 20);
        assertThat(IngestCommand.size("512KB")).isEqualTo(512_000L);
    }

    @Test
    void itListensSaysWhereAndStopsWithItsCounts() throws Exception {
        Path token = Files.writeString(tmp.resolve("token"), "the-secret-token\n");
        String cfg = "--config=" + Files.writeString(tmp.resolve("rtm.yaml"), "kafka: { bootstrap: \"127.0.0.1:1\" }\n");
        Cli r = Cli.run(env(null), "ingest", cfg, "--port=0", "--bind=127.0.0.1", "--token-file=" + token, "--duration=1s",
                "--topic=ingested");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("Kafka broker at 127.0.0.1:1 unreachable", "listening on http://127.0.0.1:",
                "POST /api/v1/write", "POST /v1/metrics", "records to topic ingested", "bearer token from --token-file",
                "0 request(s)").doesNotContain("the-secret-token");
    }

    @Test
    void theConfigsIngestSectionIsUsedTheOptionsOverrideItAndItsTokenIsNeverShown() throws Exception {
        String secret = "cfg-token-" + System.nanoTime();
        Files.writeString(tmp.resolve("ingest-token"), secret + "\n");
        Path yaml = Files.writeString(tmp.resolve("rtm.yaml"), """
                kafka: { bootstrap: "127.0.0.1:1", metrics-topic: from-kafka-section }
                ingest:
                  bind: 127.0.0.1
                  port: 0
                  token: ${file:ingest-token}
                  max-body: 1MiB
                  topic: from-config
                  kafka-timeout: 2s
                """);
        String cfg = "--config=" + yaml;
        Cli r = Cli.run(env("env-token"), "ingest", cfg, "--duration=1s");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("listening on http://127.0.0.1:", "records to topic from-config", "bodies up to 1048576 bytes",
                "bearer token from ingest.token").doesNotContain(secret).doesNotContain("env-token");
        // command options override the file; without ingest.topic the records go to kafka.metrics-topic
        r = Cli.run(env(null), "ingest", cfg, "--duration=1s", "--topic=from-option", "--max-body=2KiB");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("records to topic from-option", "bodies up to 2048 bytes").doesNotContain(secret);
        Path open = Files.writeString(tmp.resolve("open.yaml"), """
                kafka: { bootstrap: "127.0.0.1:1", metrics-topic: from-kafka-section }
                ingest: { bind: 127.0.0.1, port: 0, auth: none }
                """);
        r = Cli.run(env(null), "ingest", "--config=" + open, "--duration=1s");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("records to topic from-kafka-section", "no authentication (ingest.auth: none)");

        // a bad value is refused at start naming its key; a token that cannot be one is refused without showing it
        Files.writeString(tmp.resolve("bad-token"), "has space " + secret + "\n");
        Map<String, String> bad = new java.util.LinkedHashMap<>();
        bad.put("ingest: { max-body: lots }", "ingest.max-body: 'lots' is not a size");
        bad.put("ingest: { port: 70000 }", "ingest.port: 70000 is out of range");
        bad.put("ingest: { bind: \"0.0.0.0:9201\" }", "ingest.bind: '0.0.0.0:9201' is not an address to listen on");
        bad.put("ingest: { kafka-timeout: 100ms }", "ingest.kafka-timeout: '100ms' must be 1s to 10m");
        bad.put("ingest: { topic: \"a b\" }", "ingest.topic: 'a b' is not a Kafka topic name");
        bad.put("ingest: { token: \"${file:bad-token}\" }", "ingest.token: the token must be printable ASCII without spaces");
        bad.put("ingest: { token: \"${file:ingest-token}\", auth: none }", "ingest.auth: is none, but ingest.token is set");
        for (var e : bad.entrySet()) {
            Path f = Files.writeString(tmp.resolve("bad.yaml"), e.getKey() + "\n");
            r = Cli.run(env("t0k"), "ingest", "--config=" + f, "--duration=1s");
            assertThat(r.code()).as(e.getKey() + ": " + r.out() + r.err()).isEqualTo(Main.USER_ERROR);
            assertThat(r.err()).as(e.getKey()).contains(e.getValue()).doesNotContain(secret).doesNotContain("Exception");
        }

        // rtm plugins lists the section with the token masked
        r = Cli.run(env(null), "plugins", cfg, "--plugins-dir", dev.rtm.testing.PluginJars.distPlugins().toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("section ingest (host):").containsPattern("(?m)^  token +\\*{6} +\\(secret\\)")
                .containsPattern("(?m)^  topic +from-config ").doesNotContain(secret);
    }
}
