package dev.rtm.host.notify;

import dev.rtm.api.AlerterFactory;
import dev.rtm.api.ConfigException;
import dev.rtm.api.Settings;
import dev.rtm.host.config.ConfigProblems;
import dev.rtm.host.config.RtmConfig;
import dev.rtm.host.config.RtmConfig.ChannelSection;
import dev.rtm.host.plugin.PluginRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The channels a config asks for ({@code channels.<name>}), checked against the loaded alerter
 * plugins: an unknown type, a missing secret or a malformed value is refused at start-up, every
 * problem named by its key path. Building it validates (creating each alerter once); {@link #open}
 * creates the alerters that deliver.
 */
public final class ChannelCatalog {

    private record Configured(ChannelSection section, AlerterFactory factory, Settings settings) {
    }

    private final Map<String, Configured> channels = new LinkedHashMap<>();

    private ChannelCatalog() {
    }

    /** Validates every channel section against the plugins. */
    public static ChannelCatalog build(RtmConfig config, PluginRegistry registry) {
        ConfigProblems problems = new ConfigProblems(config.file());
        ChannelCatalog c = build(config, registry, problems);
        problems.throwIfAny();
        return c;
    }

    /** Validates as above, recording problems in {@code problems} (with the config's others) rather than throwing them. */
    public static ChannelCatalog build(RtmConfig config, PluginRegistry registry, ConfigProblems problems) {
        ChannelCatalog c = new ChannelCatalog();
        for (ChannelSection s : config.channels().values()) {
            String path = "channels." + s.name();
            AlerterFactory f = registry.alerters().get(s.type());
            if (f == null) {
                String available = registry.alerters().isEmpty() ? "none (no alerter plugin loaded from " + registry.dir() + ")"
                        : String.join(", ", new TreeSet<>(registry.alerters().keySet()));
                problems.add(s.type().equals(s.name()) ? path : path + ".type", "unknown alerter plugin '" + s.type()
                        + "'; available: " + available + (s.type().equals(s.name()) ? " (or set type: to one of them)" : ""));
                continue;
            }
            try {
                Settings settings = f.configSpec().validate(s.settings());
                // created once and closed: what a plugin refuses only at creation (a combination of
                // keys, a malformed URL) is reported now, with the rest
                f.create(settings).close();
                c.channels.put(s.name(), new Configured(s, f, settings));
            } catch (ConfigException e) {
                for (ConfigException.Problem p : e.problems()) {
                    problems.add(path + "." + p.key(), p.message());
                }
            } catch (RuntimeException e) {
                problems.add(path, "the " + f.name() + " alerter refused its settings (" + e.getClass().getSimpleName() + ")");
            }
        }
        return c;
    }

    /** Channel name → what to show for it (plugin and name; never a secret). */
    public Map<String, String> destinations() {
        Map<String, String> out = new LinkedHashMap<>();
        channels.forEach((name, c) -> out.put(name, c.factory().name() + " channel '" + name + "'"));
        return out;
    }

    /** Each channel's settings for display, secrets masked. */
    public Map<String, String> describe() {
        Map<String, String> out = new LinkedHashMap<>();
        channels.forEach((name, c) -> out.put(name, c.factory().name() + " " + c.settings().describe()
                + ", rate-per-s " + c.section().ratePerSecond() + ", attempt-timeout " + c.section().attemptTimeout()));
        return out;
    }

    /** Whether any channel is configured. */
    public boolean isEmpty() {
        return channels.isEmpty();
    }

    /**
     * Creates the alerters.
     *
     * @throws dev.rtm.host.RtmException naming the channel when its plugin refuses its settings
     */
    public List<Channel> open(Duration breakerWait) {
        List<Channel> out = new ArrayList<>();
        for (var e : channels.entrySet()) {
            Configured c = e.getValue();
            try {
                out.add(new Channel(e.getKey(), destinations().get(e.getKey()), c.factory().create(c.settings()),
                        c.section().ratePerSecond(), c.section().attemptTimeout(), breakerWait));
            } catch (ConfigException ex) {
                out.forEach(Channel::close);
                throw new dev.rtm.host.RtmException("channels." + e.getKey() + ": " + ex.getMessage());
            }
        }
        return out;
    }
}
