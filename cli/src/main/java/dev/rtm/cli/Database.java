package dev.rtm.cli;

import dev.rtm.host.RtmException;
import dev.rtm.wire.Urls;
import dev.rtm.host.config.PostgresSettings;
import dev.rtm.host.config.RtmConfig;
import dev.rtm.local.LocalPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Consumer;

/**
 * The database of every command, by one rule: {@code --pg-url} (user and password in it or in
 * {@code RTM_PG_USER}/{@code RTM_PG_PASSWORD}), else {@code postgres.url} of the config (with its
 * {@code user} and {@code password}), else {@code $RTM_PG_URL} (with {@code RTM_PG_USER}/{@code
 * RTM_PG_PASSWORD}), else the machine's own PostgreSQL, prepared as {@code rtm demo} does (except for
 * the job, which then runs without storage). The choice is said once, where it came from included,
 * with any password redacted.
 */
final class Database {

    private Database() {
    }

    /** Resolves the database by the rule above and says which it is, and why, through {@code say}. */
    static LocalPostgres.Target resolve(HostOptions host, DatabaseOptions db, RtmConfig cfg, Consumer<String> say) {
        return resolve(host, db, cfg, say, true);
    }

    /** As {@link #resolve}, but null (said) instead of the machine's PostgreSQL: the job's storage is optional. */
    static LocalPostgres.Target resolveOptional(HostOptions host, DatabaseOptions db, RtmConfig cfg, Consumer<String> say) {
        return resolve(host, db, cfg, say, false);
    }

    private static LocalPostgres.Target resolve(HostOptions host, DatabaseOptions db, RtmConfig cfg, Consumer<String> say,
                                                boolean machine) {
        LocalPostgres.Target t;
        String from;
        PostgresSettings pg = PostgresSettings.of(cfg.host().postgres());
        String envUrl = host.env.get("RTM_PG_URL");
        if (db != null && db.url != null && !db.url.isBlank()) {
            t = new LocalPostgres.Target(db.url, host.env.get("RTM_PG_USER"), host.env.get("RTM_PG_PASSWORD"));
            from = "--pg-url";
        } else if (pg != null) {
            t = new LocalPostgres.Target(pg.url(), pg.user(), pg.password());
            from = "postgres.url of " + (cfg.file() == null ? "the config" : cfg.file());
        } else if (envUrl != null && !envUrl.isBlank()) {
            t = new LocalPostgres.Target(envUrl, host.env.get("RTM_PG_USER"), host.env.get("RTM_PG_PASSWORD"));
            from = "RTM_PG_URL";
        } else if (!machine) {
            say.accept("no database (no --pg-url, postgres.url or RTM_PG_URL): nothing is stored");
            return null;
        } else {
            t = LocalPostgres.ensure(host.env, say);
            from = "the machine's PostgreSQL (no --pg-url, postgres.url or RTM_PG_URL)";
        }
        say.accept("database " + Urls.redact(t.url()) + " (user " + (t.user() == null ? "from the URL" : t.user())
                + (t.password() == null || t.password().isEmpty() ? "" : ", password set") + ") from " + from);
        return t;
    }

    /**
     * Resolves and connects (auto-commit on).
     *
     * @throws RtmException naming the target (password redacted) when it cannot
     */
    static Connection connect(HostOptions host, DatabaseOptions db, Consumer<String> say) {
        LocalPostgres.Target t = resolve(host, db, host.loadConfig(), say);
        try {
            return t.connect(t.url());
        } catch (SQLException e) {
            throw new RtmException("cannot connect to " + t + ": " + e.getMessage());
        }
    }
}
