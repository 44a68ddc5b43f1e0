package dev.rtm.local;

import dev.rtm.wire.Urls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The one way rtm starts PostgreSQL on this machine, from Debian's {@code postgresql} package. Two
 * entry points, one set of commands:
 * <ul>
 *   <li>{@link #ensure}: the database {@code rtm demo}, the benches and {@code rtm init-db/job} write
 *   to when nothing else is configured: {@code RTM_PG_URL} (user and password in it or in
 *   {@code RTM_PG_USER}/{@code RTM_PG_PASSWORD}) when set; otherwise the machine's installed cluster
 *   ({@code pg_lsclusters}/{@code pg_ctlcluster}), started if it is stopped, with a role and database
 *   {@code rtm} whose password is kept in {@code ~/.rtm/demo-pg-password} (mode 600). It keeps running
 *   and keeps its rows. Every step is said; the password never is.</li>
 *   <li>{@link #start}: a throwaway {@link Cluster} for tests, made with {@code initdb} under a dir,
 *   on a free port, durability off, stopped by {@link Cluster#close()}.</li>
 * </ul>
 * PostgreSQL refuses to run as root, so as root its commands run as the {@code postgres} user.
 *
 * <p>TimescaleDB: Debian does not package it, so a cluster with the extension uses a private
 * PostgreSQL 15 built from the vendored source release ({@code ../shared/vendor/timescaledb/build DEST}):
 * its bin dir is {@code RTM_TIMESCALE_PG_BIN} (or the system property {@code rtm.timescale.pg.bin}),
 * else the first of {@code target/timescaledb} of the repository root and {@link #TIMESCALE_CACHE}
 * (where {@code .ci/run} builds it) that holds the build, else the machine's PostgreSQL if the
 * extension is installed there.
 */
public final class LocalPostgres {

    /** Where {@code .ci/run} builds TimescaleDB: outside the clone, reachable by the postgres user. */
    public static final Path TIMESCALE_CACHE = Path.of("/var/cache/rtm/timescaledb");

    /** How to build the extension, for skip and failure messages. */
    public static final String TIMESCALE_HOW = "TimescaleDB is not available: build it once from the repository root with "
            + "`../shared/vendor/timescaledb/build \"$PWD/target/timescaledb\"` (an absolute path; root installs its build "
            + "packages; 2-5 min, reused after), or set RTM_TIMESCALE_PG_BIN to the bin dir a build printed, or "
            + "RTM_TEST_TIMESCALE_URL to a throwaway TimescaleDB database";

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);

    /**
     * Where to connect.
     *
     * @param url JDBC URL
     * @param user user or null
     * @param password password or null
     */
    public record Target(String url, String user, String password) {
        @Override
        public String toString() {
            return Urls.redact(url) + " (user " + (user == null ? "from the URL" : user) + ")";
        }

        /** A connection to {@code jdbcUrl} (this database, or a variant of its URL) with these credentials. */
        public Connection connect(String jdbcUrl) throws SQLException {
            Properties p = new Properties();
            if (user != null) {
                p.setProperty("user", user);
            }
            if (password != null) {
                p.setProperty("password", password);
            }
            return DriverManager.getConnection(jdbcUrl, p);
        }
    }

    private LocalPostgres() {
    }

    /** Finds or prepares the database, saying what it did through {@code say}. */
    public static Target ensure(Map<String, String> env, Consumer<String> say) {
        String url = env.get("RTM_PG_URL");
        if (url != null && !url.isBlank()) {
            say.accept("PostgreSQL: using RTM_PG_URL " + Urls.redact(url));
            return new Target(url, env.get("RTM_PG_USER"), env.get("RTM_PG_PASSWORD"));
        }
        if (!root()) {
            throw new LocalServiceException("RTM_PG_URL is not set, and only root can start the machine's PostgreSQL: set "
                    + "RTM_PG_URL (e.g. jdbc:postgresql://localhost:5432/rtm) and RTM_PG_USER/RTM_PG_PASSWORD");
        }
        List<String> clusters;
        try {
            clusters = run(List.of("pg_lsclusters", "--no-header"), null, false, null);
        } catch (IOException e) {
            throw new LocalServiceException("PostgreSQL is not installed (no pg_lsclusters): apt-get install postgresql, "
                    + "or set RTM_PG_URL");
        }
        if (clusters.isEmpty() || clusters.get(0).isBlank()) {
            throw new LocalServiceException("PostgreSQL is installed but has no cluster: create one with pg_createcluster, "
                    + "or set RTM_PG_URL");
        }
        String[] c = clusters.get(0).trim().split("\\s+");
        String version = c[0];
        String name = c[1];
        String port = c[2];
        String status = c[3];
        try {
            if (!status.startsWith("online")) {
                run(List.of("pg_ctlcluster", version, name, "start"), null, false, null);
                say.accept("PostgreSQL: started the installed PostgreSQL " + version + " cluster '" + name + "' on port "
                        + port + " (it keeps running after the demo; stop it with: pg_ctlcluster " + version + " "
                        + name + " stop)");
            } else {
                say.accept("PostgreSQL: using the running PostgreSQL " + version + " cluster '" + name + "' on port " + port);
            }
            String password = password();
            String sql = "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'rtm') THEN "
                    + "CREATE ROLE rtm LOGIN; END IF; END $$;\n"
                    + "ALTER ROLE rtm WITH LOGIN PASSWORD '" + password + "';\n";
            try {
                run(List.of("psql", "-q", "-p", port, "-v", "ON_ERROR_STOP=1", "-d", "postgres"), null, true, sql);
            } catch (IOException e) {
                throw new IOException(e.getMessage().replace(password, "******"));
            }
            List<String> has = run(List.of("psql", "-p", port, "-tAc", "SELECT 1 FROM pg_database WHERE datname = 'rtm'"),
                    null, true, null);
            if (has.isEmpty() || !has.get(0).trim().equals("1")) {
                run(List.of("createdb", "-p", port, "-O", "rtm", "rtm"), null, true, null);
                say.accept("PostgreSQL: created database rtm (owner rtm)");
            }
            say.accept("PostgreSQL: role rtm's password is in ~/.rtm/demo-pg-password");
            return new Target("jdbc:postgresql://127.0.0.1:" + port + "/rtm", "rtm", password);
        } catch (IOException e) {
            throw new LocalServiceException("could not prepare the local PostgreSQL: " + e.getMessage());
        }
    }

    private static String password() throws IOException {
        Path dir = Path.of(System.getProperty("user.home"), ".rtm");
        Path file = dir.resolve("demo-pg-password");
        if (Files.isRegularFile(file)) {
            return Files.readString(file).strip();
        }
        Files.createDirectories(dir);
        byte[] b = new byte[18];
        new SecureRandom().nextBytes(b);
        String pw = HexFormat.of().formatHex(b);
        Files.writeString(file, pw + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return pw;
    }

    /**
     * Starts a throwaway cluster under {@code dir} with a database {@code rtm} (user {@code rtm},
     * trust auth on 127.0.0.1 only, fsync off); with {@code timescale}, one that preloads TimescaleDB.
     *
     * @throws IOException when PostgreSQL (or, with {@code timescale}, TimescaleDB; see the class
     *     comment) is not installed, or a command fails (its output in the message)
     */
    public static Cluster start(Path dir, boolean timescale) throws IOException {
        Path bin = timescale ? timescaleBinDir() : binDir();
        if (bin == null) {
            throw new IOException(TIMESCALE_HOW);
        }
        boolean asPostgres = root();
        Path base = dir.toAbsolutePath();
        Path data = base.resolve("data");
        Files.createDirectories(base);
        if (asPostgres) {
            run(List.of("chown", "-R", "postgres:postgres", base.toString()), base, false, null);
            // the postgres user must be able to reach the dir (JUnit temp dirs are mode 700)
            for (Path p = base.getParent(); p != null; p = p.getParent()) {
                var perms = Files.getPosixFilePermissions(p);
                if (perms.add(PosixFilePermission.OTHERS_EXECUTE)) {
                    Files.setPosixFilePermissions(p, perms);
                }
            }
        }
        int port = Processes.freePort();
        run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "rtm", "--auth=trust",
                "-E", "UTF8", "--no-sync"), base, asPostgres, null);
        Cluster cluster = new Cluster(port, data, bin, asPostgres, List.of(bin.resolve("pg_ctl").toString(),
                "-D", data.toString(), "-w", "-t", "60", "-l", base.resolve("postgres.log").toString(),
                "-o", "-p " + port + " -k " + base + " -c listen_addresses=127.0.0.1 -c fsync=off"
                        + " -c synchronous_commit=off -c full_page_writes=off"
                        + (timescale ? " -c shared_preload_libraries=timescaledb -c timescaledb.telemetry_level=off" : ""),
                "start"));
        cluster.launch();
        try {
            run(List.of(bin.resolve("createdb").toString(), "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", "rtm", "rtm"),
                    base, false, null);
        } catch (IOException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** A throwaway cluster {@link #start} made: its own data dir and port, stopped by {@link #close()}. */
    public static final class Cluster implements AutoCloseable {

        private final int port;
        private final Path data;
        private final Path bin;
        private final boolean asPostgres;
        private final List<String> startCommand;

        private Cluster(int port, Path data, Path bin, boolean asPostgres, List<String> startCommand) {
            this.port = port;
            this.data = data;
            this.bin = bin;
            this.asPostgres = asPostgres;
            this.startCommand = startCommand;
        }

        /** The JDBC URL of database {@code rtm}, user {@code rtm} in it (trust auth: no password). */
        public String url() {
            return "jdbc:postgresql://127.0.0.1:" + port + "/rtm?user=rtm";
        }

        /** A new connection to database {@code rtm}. */
        public Connection connect() throws SQLException {
            return DriverManager.getConnection(url());
        }

        /** Stops the server (fast shutdown: open connections are cut), keeping its data; {@link #restart} brings it back. */
        public void stop() throws IOException {
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "-t", "60", "stop"),
                    data.getParent(), asPostgres, null);
        }

        /** Starts the stopped server again on the same port and data, and waits until it accepts connections. */
        public void restart() throws IOException {
            launch();
        }

        private void launch() throws IOException {
            run(startCommand, data.getParent(), asPostgres, null); // pg_ctl -w: returns once it accepts connections
        }

        /** Stops the server. */
        @Override
        public void close() {
            try {
                stop();
            } catch (IOException e) {
                throw new LocalServiceException("could not stop the PostgreSQL in " + data + ": " + e.getMessage());
            }
        }
    }

    /** The bin dir of a PostgreSQL that has the TimescaleDB extension (see the class comment), or null. */
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
                    Path bin = versions.map(v -> v.resolve("bin")).filter(LocalPostgres::hasTimescale)
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

    /** The newest installed PostgreSQL's bin dir. */
    private static Path binDir() throws IOException {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparing(Path::toString))
                    .orElseThrow(() -> new IOException("no initdb under /usr/lib/postgresql"));
        } catch (NoSuchFileException e) {
            throw new IOException("PostgreSQL is not installed (apt-get install postgresql)");
        }
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    /**
     * Runs a PostgreSQL command (as the {@code postgres} user when {@code asPostgres}) in {@code dir}
     * (null: this process's), feeding it {@code stdin} if not null, and returns its output lines.
     *
     * @throws IOException when it cannot start, fails (with its output) or takes over two minutes
     */
    private static List<String> run(List<String> cmd, Path dir, boolean asPostgres, String stdin) throws IOException {
        List<String> full = new ArrayList<>();
        if (asPostgres) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(cmd);
        // output to a file, not a pipe: a server a command starts must not hold our pipe open
        Path log = dir == null ? Files.createTempFile("pg-command", ".log") : Files.createTempFile(dir, "pg-command", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(log.toFile());
            if (dir != null) {
                pb.directory(dir.toFile());
            }
            Process p = pb.start();
            try (var in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            String what = Path.of(cmd.get(0)).getFileName() + (cmd.size() > 1 ? " " + cmd.get(1) : "");
            if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                Processes.stop(p);
                throw new IOException(what + " did not finish in " + COMMAND_TIMEOUT.toSeconds() + " s");
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IOException(what + " failed (exit " + p.exitValue() + "): " + out.strip());
            }
            return new ArrayList<>(out.lines().toList());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
