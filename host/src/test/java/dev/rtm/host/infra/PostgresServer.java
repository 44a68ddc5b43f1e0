package dev.rtm.host.infra;

import dev.rtm.host.demo.Processes;

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

    /**
     * Whether this machine's PostgreSQL has the TimescaleDB extension installed (or
     * {@code RTM_TEST_TIMESCALE_URL} names a database that has it).
     */
    public static boolean timescaleAvailable() throws IOException {
        String external = System.getenv("RTM_TEST_TIMESCALE_URL");
        if (external != null && !external.isBlank()) {
            return true;
        }
        Path bin = binDir();
        String version = bin.getParent().getFileName().toString();
        return Files.exists(Path.of("/usr/share/postgresql", version, "extension", "timescaledb.control"));
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
        Path bin = binDir();
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
