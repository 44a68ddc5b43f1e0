package dev.rtm.host.cli;

import dev.rtm.host.RtmException;
import dev.rtm.host.demo.LocalPostgres;
import dev.rtm.host.job.JobRunner;
import dev.rtm.host.job.JobSettings;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Consumer;

/** The database a command reads: postgres.url from the config, else RTM_PG_URL or the machine's own (the demo's). */
final class Database {

    private Database() {
    }

    /**
     * Connects (auto-commit on).
     *
     * @throws RtmException naming the target (password redacted) when it cannot
     */
    static Connection connect(HostOptions host, Consumer<String> say) {
        JobSettings.Postgres pg = JobRunner.postgres(host.loadConfig());
        LocalPostgres.Target t = pg != null ? new LocalPostgres.Target(pg.url(), pg.user(), pg.password())
                : LocalPostgres.ensure(host.env, say);
        try {
            return t.connect(t.url());
        } catch (SQLException e) {
            throw new RtmException("cannot connect to " + t + ": " + e.getMessage());
        }
    }
}
