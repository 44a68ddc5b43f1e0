package dev.rtm.cli.deploy;

import static dev.rtm.cli.deploy.DeployFiles.list;
import static dev.rtm.cli.deploy.DeployFiles.map;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.NonValidationKeyword;
import dev.rtm.host.config.ConfigLoader;
import dev.rtm.host.config.HostSettings;
import dev.rtm.host.config.RtmConfig;
import dev.rtm.host.job.FlinkJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/kubernetes against the Flink Kubernetes Operator's own CRD schema (1.15.0, vendored in
 * ../shared/vendor/flink-kubernetes-operator) the way the API server with strict field validation
 * reads it: unknown or misplaced keys are refused where the schema does not keep unknown fields.
 * No cluster runs here; the rest is checked against the code: names the manifests refer to exist,
 * the rtm.yaml of the ConfigMap is a valid rtm config whose checkpoint dir is the FlinkDeployment's
 * PVC, the Flink version and keys are the job's.
 */
class KubernetesManifestsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path dir;
    private static Map<String, Map<String, Object>> byKind;
    private static Map<String, Object> deployment;
    private static Schema flinkDeploymentSchema;

    @BeforeAll
    static void load() throws Exception {
        dir = DeployFiles.root().resolve("deploy/kubernetes");
        byKind = new LinkedHashMap<>();
        for (Object r : list(DeployFiles.yaml(dir.resolve("kustomization.yaml")).get("resources"))) {
            for (Map<String, Object> doc : DeployFiles.yamlDocuments(dir.resolve(String.valueOf(r)))) {
                byKind.put(doc.get("kind") + "/" + map(doc.get("metadata")).get("name"), doc);
            }
        }
        deployment = byKind.get("FlinkDeployment/rtm");
        flinkDeploymentSchema = crdSchema("flinkdeployments.flink.apache.org-v1.yml", "v1beta1");
    }

    /** The CRD's openAPIV3Schema of {@code version}, strict: no unknown keys where the CRD does not keep them. */
    private static Schema crdSchema(String file, String version) throws Exception {
        JsonNode crd = new YAMLMapper().readTree(DeployFiles.vendor().resolve("flink-kubernetes-operator").resolve(file).toFile());
        JsonNode schema = null;
        for (JsonNode v : crd.path("spec").path("versions")) {
            if (v.path("name").asText().equals(version)) {
                schema = v.path("schema").path("openAPIV3Schema").deepCopy();
            }
        }
        assertThat(schema).as("%s has version %s", file, version).isNotNull();
        // what every object has, which the API server checks itself rather than through the CRD
        ObjectNode props = (ObjectNode) schema.path("properties");
        props.putObject("apiVersion").put("type", "string");
        props.putObject("kind").put("type", "string");
        props.putObject("metadata").put("type", "object");
        strict(schema);
        // Kubernetes' own keywords (kept unknown fields are handled by strict() above; int-or-string
        // fields carry no type) need no validation of their own
        Dialect kubernetes = Dialect.builder(Dialects.getOpenApi30())
                .keyword(new NonValidationKeyword("x-kubernetes-preserve-unknown-fields"))
                .keyword(new NonValidationKeyword("x-kubernetes-int-or-string")).build();
        return SchemaRegistry.withDefaultDialect(kubernetes).getSchema(schema);
    }

    private static void strict(JsonNode node) {
        if (node instanceof ObjectNode o) {
            if (o.has("properties") && !o.has("additionalProperties")
                    && !o.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
                o.put("additionalProperties", false);
            }
        }
        node.forEach(KubernetesManifestsTest::strict);
    }

    private static List<String> validate(Map<String, Object> resource) {
        return flinkDeploymentSchema.validate(JSON.valueToTree(resource)).stream().map(Error::toString).toList();
    }

    private static Map<String, Object> podSpec() {
        return map(map(map(deployment.get("spec")).get("podTemplate")).get("spec"));
    }

    private static Map<String, Object> mainContainer() {
        return list(podSpec().get("containers")).stream().map(DeployFiles::map)
                .filter(c -> "flink-main-container".equals(c.get("name"))).findFirst().orElseThrow();
    }

    @Test
    void flinkDeploymentIsValidAgainstTheOperatorsCrdSchema() {
        assertThat(deployment).as("kustomization applies the FlinkDeployment").isNotNull();
        assertThat(deployment.get("apiVersion")).isEqualTo("flink.apache.org/v1beta1");
        assertThat(validate(deployment)).isEmpty();
    }

    @Test
    void theSchemaCheckCatchesMisspeltKeysAndWrongValues() throws Exception {
        Map<String, Object> bad = JSON.readValue(JSON.writeValueAsString(deployment), Map.class);
        Map<String, Object> job = map(map(bad.get("spec")).get("job"));
        job.put("upgradMode", job.remove("upgradeMode"));
        assertThat(validate(bad)).anySatisfy(e -> assertThat(e).contains("upgradMode"));

        bad = JSON.readValue(JSON.writeValueAsString(deployment), Map.class);
        map(map(bad.get("spec")).get("job")).put("upgradeMode", "savepoints");
        map(bad.get("spec")).put("flinkVersion", "v2_9");
        assertThat(validate(bad)).hasSize(2);

        bad = JSON.readValue(JSON.writeValueAsString(deployment), Map.class);
        Map<String, Object> container = list(map(map(map(bad.get("spec")).get("podTemplate")).get("spec")).get("containers"))
                .stream().map(DeployFiles::map).findFirst().orElseThrow();
        container.put("volumeMount", container.remove("volumeMounts")); // deep inside the pod template
        assertThat(validate(bad)).anySatisfy(e -> assertThat(e).contains("volumeMount"));
    }

    @Test
    void theJobRunsInApplicationModeWithSavepointUpgradesAtTheJobsFlinkVersion() throws Exception {
        Map<String, Object> spec = map(deployment.get("spec"));
        Map<String, Object> job = map(spec.get("job"));
        assertThat(job).containsEntry("upgradeMode", "savepoint").containsEntry("state", "running");
        assertThat(spec).doesNotContainKey("mode"); // native application mode, the operator's default
        String flink = DeployFiles.pomProperty("flink.version");
        assertThat(spec.get("image")).isEqualTo("flink:" + flink + "-java" + DeployFiles.pomProperty("maven.compiler.release"));
        assertThat(spec.get("flinkVersion")).isEqualTo("v" + flink.replaceAll("^(\\d+)\\.(\\d+).*", "$1_$2"));
        // the entry class is the job jar's main class, in the jar the init container copies from the rtm image into usrlib
        assertThat(job.get("entryClass")).isEqualTo(FlinkJob.class.getName());
        assertThat(FlinkJob.class.getMethod("main", String[].class)).isNotNull();
        assertThat(job.get("jarURI")).isEqualTo("local:///opt/flink/usrlib/rtm-job.jar");
        Map<String, Object> init = map(list(podSpec().get("initContainers")).get(0));
        String copy = String.join(" ", list(init.get("command")).stream().map(String::valueOf).toList());
        assertThat(copy).contains("cp " + ComposeFileTest.IMAGE_JOB_JAR + " /usrlib/", "cp -R /opt/rtm/plugins/. /plugins/");
        assertThat(ComposeFileTest.IMAGE_JOB_JAR).endsWith("/rtm-job.jar");
        Map<String, String> initMounts = new LinkedHashMap<>();
        list(init.get("volumeMounts")).forEach(m -> initMounts.put(String.valueOf(map(m).get("name")), String.valueOf(map(m).get("mountPath"))));
        assertThat(initMounts).containsEntry("usrlib", "/usrlib").containsEntry("plugins", "/plugins");
        assertThat(String.valueOf(init.get("image"))).isEqualTo("rtm:" + DeployFiles.pomProperty("project.version"));
        assertThat(Files.readString(DeployFiles.root().resolve("Dockerfile")))
                .contains("/src/" + ComposeFileTest.BUILT_JOB_JAR + " " + ComposeFileTest.IMAGE_JOB_JAR, "/opt/rtm/plugins");
        ComposeFileTest.assertJobJarHoldsTheEntryClass(DeployFiles.root().resolve(ComposeFileTest.BUILT_JOB_JAR), FlinkJob.class.getName());
        // the job's arguments: the ConfigMap's rtm.yaml and the plugins, where the main container mounts them
        assertThat(list(job.get("args"))).containsExactly("--config", "/etc/rtm/rtm.yaml", "--plugins-dir", "/opt/rtm/plugins");
        Map<String, String> mounts = new LinkedHashMap<>();
        list(mainContainer().get("volumeMounts")).forEach(m -> mounts.put(String.valueOf(map(m).get("name")), String.valueOf(map(m).get("mountPath"))));
        assertThat(mounts).containsEntry("rtm-config", "/etc/rtm").containsEntry("plugins", "/opt/rtm/plugins")
                .containsEntry("usrlib", "/opt/flink/usrlib");
        assertThat(map(byKind.get("ConfigMap/rtm-config").get("data"))).containsKey("rtm.yaml");
        // Flink keys are ones Flink knows (a reporter's own keys aside), all strings as the CRD stores them
        Set<String> known = DeployFiles.flinkOptionKeys();
        map(spec.get("flinkConfiguration")).forEach((k, v) -> {
            assertThat(v).as(k).isInstanceOf(String.class);
            if (!k.startsWith("metrics.reporter.prom.")) {
                assertThat(known).as("Flink option %s", k).contains(k);
            }
        });
    }

    @Test
    void volumesMountsAndReferencedObjectsExist() throws Exception {
        Map<String, Map<String, Object>> volumes = new LinkedHashMap<>();
        list(podSpec().get("volumes")).forEach(v -> volumes.put(String.valueOf(map(v).get("name")), map(v)));
        List<Map<String, Object>> containers = new ArrayList<>();
        list(podSpec().get("containers")).forEach(c -> containers.add(map(c)));
        list(podSpec().get("initContainers")).forEach(c -> containers.add(map(c)));
        Map<String, String> mainMounts = new LinkedHashMap<>();
        for (Map<String, Object> c : containers) {
            for (Object m : list(c.get("volumeMounts"))) {
                assertThat(volumes).as("%s mounts %s", c.get("name"), map(m).get("name")).containsKey(String.valueOf(map(m).get("name")));
                if ("flink-main-container".equals(c.get("name"))) {
                    mainMounts.put(String.valueOf(map(m).get("mountPath")), String.valueOf(map(m).get("name")));
                    if ("plugins".equals(map(m).get("name"))) {
                        assertThat(map(m)).as("plugins are read-only in Flink").containsEntry("readOnly", true);
                    }
                }
            }
        }
        assertThat(mainMounts).containsEntry("/opt/flink/usrlib", "usrlib").containsEntry("/opt/rtm/plugins", "plugins")
                .containsEntry("/flink-data", "flink-data").containsEntry("/etc/rtm", "rtm-config");
        // the PVC and ConfigMap are in the kustomization; the PVC is shared by JobManager and TaskManagers
        String claim = String.valueOf(map(volumes.get("flink-data").get("persistentVolumeClaim")).get("claimName"));
        Map<String, Object> pvc = byKind.get("PersistentVolumeClaim/" + claim);
        assertThat(pvc).as("PVC %s", claim).isNotNull();
        assertThat(list(map(pvc.get("spec")).get("accessModes"))).containsExactly("ReadWriteMany");
        assertThat(String.valueOf(map(map(map(pvc.get("spec")).get("resources")).get("requests")).get("storage"))).matches("\\d+[GMT]i");
        String configMap = String.valueOf(map(volumes.get("rtm-config").get("configMap")).get("name"));
        assertThat(byKind).containsKey("ConfigMap/" + configMap);
        Map<String, Object> env = new LinkedHashMap<>();
        list(mainContainer().get("env")).forEach(e -> env.put(String.valueOf(map(e).get("name")), map(e)));
        assertThat(map(env.get("RTM_CONFIG")).get("value")).isEqualTo("/etc/rtm/rtm.yaml");
        assertThat(map(env.get("RTM_PLUGINS_DIR")).get("value")).isEqualTo("/opt/rtm/plugins");
        assertThat(map(map(byKind.get("ConfigMap/" + configMap).get("data")))).containsKey("rtm.yaml");
        assertThat(DeployFiles.envNamesInCode()).contains("RTM_CONFIG", "RTM_PLUGINS_DIR", "RTM_PG_WRITER_PASSWORD", "RTM_PG_READER_PASSWORD");
        for (String name : env.keySet()) {
            assertThat(DeployFiles.envNamesInCode()).as("the code reads %s", name).contains(name);
        }
        // every resource has the basic shape the API server requires
        for (var r : byKind.entrySet()) {
            assertThat(r.getValue()).as(r.getKey()).containsKeys("apiVersion", "kind", "metadata");
            assertThat(String.valueOf(map(r.getValue().get("metadata")).get("name"))).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
        }
        assertThat(byKind).containsKeys("Namespace/rtm", "ServiceAccount/flink", "Role/flink", "RoleBinding/flink");
        assertThat(map(deployment.get("spec")).get("serviceAccount")).isEqualTo("flink");
        assertThat(DeployFiles.yaml(dir.resolve("kustomization.yaml"))).containsEntry("namespace", "rtm");
    }

    @Test
    void secretsAreReferencedByNameAndKeyAndHoldOnlyPlaceholders() throws Exception {
        Map<String, Map<String, Object>> secrets = new HashMap<>();
        for (Map<String, Object> doc : DeployFiles.yamlDocuments(dir.resolve("secrets.example.yaml"))) {
            assertThat(doc).containsEntry("apiVersion", "v1").containsEntry("kind", "Secret").containsEntry("type", "Opaque");
            assertThat(map(doc.get("metadata"))).containsEntry("namespace", "rtm");
            Map<String, Object> data = map(doc.get("stringData"));
            assertThat(data).isNotEmpty();
            data.forEach((k, v) -> assertThat(v).as("%s is a placeholder", k).isEqualTo("REPLACE_ME"));
            secrets.put(String.valueOf(map(doc.get("metadata")).get("name")), data);
        }
        assertThat(byKind.keySet()).as("no Secret is applied with the manifests").noneMatch(k -> k.startsWith("Secret/"));
        int refs = 0;
        for (Object e : list(mainContainer().get("env"))) {
            Map<String, Object> ref = map(map(map(e).get("valueFrom")).get("secretKeyRef"));
            if (!ref.isEmpty()) {
                assertThat(secrets).containsKey(String.valueOf(ref.get("name")));
                assertThat(secrets.get(String.valueOf(ref.get("name")))).containsKey(String.valueOf(ref.get("key")));
                refs++;
            }
        }
        assertThat(refs).isEqualTo(3);
        List<String> fromSecrets = list(mainContainer().get("envFrom")).stream()
                .map(e -> String.valueOf(map(map(e).get("secretRef")).get("name"))).toList();
        assertThat(fromSecrets).containsExactly("rtm-channels");
        assertThat(secrets).containsKey("rtm-channels");
        // every ${env:...} of the ConfigMap's rtm.yaml (its channel examples too) is given to the container
        String rtmYaml = String.valueOf(map(byKind.get("ConfigMap/rtm-config").get("data")).get("rtm.yaml"));
        Set<String> given = new TreeSet<>();
        list(mainContainer().get("env")).forEach(e -> given.add(String.valueOf(map(e).get("name"))));
        given.addAll(secrets.get("rtm-channels").keySet());
        assertThat(given).containsAll(DeployFiles.envNamesInConfig(rtmYaml));
        assertThat(DeployFiles.envNamesInConfig(rtmYaml)).contains("RTM_PG_PASSWORD", "SLACK_WEBHOOK_URL");
    }

    @Test
    void configMapHoldsAValidRtmConfigWhoseCheckpointsAreOnThePvc() throws Exception {
        String rtmYaml = String.valueOf(map(byKind.get("ConfigMap/rtm-config").get("data")).get("rtm.yaml"));
        Map<String, String> env = DeployFiles.envNamesInConfig(rtmYaml).stream().collect(Collectors.toMap(n -> n, n -> "dummy"));
        RtmConfig cfg = ConfigLoader.parseText(rtmYaml, Path.of("/etc/rtm/rtm.yaml"), env);
        String checkpoints = cfg.host().job().get(HostSettings.Job.CHECKPOINT_DIR);
        Map<String, Object> flink = map(map(deployment.get("spec")).get("flinkConfiguration"));
        assertThat(checkpoints).isEqualTo(flink.get("execution.checkpointing.dir")).startsWith("file:///flink-data/");
        // rtm sets the job's savepoint dir to <checkpoint-dir>/savepoints; the operator's savepoints go there too
        assertThat(flink.get("execution.checkpointing.savepoint-dir")).isEqualTo(checkpoints + "/savepoints");
        assertThat(cfg.host().job().get(HostSettings.Job.PARALLELISM)).isEqualTo(map(map(deployment.get("spec")).get("job")).get("parallelism"));
        assertThat(cfg.host().postgres().get(HostSettings.Postgres.PASSWORD)).isEqualTo("dummy");
        assertThat(cfg.host().kafka().get(HostSettings.Kafka.METRICS)).isEqualTo("metrics");
        // TaskManager slots hold the job's parallelism on one TaskManager
        assertThat(Integer.parseInt(String.valueOf(flink.get("taskmanager.numberOfTaskSlots"))))
                .isGreaterThanOrEqualTo(cfg.host().job().get(HostSettings.Job.PARALLELISM));
    }
}
