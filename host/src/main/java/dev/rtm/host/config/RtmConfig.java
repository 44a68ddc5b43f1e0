package dev.rtm.host.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parsed, structurally valid config file. Detector settings are still raw here: they are
 * checked against each plugin's {@link dev.rtm.api.ConfigSpec} by
 * {@link dev.rtm.host.detect.DetectorCatalog}, once the plugins are loaded.
 *
 * @param file the file it came from, or null for the built-in defaults
 * @param pluginsDir {@code plugins.dir}, resolved against the file's directory; null when not set
 * @param detectors {@code detectors.<name>} sections in file order
 * @param select {@code select} rules in file order (empty: every series gets every configured detector)
 * @param host the host's own sections ({@code kafka}, {@code postgres}, {@code job}, {@code alerts}, {@code agent}), validated
 * @param channels {@code channels.<name>} sections in file order: where notifications go (alerter
 *        plugins' settings still raw, checked by {@link dev.rtm.host.notify.ChannelCatalog})
 * @param silences {@code silences} in file order
 * @param alertRules {@code alert-rules} in file order: per-series alert rules, the first match wins
 * @param text the file's text (shipped to the job's operators), or "" for the defaults
 */
public record RtmConfig(Path file, Path pluginsDir, Map<String, DetectorSection> detectors, List<SelectRule> select,
                        HostSettings host, Map<String, ChannelSection> channels, List<SilenceRule> silences,
                        List<AlertRuleSection> alertRules, String text) {

    /** The config used when there is no file: the plugins dir default and {@code ewma} on everything. */
    public static RtmConfig defaults() {
        return new RtmConfig(null, null, Map.of(), List.of(), HostSettings.defaults(), Map.of(), List.of(), List.of(), "");
    }

    /** {@code plugins.dir} if set. */
    public Optional<Path> pluginsDirSetting() {
        return Optional.ofNullable(pluginsDir);
    }

    /**
     * One {@code detectors.<name>} section.
     *
     * @param name the instance name: the {@code model} column of its scores
     * @param type the detector plugin it uses ({@code type:}, default: the name)
     * @param settings the other keys, raw, for the plugin's spec
     */
    public record DetectorSection(String name, String type, Map<String, Object> settings) {
    }

    /**
     * One {@code select} rule: series whose metric (and host) match get these detectors.
     *
     * @param index position in the list, for messages
     * @param metric glob on the metric name
     * @param host glob on the host name
     * @param detectors detector instance names
     */
    public record SelectRule(int index, String metric, String host, List<String> detectors) {
    }

    /**
     * One {@code channels.<name>} section: a destination of notifications.
     *
     * @param name the channel's name (the {@code channel} column of {@code notifications})
     * @param type the alerter plugin's factory name ({@code type:}, default: the name)
     * @param ratePerSecond the host's rate limit for this channel ({@code rate-per-s}, default 1)
     * @param attemptTimeout the host's hard limit on one attempt ({@code attempt-timeout}, default 30s)
     * @param settings the other keys, raw, for the plugin's spec
     */
    public record ChannelSection(String name, String type, double ratePerSecond, java.time.Duration attemptTimeout,
                                 Map<String, Object> settings) {

        /** Keys the host reads itself; the rest go to the plugin. */
        public static final List<String> HOST_KEYS = List.of("type", "rate-per-s", "attempt-timeout");
    }

    /**
     * One entry of {@code alert-rules}: how the alerts of matching series are decided; keys left
     * out take the {@code alerts} section's values.
     *
     * @param name the rule's name (the {@code rule} label)
     * @param host glob on the host
     * @param metric glob on the metric
     * @param models any, all, majority or a list of models, or null
     * @param criticalScore or null
     * @param noDataAfter or null
     */
    public record AlertRuleSection(String name, String host, String metric, String models, Double criticalScore,
                                   Integer noDataAfter) {
    }

    /**
     * One entry of {@code silences}: alerts of matching series are recorded as silenced, not sent.
     *
     * @param index position in the list, for messages
     * @param host glob on the host
     * @param metric glob on the metric
     * @param startsAt from when (default: always)
     * @param endsAt until when
     * @param comment why
     */
    public record SilenceRule(int index, String host, String metric, java.time.Instant startsAt, java.time.Instant endsAt,
                              String comment) {
    }
}
