package dev.rtm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtm.testing.PluginJars;
import dev.rtm.testing.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TimeZone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images are written in the format their name says (or refused), and {@code rtm render} takes
 * the same time forms as replay and refuses a variable the dashboard does not have. Against a real
 * PostgreSQL with rtm's schema.
 */
class RenderAndPlotCliTest {

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G'};
    private static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF};

    @TempDir
    static Path dir;
    static PostgresServer pg;
    static Map<String, String> env;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        pg = PostgresServer.start(dir.resolve("pg"));
        env = new HashMap<>(System.getenv());
        env.remove("RTM_CONFIG");
        env.remove("RTM_PG_USER");
        env.remove("RTM_PG_PASSWORD");
        env.put("RTM_PLUGINS_DIR", PluginJars.distPlugins().toString());
        env.put("RTM_PG_URL", pg.url());
        Cli init = Cli.run(env, "init-db");
        assertThat(init.code()).as(init.err()).isZero();
    }

    @AfterAll
    static void stop() {
        pg.close();
    }

    private static byte[] head(Path f, int n) throws Exception {
        return Arrays.copyOf(Files.readAllBytes(f), n);
    }

    @Test
    void renderWritesTheFormatItsOutNamesOrRefusesIt() throws Exception {
        Path jpg = tmp.resolve("fleet.jpg");
        Cli r = Cli.run(env, "render", "fleet", "--var", "model=ewma", "--out", jpg.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(head(jpg, 3)).containsExactly(JPEG);
        assertThat(r.out()).contains("rtm render: wrote " + jpg);

        Path png = tmp.resolve("fleet.png");
        assertThat(Cli.run(env, "render", "fleet", "--var", "model=ewma", "--out", png.toString()).code()).isZero();
        assertThat(head(png, 4)).containsExactly(PNG);

        Path svg = tmp.resolve("fleet.svg");
        Cli refused = Cli.run(env, "render", "fleet", "--out", svg.toString());
        assertThat(refused.code()).isEqualTo(Main.USER_ERROR);
        assertThat(refused.err()).isEqualTo("rtm: --out " + svg + ": cannot write .svg images; "
                + "name the file with .png, .jpg (.jpeg), .gif or .bmp\n");
        assertThat(svg).doesNotExist();
    }

    @Test
    void replayPlotIsWrittenToTheNameGivenInItsFormat() throws Exception {
        Path in = Files.writeString(tmp.resolve("cpu.csv"), "timestamp,value\n2024-01-01 00:00:00,1\n2024-01-01 00:01:00,2\n"
                + "2024-01-01 00:02:00,3\n");
        Path jpg = tmp.resolve("x.jpg");
        Cli r = Cli.run(env, "replay", in.toString(), "-d", "ewma", "-o", tmp.resolve("r.csv").toString(), "--plot", jpg.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("plot: " + jpg.toAbsolutePath());
        assertThat(head(jpg, 3)).containsExactly(JPEG);
        assertThat(tmp.resolve("x.jpg.png")).doesNotExist();

        Cli svg = Cli.run(env, "replay", in.toString(), "-d", "ewma", "-o", tmp.resolve("s.csv").toString(),
                "--plot", tmp.resolve("x.svg").toString());
        assertThat(svg.code()).isEqualTo(Main.USER_ERROR);
        assertThat(svg.err()).contains("rtm: --plot " + tmp.resolve("x.svg") + ": cannot write .svg images");
        assertThat(tmp.resolve("s.csv")).doesNotExist(); // refused before any work
    }

    @Test
    void renderRefusesAVariableTheDashboardHasNot() {
        Cli r = Cli.run(env, "render", "host", "--var", "hots=x", "--out", tmp.resolve("h.png").toString());
        assertThat(r.code()).isEqualTo(Main.USER_ERROR);
        assertThat(r.err()).isEqualTo("rtm: --var hots: dashboard host.json has no variable 'hots'; "
                + "its variables: host, metric, model\n");
        assertThat(tmp.resolve("h.png")).doesNotExist();
    }

    @Test
    void renderSaysWhichVariableHasNoValuesInTheRange() {
        Cli r = Cli.run(env, "render", "host", "--last", "1h", "--to", "2026-12-02T01:45:00Z", "--out", tmp.resolve("e.png").toString());
        assertThat(r.code()).isEqualTo(Main.USER_ERROR);
        assertThat(r.err()).isEqualTo("rtm: dashboard variable $host has no values between 2026-12-02T00:45:00Z and "
                + "2026-12-02T01:45:00Z: is there data in that range?\n");
        assertThat(tmp.resolve("e.png")).doesNotExist();
    }

    @Test
    void renderTakesTheTimeFormsReplayTakesZoneLessInTheLocalZone() {
        TimeZone saved = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("Europe/Berlin")); // the machine's zone, whatever it is
        try {
            Cli local = Cli.run(env, "render", "fleet", "--var", "model=ewma", "--last", "1h", "--to", "2026-12-02T02:45:00",
                    "--out", tmp.resolve("a.png").toString());
            assertThat(local.code()).as(local.err()).isZero();
            String end = LocalDateTime.parse("2026-12-02T02:45:00").atZone(ZoneId.of("Europe/Berlin")).toInstant().toString();
            assertThat(end).isEqualTo("2026-12-02T01:45:00Z");
            assertThat(local.out()).contains("rtm render: range 2026-12-02T00:45:00Z to 2026-12-02T01:45:00Z "
                    + "(--to 2026-12-02T02:45:00, a time without a zone read in Europe/Berlin)");

            Cli spaced = Cli.run(env, "render", "fleet", "--var", "model=ewma", "--last", "1h", "--to", "2026-12-02 01:45:00Z",
                    "--out", tmp.resolve("b.png").toString());
            assertThat(spaced.code()).as(spaced.err()).isZero();
            assertThat(spaced.out()).contains("rtm render: range 2026-12-02T00:45:00Z to 2026-12-02T01:45:00Z "
                    + "(--to 2026-12-02 01:45:00Z)");

            Cli now = Cli.run(env, "render", "fleet", "--var", "model=ewma", "--out", tmp.resolve("c.png").toString());
            assertThat(now.code()).as(now.err()).isZero();
            assertThat(now.out()).containsPattern("rtm render: range \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ to "
                    + "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ \\(now\\)");

            Cli bad = Cli.run(env, "render", "fleet", "--to", "yesterday", "--out", tmp.resolve("d.png").toString());
            assertThat(bad.code()).isEqualTo(Main.USER_ERROR);
            assertThat(bad.err()).startsWith("rtm: --to 'yesterday' is not a time: give 2026-12-02T02:45:00")
                    .doesNotContain("Exception").hasLineCount(1);
        } finally {
            TimeZone.setDefault(saved);
        }
    }
}
