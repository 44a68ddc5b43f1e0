package dev.rtm.cli.deploy;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.FallbackKey;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/** What the deployment tests read: the repository's files, the root pom's versions, Flink's option keys. */
final class DeployFiles {

    private DeployFiles() {
    }

    /** The repository root (tests run in cli/). */
    static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("docker-compose.yml")) && Files.isRegularFile(d.resolve("mvnw"))) {
                return d;
            }
        }
        throw new IllegalStateException("no repository root above " + dir);
    }

    /** ../shared/vendor beside the repository (CI lays shared/ there). */
    static Path vendor() {
        return root().resolveSibling("shared").resolve("vendor");
    }

    /** YAML as SnakeYAML reads it (anchors, aliases and {@code <<} merge keys resolved, as compose does). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> yaml(Path file) throws IOException {
        return (Map<String, Object>) new Yaml(new LoaderOptions()).load(Files.readString(file));
    }

    /** Every document of a multi-document YAML file. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> yamlDocuments(Path file) throws IOException {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object d : new Yaml(new LoaderOptions()).loadAll(Files.readString(file))) {
            if (d != null) {
                docs.add((Map<String, Object>) d);
            }
        }
        return docs;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return o == null ? Map.of() : (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        return o == null ? List.of() : (List<Object>) o;
    }

    /** A property of the root pom ({@code <properties>}), or the project version for {@code project.version}. */
    static String pomProperty(String name) throws Exception {
        var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(root().resolve("pom.xml").toFile());
        Element project = doc.getDocumentElement();
        if (name.equals("project.version")) {
            return child(project, "version").getTextContent().trim();
        }
        Element value = child(child(project, "properties"), name);
        if (value == null) {
            throw new IllegalStateException("root pom has no property " + name);
        }
        return value.getTextContent().trim();
    }

    private static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    /** Environment variable names rtm's code reads: the {@code "RTM_..."} string literals in every module's src/main/java. */
    static Set<String> envNamesInCode() throws IOException {
        Pattern literal = Pattern.compile("\"(RTM_[A-Z0-9_]+)\"");
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.walk(root())) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/java/")
                    && !p.toString().contains("/target/")).toList()) {
                Matcher m = literal.matcher(Files.readString(f));
                while (m.find()) {
                    names.add(m.group(1));
                }
            }
        }
        return names;
    }

    /**
     * The {@code ${env:...}} names in a config text, commented examples included (not the
     * placeholder {@code NAME} of a comment explaining the syntax).
     */
    static Set<String> envNamesInConfig(String text) {
        Matcher m = Pattern.compile("\\$\\{env:([A-Za-z0-9_]+)").matcher(text);
        Set<String> names = new TreeSet<>();
        while (m.find()) {
            names.add(m.group(1));
        }
        names.remove("NAME");
        return names;
    }

    /**
     * Every key Flink's configuration knows (current and deprecated names) from the option classes
     * on the job's classpath, so a misspelt key in a deployment file is caught rather than ignored.
     */
    static Set<String> flinkOptionKeys() throws Exception {
        Set<String> keys = new TreeSet<>();
        for (String cls : List.of("CoreOptions", "JobManagerOptions", "TaskManagerOptions", "RestOptions",
                "CheckpointingOptions", "StateBackendOptions", "StateRecoveryOptions", "HighAvailabilityOptions",
                "MetricOptions", "PipelineOptions", "DeploymentOptions", "RestartStrategyOptions", "WebOptions",
                "BlobServerOptions", "ClusterOptions", "SecurityOptions", "NettyShuffleEnvironmentOptions",
                "ResourceManagerOptions", "ExecutionOptions", "RpcOptions", "HeartbeatManagerOptions")) {
            for (Field f : Class.forName("org.apache.flink.configuration." + cls).getFields()) {
                if (Modifier.isStatic(f.getModifiers()) && ConfigOption.class.isAssignableFrom(f.getType())) {
                    ConfigOption<?> o = (ConfigOption<?>) f.get(null);
                    keys.add(o.key());
                    for (FallbackKey k : o.fallbackKeys()) {
                        keys.add(k.getKey());
                    }
                }
            }
        }
        return keys;
    }
}
