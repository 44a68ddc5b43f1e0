package dev.rtm.host.notify;

import dev.rtm.host.config.PostgresSettings;
import dev.rtm.host.config.RtmConfig;
import dev.rtm.host.plugin.PluginRegistry;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;

/** Builds a {@link Dispatcher} from a config: its channels, grouping, silences and database. */
public final class Dispatchers {

    /** How long an open circuit breaker waits before it lets one attempt through. */
    public static final Duration BREAKER_WAIT = Duration.ofSeconds(30);

    private Dispatchers() {
    }

    /** A dispatcher for {@code cfg} on the given database (not started). */
    public static Dispatcher create(RtmConfig cfg, PluginRegistry registry, PostgresSettings pg, Clock clock) {
        ChannelCatalog catalog = ChannelCatalog.build(cfg, registry);
        NotifySettings settings = NotifySettings.of(cfg.host().alerts());
        Grouper grouper = new Grouper(settings, catalog.destinations(), cfg.silences());
        return new Dispatcher(() -> connect(pg), grouper, catalog.open(BREAKER_WAIT), clock, settings.retryFor());
    }

    /** Opens a connection (auto-commit off) with the job's PostgreSQL settings. */
    public static Connection connect(PostgresSettings pg) throws java.sql.SQLException {
        return dev.rtm.host.sink.PostgresConnections.open(pg.url(), pg.user(), pg.password(), "rtm-notify");
    }
}
