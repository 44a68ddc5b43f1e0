package dev.rtm.host.config;

import dev.rtm.api.Settings;
import dev.rtm.wire.Urls;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * Where the job stores what it reads and scores, and how it batches: the connection and batching
 * keys of the {@code postgres} section ({@link HostSettings.Postgres}, where their defaults and docs
 * are) as one value. The sinks, the notify stage and the warm-up read it; it travels inside their
 * operators. The TimescaleDB keys of the same section are {@code sink.Schema.Storage}.
 *
 * <pre>{@code
 * PostgresSettings pg = PostgresSettings.of(cfg.host().postgres());          // null when postgres.url is none
 * PostgresSettings bench = PostgresSettings.of(cfg.host().postgres(), url, user, password);
 * PostgresSettings test = new PostgresSettings(url, null, null, 500, Duration.ofMillis(200));
 * }</pre>
 *
 * @param url JDBC URL
 * @param user user, or null (it may be in the URL)
 * @param password password, or null; never logged, never in {@link #toString}
 * @param batchSize rows per write at most ({@code postgres.batch-size})
 * @param flushInterval longest time a row waits ({@code postgres.flush-interval-ms})
 * @param outageTolerance how long a sink waits out an unreachable database before it fails the job
 *        ({@code postgres.outage-tolerance-s}; zero: as long as the outage lasts)
 */
public record PostgresSettings(String url, String user, String password, int batchSize, Duration flushInterval,
                               Duration outageTolerance) implements Serializable {

    /** Checks what the section's keys check, for values that do not come from a config. */
    public PostgresSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(flushInterval, "flushInterval");
        Objects.requireNonNull(outageTolerance, "outageTolerance");
        if (batchSize < 1 || flushInterval.isNegative() || flushInterval.isZero() || outageTolerance.isNegative()) {
            throw new IllegalArgumentException("postgres settings need batch-size >= 1, a positive flush interval and "
                    + "an outage tolerance >= 0, were " + batchSize + ", " + flushInterval + ", " + outageTolerance);
        }
    }

    /** Waiting out an outage for as long as it lasts (the declared default). */
    public PostgresSettings(String url, String user, String password, int batchSize, Duration flushInterval) {
        this(url, user, password, batchSize, flushInterval, Duration.ofSeconds(HostSettings.Postgres.OUTAGE_TOLERANCE.defaultValue()));
    }

    /** The validated {@code postgres} section, or null when {@code postgres.url} is none (no storage). */
    public static PostgresSettings of(Settings pg) {
        String url = HostSettings.orNull(pg.get(HostSettings.Postgres.URL));
        if (url == null) {
            return null;
        }
        String password = pg.get(HostSettings.Postgres.PASSWORD);
        return of(pg, url, pg.get(HostSettings.Postgres.USER), password == null || password.isEmpty() ? null : password);
    }

    /** The section's batching and outage tolerance, writing to another database (a command's {@code --pg-url}, a bench's). */
    public static PostgresSettings of(Settings pg, String url, String user, String password) {
        return new PostgresSettings(url, user, password, pg.get(HostSettings.Postgres.BATCH),
                Duration.ofMillis(pg.get(HostSettings.Postgres.FLUSH)),
                Duration.ofSeconds(pg.get(HostSettings.Postgres.OUTAGE_TOLERANCE)));
    }

    /** These settings with rows flushed at least every {@code flushInterval}. */
    public PostgresSettings withFlushInterval(Duration flushInterval) {
        return new PostgresSettings(url, user, password, batchSize, flushInterval, outageTolerance);
    }

    /** The URL without its password, the user, and whether there is a password: never the password. */
    @Override
    public String toString() {
        return "Postgres[" + Urls.redact(url) + ", user " + user + ", password " + (password == null ? "none" : "******")
                + ", batch " + batchSize + ", flush " + flushInterval.toMillis() + " ms, outage tolerance "
                + (outageTolerance.isZero() ? "unlimited" : outageTolerance.toSeconds() + " s") + "]";
    }
}
