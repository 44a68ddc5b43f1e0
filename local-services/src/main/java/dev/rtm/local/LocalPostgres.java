package dev.rtm.local;

import dev.rtm.wire.Urls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The PostgreSQL the demo writes to: {@code RTM_PG_URL} (user and password in it or in
 * {@code RTM_PG_USER}/{@code RTM_PG_PASSWORD}) when set; otherwise the machine's installed
 * PostgreSQL (Debian's {@code pg_lsclusters}/{@code pg_ctlcluster}), started if it is stopped,
 * with a role and database {@code rtm} whose password is kept in {@code ~/.rtm/demo-pg-password}
 * (mode 600). Every step it takes is said; the password never is.
 */
public final class LocalPostgres {

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
            return dev.rtm.wire.Urls.redact(url) + " (user " + (user == null ? "from the URL" : user) + ")";
        }

        /** A connection to {@code jdbcUrl} (this database, or a variant of its URL) with these credentials. */
        public java.sql.Connection connect(String jdbcUrl) throws java.sql.SQLException {
            java.util.Properties p = new java.util.Properties();
            if (user != null) {
                p.setProperty("user", user);
            }
            if (password != null) {
                p.setProperty("password", password);
            }
            return java.sql.DriverManager.getConnection(jdbcUrl, p);
        }
    }

    private LocalPostgres() {
    }

    /** Finds or prepares the database, saying what it did through {@code say}. */
    public static Target ensure(Map<String, String> env, Consumer<String> say) {
        String url = env.get("RTM_PG_URL");
        if (url != null && !url.isBlank()) {
            say.accept("PostgreSQL: using RTM_PG_URL " + dev.rtm.wire.Urls.redact(url));
            return new Target(url, env.get("RTM_PG_USER"), env.get("RTM_PG_PASSWORD"));
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new LocalServiceException("RTM_PG_URL is not set, and only root can start the machine's PostgreSQL: set "
                    + "RTM_PG_URL (e.g. jdbc:postgresql://localhost:5432/rtm) and RTM_PG_USER/RTM_PG_PASSWORD");
        }
        List<String> clusters;
        try {
            clusters = run(List.of("pg_lsclusters", "--no-header"), null);
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
                run(List.of("pg_ctlcluster", version, name, "start"), null);
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
                run(List.of("runuser", "-u", "postgres", "--", "psql", "-q", "-p", port, "-v", "ON_ERROR_STOP=1", "-d", "postgres"), sql);
            } catch (IOException e) {
                throw new IOException(e.getMessage().replace(password, "******"));
            }
            List<String> has = run(List.of("runuser", "-u", "postgres", "--", "psql", "-p", port, "-tAc",
                    "SELECT 1 FROM pg_database WHERE datname = 'rtm'"), null);
            if (has.isEmpty() || !has.get(0).trim().equals("1")) {
                run(List.of("runuser", "-u", "postgres", "--", "createdb", "-p", port, "-O", "rtm", "rtm"), null);
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

    private static List<String> run(List<String> cmd, String stdin) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(cmd.get(0) + " " + (cmd.size() > 1 ? cmd.get(1) : "") + " failed: " + out.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return new ArrayList<>(out.lines().toList());
    }
}
