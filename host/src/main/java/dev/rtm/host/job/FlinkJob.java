package dev.rtm.host.job;

import dev.rtm.host.RtmException;
import dev.rtm.host.config.ConfigLoader;
import dev.rtm.host.config.RtmConfig;
import dev.rtm.host.detect.DetectorCatalog;
import dev.rtm.host.plugin.PluginRegistry;
import dev.rtm.host.sink.Schema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The job jar's entry point, for Flink's own command line ({@code flink run rtm-job.jar --config
 * rtm.yaml}) and application mode (the Flink Kubernetes operator, {@code standalone-job}).
 *
 * <p>Arguments: {@code --config FILE} (else {@code $RTM_CONFIG}, else {@code ./rtm.yaml}) and
 * {@code --plugins-dir DIR} (else the config's {@code plugins.dir}, else {@code $RTM_PLUGINS_DIR},
 * else {@code /opt/rtm/plugins}): the dir every TaskManager loads detector and alerter plugins from;
 * they are not inside the jar. Where the dir also exists here, the config is checked against the
 * plugins before the job is submitted. Checkpoints, savepoints and restarts are the cluster's
 * settings where the config says {@code default} ({@code flink run -s SAVEPOINT} resumes).
 */
public final class FlinkJob {

    private FlinkJob() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        String configArg = arg(args, "--config");
        Path config = Path.of(configArg != null ? configArg : env.getOrDefault("RTM_CONFIG", "rtm.yaml"));
        RtmConfig cfg;
        try {
            cfg = ConfigLoader.load(config, env);
        } catch (RtmException e) {
            System.err.println("rtm job: " + e.getMessage());
            throw e;
        }
        String pluginsArg = arg(args, "--plugins-dir");
        Path plugins = pluginsArg != null ? Path.of(pluginsArg)
                : cfg.pluginsDirSetting().orElse(Path.of(env.getOrDefault("RTM_PLUGINS_DIR", "/opt/rtm/plugins")));
        if (Files.isDirectory(plugins)) {
            try (PluginRegistry registry = PluginRegistry.load(plugins); DetectorCatalog check = DetectorCatalog.build(cfg, registry)) {
                System.out.println("rtm job: config " + config + " checked against the plugins in " + plugins);
            }
        } else {
            System.out.println("rtm job: plugins dir " + plugins + " is not on this machine; the TaskManagers load it");
        }
        JobSettings s = JobRunner.settings(cfg, plugins, false, false);
        if (s.postgres() != null) {
            System.out.println("rtm job: schema applied (" + JobRunner.initDb(s.postgres(), Schema.Storage.of(cfg.host().postgres()))
                    + " mode)");
        }
        StreamExecutionEnvironment flink = StreamExecutionEnvironment.getExecutionEnvironment(JobRunner.clusterConfig(cfg));
        MetricsJob.build(flink, s);
        flink.execute("rtm");
    }

    private static String arg(String[] args, String name) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return null;
    }
}
