package dev.rtm.host.cli;

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
}
