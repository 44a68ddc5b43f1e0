package dev.rtm.host.cli;

import dev.rtm.host.RtmException;
import dev.rtm.host.job.JobRunner;
import dev.rtm.host.job.JobSettings;
import dev.rtm.host.sink.Schema;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code rtm init-db}: applies sql/init.sql to the configured database and says which mode. */
@Command(name = "init-db", mixinStandardHelpOptions = true,
        description = "Create or update rtm's tables in the configured PostgreSQL (idempotent); with TimescaleDB, "
                + "hypertables, compression, retention and continuous aggregates as the postgres section says.")
final class InitDbCommand implements Callable<Integer> {

    @Mixin
    HostOptions host = new HostOptions();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try (HostContext ctx = HostContext.open(host)) {
            JobSettings s = JobRunner.settings(ctx.config, ctx.registry.dir(), true, false);
            if (s.postgres() == null) {
                throw new RtmException("postgres.url is not set in the config (or is none): nothing to initialise");
            }
            Schema.Storage storage = Schema.Storage.of(ctx.config.host().postgres());
            String mode = JobRunner.initDb(s.postgres(), storage);
            spec.commandLine().getOut().println("schema applied to " + s.postgres().url() + " in " + storage.describe(mode));
            return 0;
        }
    }
}
