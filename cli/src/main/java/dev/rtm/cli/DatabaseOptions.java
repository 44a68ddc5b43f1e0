package dev.rtm.cli;

import picocli.CommandLine.Option;

/** The option of commands that use the database; how it combines with the config and environment is {@link Database}'s rule. */
final class DatabaseOptions {

    @Option(names = "--pg-url", paramLabel = "JDBC-URL",
            description = "PostgreSQL to use, e.g. jdbc:postgresql://localhost:5432/rtm (user and password in it or in "
                    + "RTM_PG_USER/RTM_PG_PASSWORD). Default: postgres.url of the config, else $RTM_PG_URL, else the "
                    + "machine's own PostgreSQL")
    String url;
}
