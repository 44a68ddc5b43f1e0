package dev.rtm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.rtm.api.ConfigKey;
import dev.rtm.testing.PluginJars;
import dev.rtm.host.config.HostSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rtm plugins} tells an unset secret from a hidden one; {@code rtm.yaml} shows every host key (issue 17, point 19). */
class PluginsListingTest {

    @TempDir
    Path tmp;

    @Test
    void anUnsetPasswordIsShownAsNotSetAndASetOneIsHidden() throws Exception {
        Path none = Files.writeString(tmp.resolve("none.yaml"), "postgres: { url: \"jdbc:postgresql://db:5432/rtm\" }\n");
        Cli r = Cli.run("plugins", "-c", none.toString(), "--plugins-dir", PluginJars.distPlugins().toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("(?m)^  password +not set +\\(secret\\)");

        Path set = Files.writeString(tmp.resolve("set.yaml"), "postgres: { password: hunter2-secret }\n");
        r = Cli.run("plugins", "-c", set.toString(), "--plugins-dir", PluginJars.distPlugins().toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("(?m)^  password +\\*{6} +\\(secret\\)").doesNotContain("hunter2-secret");
    }

    @Test
    void theExampleConfigListsEveryKeyOfTheHostSections() throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Object> yaml = new ObjectMapper(new YAMLFactory()).readValue(Path.of("../rtm.yaml").toFile(), Map.class);
        List<String> missing = new ArrayList<>();
        for (String section : HostSettings.NAMES) {
            @SuppressWarnings("unchecked")
            Map<String, Object> keys = (Map<String, Object>) yaml.getOrDefault(section, Map.of());
            for (ConfigKey<?> k : HostSettings.SECTIONS.get(section).keys()) {
                if (!keys.containsKey(k.name())) {
                    missing.add(section + "." + k.name());
                }
            }
        }
        assertThat(missing).as("keys of the config spec that rtm.yaml leaves out").isEmpty();
    }
}
