package dev.rtm.host.config;

import dev.rtm.wire.Urls;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks of the host's text keys whose form is known: addresses, topic names, URLs and dirs, so a
 * value that could never work is refused at start naming its key, not when the job first uses it.
 * Messages never repeat a URL with its credentials.
 */
final class HostFormats {

    private static final Pattern HOST_PORT = Pattern.compile("[A-Za-z0-9._\\-\\[\\]:]+:\\d{1,5}");
    private static final Pattern ADDRESS = Pattern.compile("[A-Za-z0-9._\\-:%]{1,253}");
    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._\\-]{1,249}");

    private HostFormats() {
    }

    static void check(HostSettings host, ConfigProblems problems) {
        var k = host.kafka();
        for (String server : k.get(HostSettings.Kafka.BOOTSTRAP).split(",")) {
            if (!HOST_PORT.matcher(server.strip()).matches()) {
                problems.add("kafka." + HostSettings.Kafka.BOOTSTRAP.name(), "'" + server.strip()
                        + "' is not host:port (a comma-separated list of them, e.g. localhost:9092)");
            }
        }
        for (var topic : List.of(HostSettings.Kafka.METRICS, HostSettings.Kafka.DLQ, HostSettings.Kafka.ANOMALIES,
                HostSettings.Kafka.ALERTS)) {
            String v = k.get(topic);
            if (!TOPIC.matcher(v).matches() || v.equals(".") || v.equals("..")) {
                problems.add("kafka." + topic.name(), "'" + v + "' is not a Kafka topic name (letters, digits, '.', '_', '-')");
            }
        }
        httpUrl(k.get(HostSettings.Kafka.REGISTRY), "kafka." + HostSettings.Kafka.REGISTRY.name(), problems);
        var in = host.ingest();
        String bind = in.get(HostSettings.Ingest.BIND).strip();
        if (!ADDRESS.matcher(bind).matches() || bind.chars().filter(c -> c == ':').count() == 1) {
            problems.add("ingest." + HostSettings.Ingest.BIND.name(), "'" + bind
                    + "' is not an address to listen on (a host name or IP address like 0.0.0.0, 127.0.0.1 or ::; the port is ingest.port)");
        }
        String topic = in.get(HostSettings.Ingest.TOPIC);
        if (!topic.equals("default") && (!TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals(".."))) {
            problems.add("ingest." + HostSettings.Ingest.TOPIC.name(), "'" + topic
                    + "' is not a Kafka topic name (letters, digits, '.', '_', '-') or default (kafka.metrics-topic)");
        }
        httpUrl(host.alerts().get(HostSettings.Alerts.GRAFANA_URL), "alerts." + HostSettings.Alerts.GRAFANA_URL.name(), problems);
        String pg = host.postgres().get(HostSettings.Postgres.URL);
        if (!pg.equals("none") && !pg.startsWith("jdbc:postgresql:")) {
            problems.add("postgres." + HostSettings.Postgres.URL.name(), "'" + Urls.redact(pg)
                    + "' is not a PostgreSQL JDBC URL (jdbc:postgresql://host:5432/db) or none");
        }
        String dir = host.job().get(HostSettings.Job.CHECKPOINT_DIR);
        if (!dir.equals("default") && !dir.equals("none") && !dir.startsWith("/") && !dir.matches("[a-zA-Z][a-zA-Z0-9+.\\-]*:/.*")) {
            problems.add("job." + HostSettings.Job.CHECKPOINT_DIR.name(), "'" + Urls.redact(dir)
                    + "' is not default, none, an absolute path or a URI like file:///var/lib/rtm/checkpoints or s3://bucket/dir");
        }
    }

    private static void httpUrl(String v, String path, ConfigProblems problems) {
        if (v.equals("none")) {
            return;
        }
        try {
            var u = new java.net.URI(v);
            if (("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null) {
                return;
            }
        } catch (java.net.URISyntaxException e) {
            // said below
        }
        problems.add(path, "'" + Urls.redact(v) + "' is not an http:// or https:// URL, or none");
    }
}
