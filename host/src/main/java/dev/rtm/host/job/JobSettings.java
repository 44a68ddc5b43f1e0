package dev.rtm.host.job;

import dev.rtm.api.Settings;
import dev.rtm.host.alert.AlertRule;
import dev.rtm.host.config.HostSettings;
import dev.rtm.host.config.PostgresSettings;
import dev.rtm.host.config.RtmConfig;
import dev.rtm.wire.Urls;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What the streaming job needs to know to be built ({@link MetricsJob#build}), one small value per
 * concern. Every section is a typed view of a config section: its keys, defaults, docs and checks
 * are declared once in {@link HostSettings}, and each section's {@code of(Settings)} reads them. A
 * section a stage reads itself lives where the stage can see it ({@link PostgresSettings} in
 * config, {@link AlertRule} in alert); the others are nested here.
 *
 * <pre>{@code
 * JobSettings s = JobSettings.from(cfg)                 // every section as the config says
 *         .kafka(broker.bootstrap(), "my-test")         // then what this run does differently
 *         .pluginsDir(plugins)
 *         .postgres(new PostgresSettings(url, null, null, 500, Duration.ofMillis(200)))
 *         .build();
 * }</pre>
 *
 * <p>Adding a setting: declare its key in the {@link HostSettings} section, add a component to the
 * section here that reads it in {@code of}, and use it in {@link MetricsJob}. Serializable: pieces
 * of it travel inside the job's operators. {@link #toString} shows neither the config text nor a
 * password or registry credential.
 *
 * @param kafka brokers, topics, consumer group and schema registry
 * @param config the config's text, shipped to the operators, which parse it again
 * @param plugins where the TaskManagers load plugins from, and what is shipped with the job
 * @param limits which timestamps decoding accepts
 * @param bounded stop at the offsets that are latest at start (tests, backfills)
 * @param postgres where raw values, scores and alerts are written, or null for no storage
 * @param forecasts how often each model's forecast is written
 * @param detection how the detect stage primes and guards detectors
 * @param alerts when flags become alerts
 */
public record JobSettings(Kafka kafka, Config config, Plugins plugins, InputLimits limits, boolean bounded,
                          PostgresSettings postgres, Forecasts forecasts, Detection detection, AlertRule alerts)
        implements Serializable {

    /** Every section but storage is required. */
    public JobSettings {
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(plugins, "plugins (the builder's pluginsDir)");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(forecasts, "forecasts");
        Objects.requireNonNull(detection, "detection");
        Objects.requireNonNull(alerts, "alerts");
    }

    /**
     * A builder holding every section as {@code cfg} says (its text, {@code kafka}, {@code job},
     * {@code postgres}, {@code alerts} and {@code alert-rules}); the plugins dir is still to be set.
     */
    public static Builder from(RtmConfig cfg) {
        Settings job = cfg.host().job();
        return new Builder(Kafka.of(cfg.host().kafka()), Config.of(cfg), null, InputLimits.of(job), false,
                PostgresSettings.of(cfg.host().postgres()), Forecasts.of(job), Detection.of(job), AlertRule.of(cfg));
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        return new Builder(kafka, config, plugins, limits, bounded, postgres, forecasts, detection, alerts);
    }

    /**
     * {@code kafka.*}: where the job reads and publishes.
     *
     * @param bootstrap bootstrap servers
     * @param metricsTopic the topic of {@code HostMetrics} records
     * @param deadLetterTopic where refused records go
     * @param anomaliesTopic where flagged points are published, or null; alert transitions are
     *        published only where flagged points are
     * @param alertsTopic where series alerts' transitions are published, or null
     * @param group the consumer group
     * @param registryUrl the Confluent-compatible schema registry, or null
     */
    public record Kafka(String bootstrap, String metricsTopic, String deadLetterTopic, String anomaliesTopic, String alertsTopic,
                        String group, String registryUrl) implements Serializable {

        public Kafka {
            Objects.requireNonNull(bootstrap, "bootstrap");
            Objects.requireNonNull(metricsTopic, "metricsTopic");
            Objects.requireNonNull(deadLetterTopic, "deadLetterTopic");
            Objects.requireNonNull(group, "group");
        }

        /** The validated {@code kafka} section; {@code none} is null. */
        public static Kafka of(Settings k) {
            return new Kafka(k.get(HostSettings.Kafka.BOOTSTRAP), k.get(HostSettings.Kafka.METRICS), k.get(HostSettings.Kafka.DLQ),
                    HostSettings.orNull(k.get(HostSettings.Kafka.ANOMALIES)), HostSettings.orNull(k.get(HostSettings.Kafka.ALERTS)),
                    k.get(HostSettings.Kafka.GROUP), HostSettings.orNull(k.get(HostSettings.Kafka.REGISTRY)));
        }

        /** The topic alert transitions go to: null unless both it and the anomalies topic are set. */
        public String alertTransitionsTopic() {
            return anomaliesTopic == null ? null : alertsTopic;
        }

        @Override
        public String toString() {
            return "Kafka[" + bootstrap + ", metrics " + metricsTopic + ", dead letters " + deadLetterTopic + ", anomalies "
                    + anomaliesTopic + ", alerts " + alertsTopic + ", group " + group + ", registry " + Urls.redact(registryUrl) + "]";
        }
    }

    /**
     * The config as the operators get it: its text (they parse it again, resolving {@code ${env:...}}
     * and {@code ${file:...}} on the TaskManager) and where it came from.
     *
     * @param yaml the config's text; may hold secrets, so never shown
     * @param origin its file, absolute, for messages and relative paths; or null
     */
    public record Config(String yaml, String origin) implements Serializable {

        public Config {
            Objects.requireNonNull(yaml, "yaml");
        }

        /** {@code cfg}'s text and file. */
        public static Config of(RtmConfig cfg) {
            return new Config(cfg.text(), cfg.file() == null ? null : cfg.file().toAbsolutePath().toString());
        }

        /** Where it came from and its size, never its text. */
        @Override
        public String toString() {
            return "Config[" + (origin == null ? "text" : origin) + ", " + yaml.length() + " chars]";
        }
    }

    /**
     * Where the TaskManagers load detector and alerter plugins from.
     *
     * @param dir the plugins dir on the TaskManagers; where it does not exist, the copy shipped with
     *        the job is used
     * @param ship a local plugins dir shipped with the job through Flink's distributed cache, for
     *        TaskManagers without their own; null to ship nothing (local runs)
     */
    public record Plugins(String dir, String ship) implements Serializable {

        public Plugins {
            Objects.requireNonNull(dir, "dir");
        }

        /** {@code dir} on every TaskManager, nothing shipped. */
        public static Plugins at(Path dir) {
            return new Plugins(dir.toAbsolutePath().toString(), null);
        }

        /** {@code dir} where a TaskManager has it, else this machine's {@code dir} shipped with the job. */
        public static Plugins shipped(Path dir) {
            return new Plugins(dir.toAbsolutePath().toString(), dir.toAbsolutePath().toString());
        }
    }

    /**
     * {@code job.max-future-s} and {@code job.max-past-s}: timestamps outside are dead-lettered.
     *
     * @param maxFuture how far ahead of the clock a timestamp may be
     * @param maxPast how far behind
     */
    public record InputLimits(Duration maxFuture, Duration maxPast) implements Serializable {

        public InputLimits {
            if (maxFuture.isNegative() || maxPast.isNegative() || maxPast.isZero()) {
                throw new IllegalArgumentException("input limits need max-future >= 0 and max-past > 0, were " + maxFuture
                        + " and " + maxPast);
            }
        }

        /** From the validated {@code job} section. */
        public static InputLimits of(Settings job) {
            return new InputLimits(Duration.ofSeconds(job.get(HostSettings.Job.MAX_FUTURE)),
                    Duration.ofSeconds(job.get(HostSettings.Job.MAX_PAST)));
        }
    }

    /**
     * {@code job.forecast-every} and {@code job.forecast-horizon} (written only with storage).
     *
     * @param every write each model's forecast every this many points of a series (0: never)
     * @param horizon points ahead in each forecast
     */
    public record Forecasts(int every, int horizon) implements Serializable {

        /** No forecasts. */
        public static final Forecasts OFF = new Forecasts(0, 0);

        public Forecasts {
            if (every < 0 || every > 0 && horizon < 1) {
                throw new IllegalArgumentException("forecasts need every >= 0 and, when on, horizon >= 1, were " + every
                        + " and " + horizon);
            }
        }

        /** From the validated {@code job} section. */
        public static Forecasts of(Settings job) {
            return new Forecasts(job.get(HostSettings.Job.FORECAST_EVERY), job.get(HostSettings.Job.FORECAST_HORIZON));
        }
    }

    /**
     * How the detect stage primes and guards the detectors.
     *
     * @param warmUpPoints {@code job.warm-up-points}: a series first seen without state primes its
     *        detectors from its last this many stored points (0: off; needs storage)
     * @param timeBudget {@code job.detector-time-budget-ms}: longest one detector may take on one point
     * @param quarantineBackoff {@code job.quarantine-backoff-s}: first wait of a quarantined detector
     */
    public record Detection(int warmUpPoints, Duration timeBudget, Duration quarantineBackoff) implements Serializable {

        /** From the validated {@code job} section. */
        public static Detection of(Settings job) {
            return new Detection(job.get(HostSettings.Job.WARM_UP_POINTS), Duration.ofMillis(job.get(HostSettings.Job.TIME_BUDGET)),
                    Duration.ofSeconds(job.get(HostSettings.Job.QUARANTINE_BACKOFF)));
        }
    }

    /** Builds {@link JobSettings}; start from {@link JobSettings#from}. Each setter replaces one section or part of one. */
    public static final class Builder {
        private Kafka kafka;
        private Config config;
        private Plugins plugins;
        private InputLimits limits;
        private boolean bounded;
        private PostgresSettings postgres;
        private Forecasts forecasts;
        private Detection detection;
        private AlertRule alerts;

        private Builder(Kafka kafka, Config config, Plugins plugins, InputLimits limits, boolean bounded, PostgresSettings postgres,
                        Forecasts forecasts, Detection detection, AlertRule alerts) {
            this.kafka = kafka;
            this.config = config;
            this.plugins = plugins;
            this.limits = limits;
            this.bounded = bounded;
            this.postgres = postgres;
            this.forecasts = forecasts;
            this.detection = detection;
            this.alerts = alerts;
        }

        /** The whole {@code kafka} section. */
        public Builder kafka(Kafka kafka) {
            this.kafka = Objects.requireNonNull(kafka, "kafka");
            return this;
        }

        /** The config's topics on this broker, read as this consumer group. */
        public Builder kafka(String bootstrap, String group) {
            return kafka(new Kafka(bootstrap, kafka.metricsTopic(), kafka.deadLetterTopic(), kafka.anomaliesTopic(),
                    kafka.alertsTopic(), group, kafka.registryUrl()));
        }

        /** The topic the metrics are read from. */
        public Builder metricsTopic(String topic) {
            return kafka(new Kafka(kafka.bootstrap(), topic, kafka.deadLetterTopic(), kafka.anomaliesTopic(), kafka.alertsTopic(),
                    kafka.group(), kafka.registryUrl()));
        }

        /** Where flagged points are published; null: nowhere, and alert transitions neither. */
        public Builder anomaliesTopic(String topic) {
            return kafka(new Kafka(kafka.bootstrap(), kafka.metricsTopic(), kafka.deadLetterTopic(), topic, kafka.alertsTopic(),
                    kafka.group(), kafka.registryUrl()));
        }

        /** The schema registry; null: single-object encoding only. */
        public Builder registry(String url) {
            return kafka(new Kafka(kafka.bootstrap(), kafka.metricsTopic(), kafka.deadLetterTopic(), kafka.anomaliesTopic(),
                    kafka.alertsTopic(), kafka.group(), url));
        }

        /** The plugins dir every TaskManager has; nothing shipped. */
        public Builder pluginsDir(Path dir) {
            return plugins(Plugins.at(dir));
        }

        /** Where plugins come from. */
        public Builder plugins(Plugins plugins) {
            this.plugins = Objects.requireNonNull(plugins, "plugins");
            return this;
        }

        /** Which timestamps are accepted. */
        public Builder limits(InputLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** Stop at the offsets that are latest at start (default: run on). */
        public Builder bounded(boolean bounded) {
            this.bounded = bounded;
            return this;
        }

        /** Where rows are written; null: no storage. */
        public Builder postgres(PostgresSettings postgres) {
            this.postgres = postgres;
            return this;
        }

        /** How often forecasts are written ({@link Forecasts#OFF}: never). */
        public Builder forecasts(Forecasts forecasts) {
            this.forecasts = Objects.requireNonNull(forecasts, "forecasts");
            return this;
        }

        /** How detectors are primed and guarded. */
        public Builder detection(Detection detection) {
            this.detection = Objects.requireNonNull(detection, "detection");
            return this;
        }

        /** When flags become alerts. */
        public Builder alerts(AlertRule alerts) {
            this.alerts = Objects.requireNonNull(alerts, "alerts");
            return this;
        }

        /** @throws NullPointerException naming a section not set (the plugins dir) */
        public JobSettings build() {
            return new JobSettings(kafka, config, plugins, limits, bounded, postgres, forecasts, detection, alerts);
        }
    }
}
