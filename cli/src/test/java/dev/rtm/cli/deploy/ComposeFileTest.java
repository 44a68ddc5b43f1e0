package dev.rtm.cli.deploy;

import static dev.rtm.cli.deploy.DeployFiles.list;
import static dev.rtm.cli.deploy.DeployFiles.map;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rtm.host.config.ConfigLoader;
import dev.rtm.host.config.HostSettings;
import dev.rtm.api.Settings;
import dev.rtm.host.job.FlinkJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.flink.client.cli.CliFrontendParser;
import org.apache.flink.runtime.entrypoint.parser.CommandLineOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml against the code and the build, since no Docker engine runs here to start it
 * (CI also runs {@code docker-compose config -q}): the images are pinned and at the versions the
 * build tests, every long-running service has a health check and is waited for by it, the topics
 * are the config's, every {@code service:port} reference points at a port that service listens on,
 * every variable the services get is one the code, the config or Grafana's provisioning reads, and
 * every mounted path is the repository's.
 */
class ComposeFileTest {

    /** Where {@code mvn package} builds the job jar, and where the rtm image has it (Dockerfile). */
    static final String BUILT_JOB_JAR = "cli/target/rtm/job/rtm-job.jar";
    static final String IMAGE_JOB_JAR = "/opt/rtm/job/rtm-job.jar";

    private static Path root;
    private static Map<String, Object> compose;
    private static Map<String, Map<String, Object>> services;

    @BeforeAll
    static void load() throws Exception {
        root = DeployFiles.root();
        compose = DeployFiles.yaml(root.resolve("docker-compose.yml"));
        services = new LinkedHashMap<>();
        map(compose.get("services")).forEach((name, s) -> services.put(name, map(s)));
    }

    private static String image(String service) {
        return (String) services.get(service).get("image");
    }

    private static String tag(String image) {
        return image.substring(image.lastIndexOf(':') + 1);
    }

    /** A one-shot service (topics, plugins copy): it runs to completion, so it is waited for by that, not by a health check. */
    private static boolean oneShot(Map<String, Object> service) {
        return "no".equals(String.valueOf(service.get("restart")));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> env(String service) {
        Map<String, String> env = new TreeMap<>();
        Object e = services.get(service).get("environment");
        if (e instanceof Map<?, ?> m) {
            ((Map<String, Object>) m).forEach((k, v) -> env.put(k, v == null ? "" : String.valueOf(v)));
        } else {
            for (Object item : list(e)) {
                String s = String.valueOf(item);
                int eq = s.indexOf('=');
                env.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? "" : s.substring(eq + 1));
            }
        }
        return env;
    }

    /** What compose would pass for {@code ${VAR:-default}}/{@code ${VAR:?msg}}: the default, or a dummy for required ones. */
    private static String resolve(String value) {
        return value.replaceAll("\\$\\{[A-Z0-9_]+:-([^}]*)}", "$1").replaceAll("\\$\\{[A-Z0-9_]+:\\?[^}]*}", "dummy");
    }

    /** A service's command as one string (compose takes a string or a list). */
    private static String command(String service) {
        Object c = services.get(service).get("command");
        return c instanceof List<?> l ? l.stream().map(String::valueOf).collect(Collectors.joining(" ")) : c == null ? "" : String.valueOf(c);
    }

    private static List<String> rtmImageServices() {
        return services.keySet().stream().filter(s -> image(s).startsWith("rtm:")).toList();
    }

    private static List<String> flinkServices() {
        return services.keySet().stream().filter(s -> image(s).startsWith("flink:")).toList();
    }

    @Test
    void everyImageIsPinnedToAnExactVersion() throws Exception {
        Pattern exact = Pattern.compile("[^:@]+:v?\\d+\\.\\d+\\.\\d+[A-Za-z0-9_.-]*");
        for (var e : services.entrySet()) {
            String img = (String) e.getValue().get("image");
            assertThat(img).as("service %s has an image", e.getKey()).isNotNull();
            assertThat(img).as("image of %s: name:major.minor.patch[-variant], no latest, no bare major", e.getKey())
                    .matches(exact).doesNotContain("latest");
        }
        List<String> from = Files.readAllLines(root.resolve("Dockerfile")).stream()
                .filter(l -> l.startsWith("FROM ")).map(l -> l.split("\\s+")[1]).toList();
        assertThat(from).as("Dockerfile stages").hasSizeGreaterThanOrEqualTo(2);
        assertThat(from).allSatisfy(img -> assertThat(img).matches(exact).doesNotContain("latest"));
    }

    @Test
    void versionsAreTheOnesTheBuildUsesAndTests() throws Exception {
        String java = DeployFiles.pomProperty("maven.compiler.release");
        assertThat(flinkServices()).containsExactlyInAnyOrder("jobmanager", "taskmanager");
        for (String s : flinkServices()) {
            assertThat(image(s)).as("the official Flink image of the job's Flink version and Java")
                    .isEqualTo("flink:" + DeployFiles.pomProperty("flink.version") + "-java" + java);
        }
        assertThat(image("kafka")).isEqualTo("apache/kafka:" + DeployFiles.pomProperty("kafka.version"));
        assertThat(image("kafka-topics")).isEqualTo(image("kafka"));
        assertThat(image("registry")).as("the Apicurio the tests and rtm demo run")
                .isEqualTo("apicurio/apicurio-registry-mem:" + DeployFiles.pomProperty("apicurio.version"));
        assertThat(rtmImageServices()).containsExactlyInAnyOrder("rtm-init", "rtm-agent");
        for (String s : rtmImageServices()) {
            assertThat(image(s)).isEqualTo("rtm:" + DeployFiles.pomProperty("project.version"));
            assertThat(map(services.get(s).get("build"))).as("%s is built from this checkout", s)
                    .containsEntry("context", ".").containsEntry("dockerfile", "Dockerfile");
        }
        assertThat(image("timescaledb")).startsWith("timescale/timescaledb:");
        // the TimescaleDB release CI builds from source and runs the SQL on
        try (Stream<Path> tarballs = Files.list(DeployFiles.vendor().resolve("timescaledb"))) {
            String vendored = tarballs.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("timescaledb-[0-9.]+\\.tar\\.gz")).findFirst().orElseThrow()
                    .replaceAll("timescaledb-([0-9.]+)\\.tar\\.gz", "$1");
            assertThat(tag(image("timescaledb"))).startsWith(vendored + "-pg");
        }
        // the build stage compiles for, and the runtime stage runs, the project's Java
        List<String> from = Files.readAllLines(root.resolve("Dockerfile")).stream().filter(l -> l.startsWith("FROM ")).toList();
        assertThat(from).allSatisfy(l -> assertThat(l).contains("eclipse-temurin:" + java + "."));
    }

    @Test
    void everyLongRunningServiceHasAHealthCheckAndIsWaitedForByIt() {
        for (var e : services.entrySet()) {
            if (oneShot(e.getValue())) {
                assertThat(e.getValue()).as("one-shot %s", e.getKey()).doesNotContainKey("healthcheck");
                continue;
            }
            Map<String, Object> hc = map(e.getValue().get("healthcheck"));
            assertThat(list(hc.get("test"))).as("healthcheck of %s", e.getKey()).isNotEmpty();
            assertThat(hc).as("healthcheck of %s", e.getKey()).containsKeys("interval", "retries");
        }
        int waits = 0;
        for (var e : services.entrySet()) {
            Object deps = e.getValue().get("depends_on");
            assertThat(deps).as("depends_on of %s is the long form, with a condition", e.getKey())
                    .satisfiesAnyOf(d -> assertThat(d).isNull(), d -> assertThat(d).isInstanceOf(Map.class));
            for (var d : map(deps).entrySet()) {
                assertThat(services).as("%s depends on a service of this file", e.getKey()).containsKey(d.getKey());
                String expected = oneShot(services.get(d.getKey())) ? "service_completed_successfully" : "service_healthy";
                assertThat(map(d.getValue()).get("condition")).as("%s -> %s", e.getKey(), d.getKey()).isEqualTo(expected);
                waits++;
            }
        }
        assertThat(waits).isGreaterThan(10);
        // the JobManager runs the job's main (schema, roles, submission): after the one-shots and what the job reads
        assertThat(map(services.get("jobmanager").get("depends_on"))).containsKeys("rtm-init", "kafka-topics", "timescaledb", "registry");
        assertThat(map(services.get("taskmanager").get("depends_on"))).containsKey("jobmanager");
        // Grafana logs in with the role the job's main creates; the TaskManager is healthy once the job runs
        assertThat(map(services.get("grafana").get("depends_on"))).containsKey("jobmanager");
        assertThat(String.join(" ", list(map(services.get("jobmanager").get("healthcheck")).get("test")).stream().map(String::valueOf).toList()))
                .contains("/jobs/overview");
        assertThat(String.join(" ", list(map(services.get("taskmanager").get("healthcheck")).get("test")).stream().map(String::valueOf).toList()))
                .contains("/dev/tcp/jobmanager/8081", "/jobs/overview", "\"state\":\"RUNNING\"");
    }

    @Test
    void topicsCreatedAtStartAreTheConfigsTopics() throws Exception {
        Map<String, String> env = new HashMap<>();
        env("jobmanager").forEach((k, v) -> env.put(k, resolve(v)));
        Settings kafka = ConfigLoader.load(root.resolve("rtm.yaml"), env).host().kafka();
        Set<String> configured = new TreeSet<>(List.of(kafka.get(HostSettings.Kafka.METRICS), kafka.get(HostSettings.Kafka.DLQ),
                kafka.get(HostSettings.Kafka.ANOMALIES), kafka.get(HostSettings.Kafka.ALERTS)));
        assertThat(configured).doesNotContain("none").hasSize(4);
        Set<String> created = new TreeSet<>(List.of(env("kafka-topics").get("TOPICS").trim().split("\\s+")));
        assertThat(created).isEqualTo(configured);
        assertThat(command("kafka-topics")).contains("--create --if-not-exists").contains("$$TOPICS").contains("kafka:9092");
        // and the config the rtm services read is the one in the repository, resolved to this stack
        assertThat(kafka.get(HostSettings.Kafka.BOOTSTRAP)).isEqualTo("kafka:9092");
        assertThat(kafka.get(HostSettings.Kafka.REGISTRY)).startsWith("http://registry:8080/");
    }

    @Test
    void everyServicePortReferenceIsAPortThatServiceListensOn() {
        Map<String, Set<Integer>> listens = new TreeMap<>();
        services.forEach((name, s) -> {
            Set<Integer> ports = new TreeSet<>();
            list(s.get("expose")).forEach(p -> ports.add(Integer.parseInt(String.valueOf(p))));
            list(s.get("ports")).forEach(p -> {
                String spec = String.valueOf(p);
                ports.add(Integer.parseInt(spec.substring(spec.lastIndexOf(':') + 1)));
            });
            listens.put(name, ports);
        });
        String names = services.keySet().stream().map(Pattern::quote).collect(Collectors.joining("|"));
        Pattern hostPort = Pattern.compile("(?<![\\w.-])(" + names + "):(\\d+)\\b");
        Pattern devTcp = Pattern.compile("/dev/tcp/(" + names + ")/(\\d+)\\b");
        List<String> refs = new ArrayList<>();
        services.forEach((name, s) -> {
            List<String> texts = new ArrayList<>(env(name).values());
            texts.add(command(name));
            list(map(s.get("healthcheck")).get("test")).forEach(c -> texts.add(String.valueOf(c)));
            for (String text : texts) {
                for (Pattern p : List.of(hostPort, devTcp)) {
                    Matcher m = p.matcher(resolve(text));
                    while (m.find()) {
                        refs.add(name + " -> " + m.group(1) + ":" + m.group(2));
                        assertThat(listens.get(m.group(1))).as("%s refers to %s:%s", name, m.group(1), m.group(2))
                                .contains(Integer.parseInt(m.group(2)));
                    }
                }
            }
        });
        assertThat(refs).as("references found").contains("taskmanager -> jobmanager:8081", "jobmanager -> kafka:9092",
                "jobmanager -> registry:8080", "jobmanager -> timescaledb:5432", "grafana -> timescaledb:5432",
                "kafka-topics -> kafka:9092", "kafdrop -> kafka:9092");
        // what the services listen on is what they are configured to listen on
        String listeners = env("kafka").get("KAFKA_LISTENERS");
        for (int port : listens.get("kafka")) {
            assertThat(listeners).contains(":" + port);
        }
        assertThat(resolve(env("kafka").get("KAFKA_ADVERTISED_LISTENERS"))).contains("EXTERNAL://localhost:9094");
        assertThat(env("jobmanager").get("FLINK_PROPERTIES")).contains("rest.port: 8081");
        assertThat(resolve(env("jobmanager").get("RTM_GRAFANA_URL"))).isEqualTo("http://localhost:" + 3000);
        assertThat(listens.get("grafana")).contains(3000);
    }

    @Test
    void everyVariableGivenToAServiceIsOneItsCodeReads() throws Exception {
        String rtmYaml = Files.readString(root.resolve("rtm.yaml"));
        Set<String> readByRtm = new TreeSet<>(DeployFiles.envNamesInCode());
        readByRtm.addAll(DeployFiles.envNamesInConfig(rtmYaml));
        for (String s : Stream.concat(rtmImageServices().stream(), flinkServices().stream()).toList()) {
            if (oneShot(services.get(s))) {
                continue;
            }
            String command = command(s);
            for (String name : env(s).keySet()) {
                if (name.equals("FLINK_PROPERTIES") && flinkServices().contains(s)) {
                    continue; // the Flink image's own
                }
                assertThat(readByRtm.contains(name) || command.contains("$$" + name))
                        .as("%s gets %s: read by rtm (code or rtm.yaml) or by its command", s, name).isTrue();
            }
            // every ${env:...} of rtm.yaml (its channel examples too) can be set in the stack
            assertThat(env(s).keySet()).as("%s has every variable rtm.yaml reads", s)
                    .containsAll(DeployFiles.envNamesInConfig(rtmYaml));
            assertThat(env(s)).containsEntry("RTM_CONFIG", "/etc/rtm/rtm.yaml");
        }
        assertThat(DeployFiles.envNamesInCode()).contains("RTM_PG_WRITER_PASSWORD", "RTM_PG_READER_PASSWORD", "RTM_CONFIG",
                "RTM_PLUGINS_DIR", "RTM_PG_URL");
        // Grafana: besides its own GF_ settings, exactly what its provisioning files interpolate
        Set<String> provisioned = new TreeSet<>();
        try (Stream<Path> files = Files.walk(root.resolve("grafana/provisioning"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Matcher m = Pattern.compile("\\$\\{([A-Z0-9_]+)}").matcher(Files.readString(f));
                while (m.find()) {
                    provisioned.add(m.group(1));
                }
            }
        }
        Set<String> grafanaEnv = env("grafana").keySet().stream().filter(k -> !k.startsWith("GF_")).collect(Collectors.toCollection(TreeSet::new));
        assertThat(grafanaEnv).isEqualTo(provisioned).isNotEmpty();
    }

    @Test
    void envExampleListsEveryVariableAndCiGivesEveryRequiredOne() throws Exception {
        String text = Files.readString(root.resolve("docker-compose.yml"));
        Matcher m = Pattern.compile("(?<!\\$)\\$\\{([A-Za-z0-9_]+)(:?[-?][^}]*)?}").matcher(text);
        Set<String> used = new TreeSet<>();
        Set<String> required = new TreeSet<>();
        while (m.find()) {
            used.add(m.group(1));
            if (m.group(2) != null && m.group(2).startsWith(":?")) {
                required.add(m.group(1));
            }
        }
        Set<String> listed = Files.readAllLines(root.resolve(".env.example")).stream()
                .filter(l -> l.matches("[A-Z0-9_]+=.*")).map(l -> l.substring(0, l.indexOf('='))).collect(Collectors.toCollection(TreeSet::new));
        assertThat(listed).isEqualTo(used);
        assertThat(required).contains("RTM_PG_PASSWORD", "GRAFANA_ADMIN_PASSWORD");
        // the example sets no password
        Files.readAllLines(root.resolve(".env.example")).stream().filter(l -> l.matches("[A-Z0-9_]+=.*"))
                .filter(l -> required.contains(l.substring(0, l.indexOf('='))))
                .forEach(l -> assertThat(l).endsWith("="));
        // no secret in the compose file: every password-like value is a required variable
        services.forEach((name, s) -> env(name).forEach((k, v) -> {
            if (k.matches(".*(PASSWORD|SECRET|TOKEN|KEY|WEBHOOK).*")) {
                assertThat(v).as("%s %s", name, k).matches("\\$\\{" + k.replace("POSTGRES_PASSWORD", "RTM_PG_PASSWORD")
                        .replace("GF_SECURITY_ADMIN_PASSWORD", "GRAFANA_ADMIN_PASSWORD") + ":[?-][^}]*}");
            }
        }));
        // CI's `docker-compose config -q` gives each required variable a dummy value
        String ci = Files.readString(root.resolve(".ci/run"));
        String configLine = ci.lines().filter(l -> l.contains("docker-compose config")).findFirst().orElseThrow();
        for (String r : required) {
            assertThat(configLine).contains(r + "=");
        }
    }

    @Test
    void mountedPathsAreTheRepositorysAndWhatTheServicesRead() throws Exception {
        List<String> binds = new ArrayList<>();
        Set<String> namedVolumes = map(compose.get("volumes")).keySet();
        services.forEach((name, s) -> list(s.get("volumes")).forEach(v -> {
            String spec = String.valueOf(v);
            String source = spec.substring(0, spec.indexOf(':'));
            if (source.startsWith(".")) {
                assertThat(root.resolve(source).normalize()).as("%s mounts %s", name, source).exists();
                assertThat(root.resolve(source).normalize().startsWith(root)).isTrue();
                binds.add(name + " " + spec);
            } else {
                assertThat(namedVolumes).as("%s mounts volume %s", name, source).contains(source);
            }
        }));
        // Grafana: the repository's provisioning and dashboards, where the provider looks for them
        assertThat(binds).contains("grafana ./grafana/provisioning:/etc/grafana/provisioning:ro",
                "grafana ./grafana/dashboards:/var/lib/grafana/dashboards:ro");
        Path provider;
        try (Stream<Path> files = Files.list(root.resolve("grafana/provisioning/dashboards"))) {
            provider = files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).findFirst().orElseThrow();
        }
        assertThat(list(DeployFiles.yaml(provider).get("providers")))
                .anySatisfy(p -> assertThat(map(map(p).get("options")).get("path")).isEqualTo("/var/lib/grafana/dashboards"));
        String home = env("grafana").get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH");
        assertThat(root.resolve("grafana/dashboards").resolve(home.substring("/var/lib/grafana/dashboards/".length()))).isRegularFile();
        // rtm's config: the repository's rtm.yaml, where RTM_CONFIG says
        for (String s : List.of("rtm-agent", "jobmanager", "taskmanager")) {
            assertThat(binds).contains(s + " ./rtm.yaml:/etc/rtm/rtm.yaml:ro");
        }
        // plugins: read-only in both Flink containers at the dir the job is told (RTM_PLUGINS_DIR), filled by rtm-init;
        // the job jar: read-only in Flink's user code dir on both, copied there by rtm-init from where the image has it
        for (String s : flinkServices()) {
            assertThat(list(services.get(s).get("volumes"))).contains("plugins:/opt/rtm/plugins:ro", "flink-data:/flink-data",
                    "usrlib:/opt/flink/usrlib:ro");
            assertThat(env(s)).containsEntry("RTM_PLUGINS_DIR", "/opt/rtm/plugins");
        }
        assertThat(list(services.get("rtm-init").get("volumes"))).contains("plugins:/mnt/plugins", "flink-data:/flink-data",
                "usrlib:/mnt/usrlib");
        assertThat(command("rtm-init")).contains("cp -R /opt/rtm/plugins/. /mnt/plugins/", "cp " + IMAGE_JOB_JAR + " /mnt/usrlib/");
        assertThat(Files.readString(root.resolve("Dockerfile"))).contains("/src/cli/target/rtm/plugins /opt/rtm/plugins",
                "/src/" + BUILT_JOB_JAR + " " + IMAGE_JOB_JAR);
        // SQL: not mounted; rtm job applies sql/ from its jar, which the image builds from this checkout
        assertThat(binds).noneMatch(b -> b.contains("sql"));
        assertThat(Files.readString(root.resolve("host/pom.xml"))).contains("<directory>../sql</directory><targetPath>sql</targetPath>");
        assertThat(Files.readString(root.resolve("Dockerfile"))).contains("COPY . .")
                .contains("-pl cli -am install"); // the module whose target/rtm the image copies from
        List<String> ignored = Files.readAllLines(root.resolve(".dockerignore"));
        assertThat(ignored).noneMatch(l -> l.startsWith("sql") || l.startsWith("grafana") || l.startsWith("plugins")
                || l.matches("[a-z-]+/src.*"));
        // checkpoints and savepoints on the flink-data volume
        String flink = env("jobmanager").get("FLINK_PROPERTIES");
        assertThat(flink).contains("execution.checkpointing.dir: file:///flink-data/checkpoints",
                "execution.checkpointing.savepoint-dir: file:///flink-data/savepoints");
        assertThat(env("taskmanager").get("FLINK_PROPERTIES")).isEqualTo(flink);
    }

    /**
     * The JobManager's command as bash runs it (compose's {@code $$} is bash's {@code $}), split into
     * the arguments Flink's docker-entrypoint gets, with RTM_FROM_SAVEPOINT set to {@code savepoint}
     * (null: unset).
     */
    private static List<String> jobManagerArgs(String savepoint) {
        String cmd = command("jobmanager").replace("$$", "$");
        Matcher opt = Pattern.compile("\\$\\{RTM_FROM_SAVEPOINT:\\+([^}]*)}").matcher(cmd);
        assertThat(opt.find()).as("the savepoint is passed only when set").isTrue();
        cmd = cmd.substring(0, opt.start()) + (savepoint == null ? "" : opt.group(1)) + cmd.substring(opt.end());
        cmd = cmd.replace("\"$RTM_FROM_SAVEPOINT\"", savepoint == null ? "" : savepoint);
        assertThat(cmd).doesNotContain("$");
        return List.of(cmd.trim().split("\\s+"));
    }

    @Test
    void theJobRunsInApplicationModeFromTheJobJar() throws Exception {
        assertThat(list(services.get("jobmanager").get("entrypoint"))).containsExactly("/bin/bash", "-c");
        List<String> args = jobManagerArgs(null);
        assertThat(args.subList(0, 3)).containsExactly("exec", "/docker-entrypoint.sh", "standalone-job");
        // what Flink's standalone-job.sh hands the entry point: its conf dir, then these; parsed as
        // StandaloneApplicationClusterConfigurationParserFactory does (commons-cli, stop at the first
        // non-option, long options matched by prefix: `--config` alone would be taken for `--configDir`)
        Options flinkOptions = new Options();
        flinkOptions.addOption(CommandLineOptions.CONFIG_DIR_OPTION);
        flinkOptions.addOption(CommandLineOptions.DYNAMIC_PROPERTY_OPTION);
        flinkOptions.addOption(Option.builder("j").longOpt("job-classname").hasArg(true).build());
        flinkOptions.addOption(Option.builder("jid").longOpt("job-id").hasArg(true).build());
        flinkOptions.addOption(Option.builder("jars").longOpt("jars").hasArgs().build());
        flinkOptions.addOption(CliFrontendParser.SAVEPOINT_PATH_OPTION);
        flinkOptions.addOption(CliFrontendParser.SAVEPOINT_ALLOW_NON_RESTORED_OPTION);
        flinkOptions.addOption(CliFrontendParser.SAVEPOINT_CLAIM_MODE);
        for (String savepoint : new String[] {null, "file:///flink-data/savepoints/savepoint-1"}) {
            List<String> entry = new ArrayList<>(List.of("--configDir", "/opt/flink/conf"));
            List<String> given = jobManagerArgs(savepoint);
            entry.addAll(given.subList(3, given.size()));
            CommandLine cl = new DefaultParser().parse(flinkOptions, entry.toArray(String[]::new), true);
            assertThat(cl.getOptionValues("configDir")).containsExactly("/opt/flink/conf");
            assertThat(cl.getOptionValue("job-classname")).isEqualTo(FlinkJob.class.getName());
            assertThat(cl.getOptionValue("fromSavepoint")).isEqualTo(savepoint);
            assertThat(cl.getArgList()).as("the job's arguments").containsExactly("--config", "/etc/rtm/rtm.yaml",
                    "--plugins-dir", "/opt/rtm/plugins");
        }
        // the arguments are where the config is mounted and the plugins are
        assertThat(list(services.get("jobmanager").get("volumes"))).contains("./rtm.yaml:/etc/rtm/rtm.yaml:ro", "plugins:/opt/rtm/plugins:ro");
        assertThat(env("jobmanager")).containsEntry("RTM_FROM_SAVEPOINT", "${RTM_FROM_SAVEPOINT:-}");
        assertThat(FlinkJob.class.getMethod("main", String[].class)).isNotNull();
        // the job jar the build makes holds the entry class (when this checkout was packaged)
        assertJobJarHoldsTheEntryClass(root.resolve(BUILT_JOB_JAR), FlinkJob.class.getName());
    }

    /** The built job jar, if there is one, has the class and names it as its main class. */
    static void assertJobJarHoldsTheEntryClass(Path jar, String entryClass) throws Exception {
        assertThat(Files.readString(root().resolve("host/pom.xml"))).contains("<shadedClassifierName>job</shadedClassifierName>",
                "<mainClass>" + entryClass + "</mainClass>");
        assertThat(Files.readString(root().resolve("cli/pom.xml"))).contains("<classifier>job</classifier>",
                "<destFileName>rtm-job.jar</destFileName>");
        if (Files.isRegularFile(jar)) {
            try (JarFile j = new JarFile(jar.toFile())) {
                assertThat(j.getEntry(entryClass.replace('.', '/') + ".class")).as("%s in %s", entryClass, jar).isNotNull();
                assertThat(j.getManifest().getMainAttributes().getValue("Main-Class")).isEqualTo(entryClass);
            }
        }
    }

    private static Path root() {
        return root != null ? root : DeployFiles.root();
    }

    @Test
    void flinkPropertiesAreKeysFlinkKnows() throws Exception {
        Set<String> known = DeployFiles.flinkOptionKeys();
        for (String s : flinkServices()) {
            for (String line : env(s).get("FLINK_PROPERTIES").split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                String key = line.substring(0, line.indexOf(':')).trim();
                if (key.startsWith("metrics.reporter.prom.")) {
                    continue; // a reporter's own keys, under the name given to it
                }
                assertThat(known).as("%s: Flink option %s", s, key).contains(key);
            }
        }
        // Prometheus scrapes the reporter's port on both Flink containers
        String flink = env("jobmanager").get("FLINK_PROPERTIES");
        assertThat(flink).contains("metrics.reporter.prom.factory.class: org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        Matcher port = Pattern.compile("metrics\\.reporter\\.prom\\.port: (\\d+)").matcher(flink);
        assertThat(port.find()).isTrue();
        Map<String, Object> prometheus = DeployFiles.yaml(root.resolve("deploy/prometheus/prometheus.yml"));
        List<Object> targets = list(map(list(map(list(prometheus.get("scrape_configs")).get(0)).get("static_configs")).get(0)).get("targets"));
        assertThat(targets).containsExactlyInAnyOrderElementsOf(flinkServices().stream().map(f -> f + ":" + port.group(1)).toList());
        for (String f : flinkServices()) {
            assertThat(list(services.get(f).get("expose"))).contains(port.group(1));
        }
        assertThat(list(services.get("prometheus").get("volumes"))).contains("./deploy/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro");
        // rtm.yaml leaves the checkpoint dir to the cluster (job.checkpoint-dir: default)
        Map<String, String> env = new HashMap<>();
        env("jobmanager").forEach((k, v) -> env.put(k, resolve(v)));
        assertThat(ConfigLoader.load(root.resolve("rtm.yaml"), env).host().job().get(HostSettings.Job.CHECKPOINT_DIR)).isEqualTo("default");
    }
}
