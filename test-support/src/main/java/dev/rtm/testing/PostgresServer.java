package dev.rtm.testing;

import dev.rtm.local.Processes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL for tests: a throwaway cluster under the given dir, made with the machine's
 * {@code initdb} and {@code pg_ctl} (Debian's {@code postgresql} package), on a free port, stopped
 * by {@link #close()}. PostgreSQL refuses to run as root, so when the tests run as root the server
 * runs as the {@code postgres} user. With {@code RTM_TEST_PG_URL} set, that database is used instead.
 *
 * <p>TimescaleDB: Debian does not package it, so a cluster with the extension uses a private
 * PostgreSQL 15 built from the vendored source release ({@code ../shared/vendor/timescaledb/build DEST}):
 * its bin dir is {@code RTM_TIMESCALE_PG_BIN} (or the system property {@code rtm.timescale.pg.bin}),
 * else the first of {@code target/timescaledb} of the repository root and {@link #TIMESCALE_CACHE}
 * (where {@code .ci/run} builds it) that holds the build, else the machine's PostgreSQL if the
 * extension is installed there.
 */
public final class PostgresServer implements AutoCloseable {

    private final String url;
    private final Path data;
    private final Path bin;
    private final boolean asPostgres;

    private PostgresServer(String url, Path data, Path bin, boolean asPostgres) {
        this.url = url;
        this.data = data;
        this.bin = bin;
        this.asPostgres = asPostgres;
    }

    /** Starts a cluster with a database {@code rtm} (user {@code rtm}, trust auth on 127.0.0.1). */
    public static PostgresServer start(Path dir) throws IOException, InterruptedException, SQLException {
        return start(dir, false);
    }

    /** Where {@code .ci/run} builds TimescaleDB: outside the clone, reachable by the postgres user. */
    public static final Path TIMESCALE_CACHE = Path.of("/var/cache/rtm/timescaledb");

    /** How to build the extension for the tests, for skip and failure messages. */
    public static final String TIMESCALE_HOW = "TimescaleDB is not available: build it once from the repository root with "
            + "`../shared/vendor/timescaledb/build \"$PWD/target/timescaledb\"` (an absolute path; root installs its build "
            + "packages; 2-5 min, reused after), or set RTM_TIMESCALE_PG_BIN to the bin dir a build printed, or "
            + "RTM_TEST_TIMESCALE_URL to a throwaway TimescaleDB database";

    /**
     * Whether a PostgreSQL with the TimescaleDB extension can be started here (see the class
     * comment), or {@code RTM_TEST_TIMESCALE_URL} names a database that has it.
     */
    public static boolean timescaleAvailable() throws IOException {
        String external = System.getenv("RTM_TEST_TIMESCALE_URL");
        return external != null && !external.isBlank() || timescaleBinDir() != null;
    }

    /**
     * Skips the calling test when TimescaleDB is not available, saying how to build it; with
     * {@code RTM_REQUIRE_TIMESCALE=1} (CI) fails it instead, so a missing build is never a silent skip.
     */
    public static void assumeTimescale() throws IOException {
        if (timescaleAvailable()) {
            return;
        }
        if ("1".equals(System.getenv("RTM_REQUIRE_TIMESCALE"))) {
            throw new AssertionError(TIMESCALE_HOW + " (RTM_REQUIRE_TIMESCALE=1: a skip is a failure here)");
        }
        org.junit.jupiter.api.Assumptions.abort(TIMESCALE_HOW);
    }

    /** The bin dir of a PostgreSQL that has the TimescaleDB extension, or null. */
    public static Path timescaleBinDir() throws IOException {
        String given = System.getenv("RTM_TIMESCALE_PG_BIN");
        if (given == null || given.isBlank()) {
            given = System.getProperty("rtm.timescale.pg.bin");
        }
        if (given != null && !given.isBlank()) {
            Path bin = Path.of(given).toAbsolutePath();
            if (!hasTimescale(bin)) {
                throw new IOException("RTM_TIMESCALE_PG_BIN=" + given + " is not the bin dir of a PostgreSQL with TimescaleDB "
                        + "(no initdb there, or no extension/timescaledb.control under its share dir)");
            }
            return bin;
        }
        // target/timescaledb of the repository root (tests run in a module dir: look upwards), then the CI cache
        List<Path> builds = new ArrayList<>();
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            builds.add(dir.resolve("target/timescaledb"));
        }
        builds.add(TIMESCALE_CACHE);
        for (Path build : builds) {
            Path lib = build.resolve("pgroot/lib/postgresql");
            if (Files.isDirectory(lib)) {
                try (Stream<Path> versions = Files.list(lib)) {
                    Path bin = versions.map(v -> v.resolve("bin")).filter(PostgresServer::hasTimescale)
                            .max(Comparator.comparing(Path::toString)).orElse(null);
                    if (bin != null) {
                        return bin;
                    }
                }
            }
        }
        try {
            Path system = binDir();
            return hasTimescale(system) ? system : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Whether {@code bin} holds initdb and its installation (share dir relative to it, as PostgreSQL finds it) has TimescaleDB. */
    private static boolean hasTimescale(Path bin) {
        Path version = bin.getParent();
        if (version == null || !Files.isExecutable(bin.resolve("initdb"))) {
            return false;
        }
        // Debian layout: <root>/lib/postgresql/<v>/bin and <root>/share/postgresql/<v>/extension
        Path root = version.getParent() == null || version.getParent().getParent() == null ? null
                : version.getParent().getParent().getParent();
        return root != null && Files.exists(root.resolve("share/postgresql").resolve(version.getFileName())
                .resolve("extension/timescaledb.control"));
    }

    private static Path binDir() throws IOException {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparing(Path::toString))
                    .orElseThrow(() -> new IOException("no initdb under /usr/lib/postgresql"));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException("PostgreSQL is not installed (apt-get install postgresql), and RTM_TEST_PG_URL is not set");
        }
    }

    /**
     * Starts a cluster as above; with {@code timescale}, one that preloads TimescaleDB (or the
     * database {@code RTM_TEST_TIMESCALE_URL} names).
     */
    public static PostgresServer start(Path dir, boolean timescale) throws IOException, InterruptedException, SQLException {
        String external = System.getenv(timescale ? "RTM_TEST_TIMESCALE_URL" : "RTM_TEST_PG_URL");
        if (external != null && !external.isBlank()) {
            return new PostgresServer(external, null, null, false);
        }
        Path bin = timescale ? timescaleBinDir() : binDir();
        if (bin == null) {
            throw new IOException(TIMESCALE_HOW);
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        Path base = dir.toAbsolutePath();
        Path data = base.resolve("data");
        Files.createDirectories(base);
        if (root) {
            run(List.of("chown", "-R", "postgres:postgres", base.toString()), base, false);
            // the postgres user must be able to reach the dir (JUnit temp dirs are mode 700)
            for (Path p = base.getParent(); p != null; p = p.getParent()) {
                var perms = Files.getPosixFilePermissions(p);
                if (perms.add(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
                    Files.setPosixFilePermissions(p, perms);
                }
            }
        }
        int port = Processes.freePort();
        run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "rtm", "--auth=trust",
                "-E", "UTF8", "--no-sync"), base, root);
        List<String> startCmd = List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-t", "60",
                "-l", base.resolve("postgres.log").toString(),
                "-o", "-p " + port + " -k " + base + " -c listen_addresses=127.0.0.1 -c fsync=off"
                        + " -c synchronous_commit=off -c full_page_writes=off"
                        + (timescale ? " -c shared_preload_libraries=timescaledb -c timescaledb.telemetry_level=off" : ""),
                "start");
        run(startCmd, base, root);
        PostgresServer pg = new PostgresServer("jdbc:postgresql://127.0.0.1:" + port + "/rtm?user=rtm", data, bin, root);
        pg.startCmd = startCmd;
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=rtm");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE rtm");
        } catch (SQLException e) {
            pg.close();
            throw e;
        }
        return pg;
    }

    private static void run(List<String> cmd, Path dir, boolean asPostgres) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asPostgres) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(cmd);
        Path log = Files.createTempFile(dir, "cmd", ".log");
        Process p = new ProcessBuilder(full).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            Processes.stop(p);
            throw new IOException(String.join(" ", cmd) + " did not finish in 120 s");
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed (exit " + p.exitValue() + "): " + Files.readString(log));
        }
    }

    /** The JDBC URL of database {@code rtm}. */
    public String url() {
        return url;
    }

    /** A new connection. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url);
    }

    private List<String> startCmd;

    /** Stops the server (fast shutdown: open connections are cut), keeping its data; {@link #restart} brings it back. */
    public void stop() throws IOException, InterruptedException {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "-t", "60", "stop"),
                data.getParent(), asPostgres);
    }

    /** Starts a stopped server again on the same port and data. */
    public void restart() throws IOException, InterruptedException {
        if (startCmd == null) {
            throw new IllegalStateException("only a server this class started can be restarted");
        }
        run(startCmd, data.getParent(), asPostgres);
    }

    @Override
    public void close() {
        if (data == null) {
            return;
        }
        try {
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "-t", "60", "stop"),
                    data.getParent(), asPostgres);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("could not stop the test PostgreSQL in " + data + ": " + e.getMessage(), e);
        }
    }
}
