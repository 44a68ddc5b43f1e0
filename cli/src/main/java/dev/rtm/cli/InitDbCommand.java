package dev.rtm.cli;

import dev.rtm.host.config.PostgresSettings;
import dev.rtm.wire.Urls;
import dev.rtm.local.LocalPostgres;
import java.io.PrintWriter;
import dev.rtm.host.job.JobRunner;
import dev.rtm.host.sink.Schema;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code rtm init-db}: applies sql/init.sql to the database (resolved as {@link Database} says) and says which mode. */
@Command(name = "init-db", mixinStandardHelpOptions = true,
        description = "Create or update rtm's tables in PostgreSQL (--pg-url, else postgres.url of the config, else "
                + "RTM_PG_URL, else the machine's; idempotent); with TimescaleDB, "
                + "hypertables, compression, retention and continuous aggregates as the postgres section says.")
final class InitDbCommand implements Callable<Integer> {

    @Mixin
    HostOptions host = new HostOptions();

    @Mixin
    DatabaseOptions db = new DatabaseOptions();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (HostContext ctx = HostContext.open(host)) {
            LocalPostgres.Target t = Database.resolve(host, db, ctx.config, line -> out.println("rtm init-db: " + line));
            var pg = ctx.config.host().postgres();
            PostgresSettings target = PostgresSettings.of(pg, t.url(), t.user(), t.password());
            Schema.Storage storage = Schema.Storage.of(pg);
            String mode = JobRunner.initDb(target, storage);
            out.println("rtm init-db: schema applied to " + Urls.redact(t.url()) + " in " + storage.describe(mode));
            return 0;
        }
    }
}
