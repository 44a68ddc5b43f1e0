package dev.rtm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtm.testing.PluginJars;
import dev.rtm.wire.Urls;
import dev.rtm.testing.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One database rule for every command (issue 17, point 5): --pg-url, else postgres.url of the config,
 * else RTM_PG_URL, else the machine's; said once at start, passwords redacted.
 */
class DatabaseSettingTest {

    private static final String SECRET = "s3cret-pw-4242";
    private static final String NOWHERE = "jdbc:postgresql://127.0.0.1:1/nowhere";

    @TempDir
    static Path dir;
    static PostgresServer pg;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        pg = PostgresServer.start(dir.resolve("pg"));
    }

    @AfterAll
    static void stop() {
        pg.close();
    }

    private static Map<String, String> env(String pgUrl) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.remove("RTM_CONFIG");
        env.put("RTM_PLUGINS_DIR", PluginJars.distPlugins().toString());
        env.remove("RTM_PG_USER");
        env.remove("RTM_PG_PASSWORD");
        if (pgUrl != null) {
            env.put("RTM_PG_URL", pgUrl);
        }
        return env;
    }

    @Test
    void initDbUsesRtmPgUrlWithoutAConfigAndSaysSoOnceWithThePasswordRedacted() {
        String url = pg.url() + "&password=" + SECRET; // trust auth: the password is not checked, only shown
        Cli r = Cli.run(env(url), "init-db");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().lines().filter(l -> l.startsWith("rtm init-db: database "))).singleElement()
                .isEqualTo("rtm init-db: database " + Urls.redact(url) + " (user from the URL) from RTM_PG_URL");
        assertThat(r.out()).contains("password=******").contains("rtm init-db: schema applied to ");
        assertThat(r.out() + r.err()).doesNotContain(SECRET);
    }

    @Test
    void theFlagBeatsTheConfigWhichBeatsTheEnvironment() throws Exception {
        // the environment names a database that is not there: the config's is used
        Path cfg = Files.writeString(tmp.resolve("rtm.yaml"), "postgres: { url: \"" + pg.url() + "\" }\n");
        assertThat(Cli.run(env(pg.url()), "init-db").code()).isZero();
        Cli r = Cli.run(env(NOWHERE), "alerts", "list", "-c", cfg.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("rtm alerts: database " + pg.url() + " (user rtm) from postgres.url of " + cfg);

        // the config names one that is not there: the flag's is used
        Path bad = Files.writeString(tmp.resolve("bad.yaml"), "postgres: { url: \"" + NOWHERE + "\" }\n");
        r = Cli.run(env(NOWHERE), "alerts", "list", "-c", bad.toString(), "--pg-url", pg.url());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("rtm alerts: database " + pg.url() + " (user from the URL) from --pg-url");

        // and without the flag, the config's wins over the environment's (and fails, naming it, password redacted)
        r = Cli.run(env(pg.url()), "alerts", "list", "-c", bad.toString());
        assertThat(r.code()).isEqualTo(Main.USER_ERROR);
        assertThat(r.err()).startsWith("rtm: cannot connect to " + NOWHERE);
    }

    @Test
    void theJobTakesItsDatabaseByTheSameRule() {
        // RTM_PG_URL names a database that is not there: the job says it uses it, and fails on it, before any Kafka
        String url = NOWHERE + "?password=" + SECRET;
        Cli r = Cli.run(env(url), "job", "--bounded");
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(Main.USER_ERROR);
        assertThat(r.out()).contains("rtm job: database " + NOWHERE + "?password=****** (user from the URL) from RTM_PG_URL");
        assertThat(r.err()).startsWith("rtm: cannot prepare the database at " + NOWHERE);
        assertThat(r.out() + r.err()).doesNotContain(SECRET);
    }

    @Test
    void passwordsInJdbcUrlsAreRedacted() {
        assertThat(Urls.redact("jdbc:postgresql://db:5432/rtm?user=rtm&password=" + SECRET + "&ssl=true"))
                .isEqualTo("jdbc:postgresql://db:5432/rtm?user=rtm&password=******&ssl=true");
        assertThat(Urls.redact("jdbc:postgresql://rtm:" + SECRET + "@db:5432/rtm"))
                .isEqualTo("jdbc:postgresql://rtm:******@db:5432/rtm");
        assertThat(Urls.redact("jdbc:postgresql://db:5432/rtm?PASSWORD=" + SECRET)).doesNotContain(SECRET);
        assertThat(Urls.redact("jdbc:postgresql://db:5432/rtm")).isEqualTo("jdbc:postgresql://db:5432/rtm");
    }
}
