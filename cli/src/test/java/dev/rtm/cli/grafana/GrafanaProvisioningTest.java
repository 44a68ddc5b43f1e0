package dev.rtm.cli.grafana;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The provisioning files as Grafana reads them: every key of grafana/provisioning/**.yaml is one
 * Grafana's provisioning documentation lists (administration/provisioning: data sources and dashboard
 * providers; datasources/postgres/configure: "Provisioning configuration reference" for PostgreSQL's
 * jsonData and secureJsonData), with the documented value type, and the PostgreSQL data source the
 * compose stack points at TimescaleDB has {@code timescaledb: true}. Grafana ignores an unknown key
 * silently (a misspelt {@code timescaleDB} would just leave the flag off), hence this check.
 */
class GrafanaProvisioningTest {

    static final Path PROVISIONING = Path.of("..", "grafana", "provisioning");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    enum Kind { STRING, INT, BOOL, MAP, LIST }

    static final Map<String, Kind> DATASOURCES_FILE = Map.of("apiVersion", Kind.INT, "datasources", Kind.LIST,
            "deleteDatasources", Kind.LIST, "prune", Kind.BOOL);
    static final Map<String, Kind> DATASOURCE = Map.ofEntries(Map.entry("name", Kind.STRING), Map.entry("type", Kind.STRING),
            Map.entry("access", Kind.STRING), Map.entry("orgId", Kind.INT), Map.entry("uid", Kind.STRING),
            Map.entry("url", Kind.STRING), Map.entry("user", Kind.STRING), Map.entry("database", Kind.STRING),
            Map.entry("basicAuth", Kind.BOOL), Map.entry("basicAuthUser", Kind.STRING), Map.entry("withCredentials", Kind.BOOL),
            Map.entry("isDefault", Kind.BOOL), Map.entry("jsonData", Kind.MAP), Map.entry("secureJsonData", Kind.MAP),
            Map.entry("version", Kind.INT), Map.entry("editable", Kind.BOOL));
    /** PostgreSQL's table (configure page), plus the common SQL/TLS keys of the provisioning page. */
    static final Map<String, Kind> POSTGRES_JSON = Map.ofEntries(Map.entry("database", Kind.STRING),
            Map.entry("sslmode", Kind.STRING), Map.entry("maxOpenConns", Kind.INT), Map.entry("maxIdleConns", Kind.INT),
            Map.entry("maxIdleConnsAuto", Kind.BOOL), Map.entry("connMaxLifetime", Kind.INT),
            Map.entry("postgresVersion", Kind.INT), Map.entry("timescaledb", Kind.BOOL),
            Map.entry("tlsConfigurationMethod", Kind.STRING), Map.entry("sslRootCertFile", Kind.STRING),
            Map.entry("sslCertFile", Kind.STRING), Map.entry("sslKeyFile", Kind.STRING), Map.entry("timeInterval", Kind.STRING),
            Map.entry("tlsAuthWithCACert", Kind.BOOL), Map.entry("tlsSkipVerify", Kind.BOOL));
    static final Map<String, Kind> POSTGRES_SECURE = Map.of("password", Kind.STRING, "tlsCACert", Kind.STRING,
            "tlsClientCert", Kind.STRING, "tlsClientKey", Kind.STRING);
    /** The provisioning page's Prometheus and HTTP rows. */
    static final Map<String, Kind> PROMETHEUS_JSON = Map.ofEntries(Map.entry("timeInterval", Kind.STRING),
            Map.entry("httpMethod", Kind.STRING), Map.entry("customQueryParameters", Kind.STRING),
            Map.entry("manageAlerts", Kind.BOOL), Map.entry("alertmanagerUid", Kind.STRING),
            Map.entry("prometheusVersion", Kind.STRING), Map.entry("prometheusType", Kind.STRING),
            Map.entry("cacheLevel", Kind.STRING), Map.entry("incrementalQuerying", Kind.BOOL),
            Map.entry("incrementalQueryOverlapWindow", Kind.STRING), Map.entry("disableRecordingRules", Kind.BOOL),
            Map.entry("tlsAuth", Kind.BOOL), Map.entry("tlsAuthWithCACert", Kind.BOOL), Map.entry("tlsSkipVerify", Kind.BOOL),
            Map.entry("serverName", Kind.STRING), Map.entry("timeout", Kind.STRING), Map.entry("keepCookies", Kind.LIST),
            Map.entry("sigV4Auth", Kind.BOOL), Map.entry("sigV4AuthType", Kind.STRING), Map.entry("sigV4Region", Kind.STRING));
    static final Map<String, Kind> PROMETHEUS_SECURE = Map.of("basicAuthPassword", Kind.STRING, "tlsCACert", Kind.STRING,
            "tlsClientCert", Kind.STRING, "tlsClientKey", Kind.STRING);
    static final Map<String, Kind> PROVIDERS_FILE = Map.of("apiVersion", Kind.INT, "providers", Kind.LIST);
    static final Map<String, Kind> PROVIDER = Map.of("name", Kind.STRING, "orgId", Kind.INT, "folder", Kind.STRING,
            "folderUid", Kind.STRING, "type", Kind.STRING, "disableDeletion", Kind.BOOL, "updateIntervalSeconds", Kind.INT,
            "allowUiUpdates", Kind.BOOL, "options", Kind.MAP);
    static final Map<String, Kind> PROVIDER_OPTIONS = Map.of("path", Kind.STRING, "foldersFromFilesStructure", Kind.BOOL);

    static final Set<String> POSTGRES_TYPES = Set.of("grafana-postgresql-datasource", "postgres");

    /** What Grafana would not read as meant, one line per problem: file, key path, why. */
    static List<String> problems(String file, JsonNode yaml) {
        List<String> out = new ArrayList<>();
        if (yaml.has("datasources") || yaml.has("deleteDatasources")) {
            keys(out, file, "", yaml, DATASOURCES_FILE);
            int i = 0;
            for (JsonNode ds : yaml.path("datasources")) {
                String at = "datasources[" + i++ + "]";
                keys(out, file, at, ds, DATASOURCE);
                required(out, file, at, ds, "name", "type");
                if (ds.has("access") && !Set.of("proxy", "direct").contains(ds.path("access").asText())) {
                    out.add(file + ": " + at + ".access: '" + ds.path("access").asText() + "' is not proxy or direct");
                }
                String type = ds.path("type").asText();
                if (POSTGRES_TYPES.contains(type)) {
                    keys(out, file, at + ".jsonData", ds.path("jsonData"), POSTGRES_JSON);
                    keys(out, file, at + ".secureJsonData", ds.path("secureJsonData"), POSTGRES_SECURE);
                    String sslmode = ds.path("jsonData").path("sslmode").asText("disable");
                    if (!Set.of("disable", "require", "verify-ca", "verify-full").contains(sslmode)) {
                        out.add(file + ": " + at + ".jsonData.sslmode: '" + sslmode + "' is not disable, require, verify-ca or verify-full");
                    }
                    required(out, file, at + ".jsonData", ds.path("jsonData"), "database");
                } else if (type.equals("prometheus")) {
                    keys(out, file, at + ".jsonData", ds.path("jsonData"), PROMETHEUS_JSON);
                    keys(out, file, at + ".secureJsonData", ds.path("secureJsonData"), PROMETHEUS_SECURE);
                } else {
                    out.add(file + ": " + at + ".type: '" + type + "' has no documented key set here");
                }
            }
        } else if (yaml.has("providers")) {
            keys(out, file, "", yaml, PROVIDERS_FILE);
            int i = 0;
            for (JsonNode p : yaml.path("providers")) {
                String at = "providers[" + i++ + "]";
                keys(out, file, at, p, PROVIDER);
                keys(out, file, at + ".options", p.path("options"), PROVIDER_OPTIONS);
                required(out, file, at, p, "name");
                if (p.path("type").asText("file").equals("file")) {
                    required(out, file, at + ".options", p.path("options"), "path");
                }
            }
        } else {
            out.add(file + ": neither datasources nor providers");
        }
        if (yaml.path("apiVersion").asInt() != 1) {
            out.add(file + ": apiVersion: must be 1");
        }
        return out;
    }

    private static void keys(List<String> out, String file, String at, JsonNode node, Map<String, Kind> documented) {
        if (node.isMissingNode() || node.isNull()) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String path = (at.isEmpty() ? "" : at + ".") + e.getKey();
            Kind kind = documented.get(e.getKey());
            if (kind == null) {
                out.add(file + ": " + path + ": not a key Grafana's provisioning documents here (it would be ignored); documented: "
                        + new java.util.TreeSet<>(documented.keySet()));
            } else if (!is(kind, e.getValue())) {
                out.add(file + ": " + path + ": " + e.getValue() + " is not " + kind.name().toLowerCase(java.util.Locale.ROOT));
            }
        }
    }

    /** YAML gives {@code ${VAR}} as a string: Grafana substitutes it before reading the value. */
    private static boolean is(Kind kind, JsonNode v) {
        boolean env = v.isTextual() && v.asText().matches("\\$\\{?[A-Za-z_][A-Za-z0-9_]*}?");
        return switch (kind) {
            case STRING -> v.isTextual();
            case INT -> v.isInt() || env;
            case BOOL -> v.isBoolean() || env;
            case MAP -> v.isObject();
            case LIST -> v.isArray();
        };
    }

    private static void required(List<String> out, String file, String at, JsonNode node, String... keys) {
        for (String k : keys) {
            if (node.path(k).asText().isBlank()) {
                out.add(file + ": " + at + "." + k + ": required");
            }
        }
    }

    static List<Path> files() throws Exception {
        try (Stream<Path> s = Files.walk(PROVISIONING)) {
            return s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        }
    }

    @Test
    void everyProvisioningKeyIsADocumentedOneWithItsType() throws Exception {
        assertThat(files()).extracting(p -> PROVISIONING.relativize(p).toString())
                .containsExactly("dashboards/rtm.yaml", "datasources/rtm.yaml");
        List<String> problems = new ArrayList<>();
        for (Path file : files()) {
            problems.addAll(problems(PROVISIONING.relativize(file).toString(), YAML.readTree(file.toFile())));
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void theDataSourceOnTheComposeStacksTimescaleDbHasTimescaledbTrue() throws Exception {
        JsonNode compose = YAML.readTree(Path.of("..", "docker-compose.yml").toFile());
        String hostport = compose.path("services").path("grafana").path("environment").path("RTM_PG_HOSTPORT").asText();
        String service = hostport.replaceAll(":.*", "");
        assertThat(compose.path("services").path(service).path("image").asText())
                .as("Grafana's database (%s) runs the TimescaleDB image", hostport).startsWith("timescale/timescaledb:");
        JsonNode pg = null;
        for (JsonNode ds : YAML.readTree(PROVISIONING.resolve("datasources/rtm.yaml").toFile()).path("datasources")) {
            if (POSTGRES_TYPES.contains(ds.path("type").asText())) {
                pg = ds;
            }
        }
        assertThat(pg).isNotNull();
        assertThat(pg.path("url").asText()).isEqualTo("${RTM_PG_HOSTPORT}");
        assertThat(pg.path("jsonData").path("timescaledb").isBoolean()).as("a YAML boolean, not a string").isTrue();
        assertThat(pg.path("jsonData").path("timescaledb").asBoolean()).as("timescaledb on the TimescaleDB data source").isTrue();
    }

    @Test
    void misspeltKeysWrongTypesAndUnknownValuesAreReportedWithFileAndPath() throws Exception {
        JsonNode bad = YAML.readTree("""
                apiVersion: 1
                datasources:
                  - name: rtm
                    type: grafana-postgresql-datasource
                    access: server
                    url: db:5432
                    jsonData:
                      database: rtm
                      timescaleDB: true
                      sslmode: prefer
                      postgresVersion: "15"
                    secureJsonData:
                      passwd: x
                """);
        assertThat(problems("datasources/bad.yaml", bad)).containsExactlyInAnyOrder(
                "datasources/bad.yaml: datasources[0].access: 'server' is not proxy or direct",
                "datasources/bad.yaml: datasources[0].jsonData.timescaleDB: not a key Grafana's provisioning documents here "
                        + "(it would be ignored); documented: " + new java.util.TreeSet<>(POSTGRES_JSON.keySet()),
                "datasources/bad.yaml: datasources[0].jsonData.sslmode: 'prefer' is not disable, require, verify-ca or verify-full",
                "datasources/bad.yaml: datasources[0].jsonData.postgresVersion: \"15\" is not int",
                "datasources/bad.yaml: datasources[0].secureJsonData.passwd: not a key Grafana's provisioning documents here "
                        + "(it would be ignored); documented: " + new java.util.TreeSet<>(POSTGRES_SECURE.keySet()));
        JsonNode badProviders = YAML.readTree("""
                apiVersion: 1
                providers:
                  - name: rtm
                    updateIntervalSecs: 30
                    disableDeletion: "yes"
                    options: {folder: x}
                """);
        assertThat(problems("dashboards/bad.yaml", badProviders)).hasSize(4)
                .anyMatch(p -> p.startsWith("dashboards/bad.yaml: providers[0].updateIntervalSecs: not a key"))
                .contains("dashboards/bad.yaml: providers[0].disableDeletion: \"yes\" is not bool",
                        "dashboards/bad.yaml: providers[0].options.path: required")
                .anyMatch(p -> p.startsWith("dashboards/bad.yaml: providers[0].options.folder: not a key"));
    }
}
