package dev.rtm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtm.testing.PluginJars;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Channels through the real CLI: listed with secrets masked, refused at start naming the key, bad silences refused. */
class AlertingCliTest {

    private static final String SECRET = "XOXB-SECRET-4242";

    @TempDir
    Path tmp;

    @Test
    void channelsAreListedWithTheirSecretsMasked() throws Exception {
        Path secret = Files.writeString(tmp.resolve("hook"), "https://hooks.slack.com/services/" + SECRET);
        Path cfg = Files.writeString(tmp.resolve("rtm.yaml"), "channels:\n  team-slack: { type: slack, webhook-url: \"${file:"
                + secret + "}\", rate-per-s: 0.5 }\n");
        Cli r = Cli.run("plugins", "-c", cfg.toString(), "--plugins-dir", PluginJars.distPlugins().toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("configured channels:").contains("team-slack: slack").contains("******")
                .contains("rate-per-s 0.5").contains("alerter slack (plugin slack-alert, version ").contains("alerter webhook")
                .contains("alerter pagerduty");
        assertThat(r.out() + r.err()).doesNotContain(SECRET);
    }

    @Test
    void aMisconfiguredChannelIsRefusedAtStartNamingTheKey() throws Exception {
        Path cfg = Files.writeString(tmp.resolve("rtm.yaml"), """
                channels:
                  pager: { type: pagerduty }
                  hook: { type: webhook, url: "not a url" }
                """);
        Cli r = Cli.run("plugins", "-c", cfg.toString(), "--plugins-dir", PluginJars.distPlugins().toString());
        assertThat(r.code()).isEqualTo(Main.USER_ERROR);
        assertThat(r.err()).contains("channels.pager.routing-key").contains("channels.hook").doesNotContain("Exception:")
                .doesNotContain("\tat ");
    }

    @Test
    void aSilenceWithABadGlobOrTimeIsRefused() {
        Cli r = Cli.run("silence", "add", "--host", "db-{");
        assertThat(r.code()).isEqualTo(Main.USER_ERROR);
        assertThat(r.err()).contains("unbalanced '{' in glob 'db-{'");
        r = Cli.run("silence", "add", "--until", "tomorrow");
        assertThat(r.code()).isEqualTo(Main.USER_ERROR);
        assertThat(r.err()).contains("--until 'tomorrow' is not a time");
    }
}
