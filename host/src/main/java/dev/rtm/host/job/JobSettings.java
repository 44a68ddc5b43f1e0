package dev.rtm.host.job;

import dev.rtm.wire.Urls;
import dev.rtm.host.alert.AlertRule;
import java.time.Duration;

/**
 * What the streaming job needs to know to be built.
 *
 * @param bootstrap Kafka bootstrap servers
 * @param metricsTopic the topic of {@code HostMetrics} records
 * @param deadLetterTopic where refused records go
 * @param anomaliesTopic where flagged points are published, or null
 * @param groupId the consumer group
 * @param registryUrl the Confluent-compatible schema registry, or null
 * @param configYaml the rtm config's text
 * @param configOrigin its file, or null
 * @param pluginsDir the plugins dir on the TaskManagers; where it does not exist, the copy shipped
 *        with the job is used (see {@code shipPlugins})
 * @param shipPlugins a local plugins dir to ship with the job through Flink's distributed cache, for
 *        TaskManagers without their own; null to ship nothing (local runs)
 * @param maxFuture how far ahead of the clock a timestamp may be
 * @param maxPast how far behind
 * @param bounded stop at the offsets that are latest at start (tests, backfills)
 * @param postgres where raw values and scores are written, or null for no storage
 * @param forecastEvery write each model's forecast every this many points of a series (0: never)
 * @param forecastHorizon points ahead in each forecast
 * @param alerts when flags become alerts (written to {@code alerts} with the rest of the storage)
 */
public record JobSettings(String bootstrap, String metricsTopic, String deadLetterTopic, String anomaliesTopic, String groupId,
                          String registryUrl, String configYaml, String configOrigin, String pluginsDir, String shipPlugins,
                          Duration maxFuture, Duration maxPast, boolean bounded, Postgres postgres,
                          int forecastEvery, int forecastHorizon, AlertRule alerts) {

    /** Settings with the default alert rule. */
    public JobSettings(String bootstrap, String metricsTopic, String deadLetterTopic, String anomaliesTopic, String groupId,
                       String registryUrl, String configYaml, String configOrigin, String pluginsDir, String shipPlugins,
                       Duration maxFuture, Duration maxPast, boolean bounded, Postgres postgres,
                       int forecastEvery, int forecastHorizon) {
        this(bootstrap, metricsTopic, deadLetterTopic, anomaliesTopic, groupId, registryUrl, configYaml, configOrigin,
                pluginsDir, shipPlugins, maxFuture, maxPast, bounded, postgres, forecastEvery, forecastHorizon, AlertRule.DEFAULT);
    }

    /** Settings without forecasts. */
    public JobSettings(String bootstrap, String metricsTopic, String deadLetterTopic, String anomaliesTopic, String groupId,
                       String registryUrl, String configYaml, String configOrigin, String pluginsDir, String shipPlugins,
                       Duration maxFuture, Duration maxPast, boolean bounded, Postgres postgres) {
        this(bootstrap, metricsTopic, deadLetterTopic, anomaliesTopic, groupId, registryUrl, configYaml, configOrigin,
                pluginsDir, shipPlugins, maxFuture, maxPast, bounded, postgres, 0, 0);
    }

    /** These settings writing to {@code postgres} instead (null: no storage). */
    public JobSettings withPostgres(Postgres postgres) {
        return new JobSettings(bootstrap, metricsTopic, deadLetterTopic, anomaliesTopic, groupId, registryUrl, configYaml,
                configOrigin, pluginsDir, shipPlugins, maxFuture, maxPast, bounded, postgres, forecastEvery, forecastHorizon, alerts);
    }

    /**
     * PostgreSQL connection and batching.
     *
     * @param url JDBC URL
     * @param user user or null
     * @param password password or null (never logged)
     * @param batchSize rows per flush at most
     * @param flushMillis longest time a row waits
     * @param outageMillis how long a sink waits out an unreachable database before it fails the job (0: as long as it
     *        lasts)
     */
    public record Postgres(String url, String user, String password, int batchSize, long flushMillis, long outageMillis)
            implements java.io.Serializable {

        /** Waiting out an outage for as long as it lasts. */
        public Postgres(String url, String user, String password, int batchSize, long flushMillis) {
            this(url, user, password, batchSize, flushMillis, 0);
        }

        @Override
        public String toString() {
            return "Postgres[" + dev.rtm.wire.Urls.redact(url) + ", user " + user + ", password " + (password == null ? "none" : "******") + "]";
        }
    }
}
