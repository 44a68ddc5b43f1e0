package dev.rtm.cli;

import dev.rtm.wire.Urls;
import dev.rtm.api.ConfigKey;
import dev.rtm.api.NamedFactory;
import dev.rtm.host.detect.ConfiguredDetector;
import dev.rtm.host.plugin.LoadedPlugin;
import dev.rtm.host.plugin.PluginFailure;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rtm plugins}: what is in the plugins dir, what each plugin provides, and what failed. */
@Command(name = "plugins", mixinStandardHelpOptions = true,
        description = {"List the plugins found in the plugins dir: id, version, file and SHA-256, their "
                + "detectors and alerters with config keys and defaults, the configured detector instances, "
                + "the host's own config sections (kafka, postgres, job, alerts) with the values in use, "
                + "and every file that failed to load with the reason. Secrets are never shown."})
final class PluginsCommand implements Callable<Integer> {

    @Mixin
    HostOptions host = new HostOptions();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (HostContext ctx = HostContext.open(host)) {
            out.println("plugins dir: " + ctx.registry.dir());
            out.println(ctx.config.file() == null ? "config: (none, built-in defaults)" : "config: " + ctx.config.file());
            out.println();
            List<LoadedPlugin> plugins = ctx.registry.plugins();
            if (plugins.isEmpty()) {
                out.println("no plugins loaded");
            } else {
                List<String[]> rows = new ArrayList<>();
                rows.add(new String[] {"PLUGIN", "VERSION", "LICENSE", "FILE", "SHA-256"});
                for (LoadedPlugin p : plugins) {
                    rows.add(new String[] {p.id(), p.version(), p.license().isEmpty() ? "-" : p.license(),
                            p.file().getFileName().toString(), p.sha256()});
                }
                table(out, rows, "");
                for (LoadedPlugin p : plugins) {
                    for (NamedFactory f : p.detectors()) {
                        describe(out, "detector", f, p);
                    }
                    for (NamedFactory f : p.alerters()) {
                        describe(out, "alerter", f, p);
                    }
                }
            }
            List<ConfiguredDetector> configured = ctx.catalog.instances();
            if (!configured.isEmpty()) {
                out.println();
                out.println("configured detectors:");
                for (ConfiguredDetector d : configured) {
                    out.println("  " + d + ": " + d.settings().describe());
                }
            }
            var channels = dev.rtm.host.notify.ChannelCatalog.build(ctx.config, ctx.registry).describe();
            if (!channels.isEmpty()) {
                out.println();
                out.println("configured channels:");
                channels.forEach((name, d) -> out.println("  " + name + ": " + dev.rtm.wire.Urls.redact(d)));
            }
            // the host's own sections, with the values in use (secrets masked)
            for (String section : dev.rtm.host.config.HostSettings.NAMES) {
                dev.rtm.api.Settings in = ctx.config.host().section(section);
                out.println();
                out.println("section " + section + " (host):");
                List<String[]> rows = new ArrayList<>();
                rows.add(new String[] {"KEY", "IN USE", "DEFAULT", "ALLOWED", "DESCRIPTION"});
                var values = in.describe();
                for (ConfigKey<?> k : dev.rtm.host.config.HostSettings.SECTIONS.get(section).keys()) {
                    Object v = in.get(k);
                    String shown = k.secret() && (v == null || v.toString().isEmpty()) ? "not set" // not "******" for nothing
                            : dev.rtm.wire.Urls.redact(values.getOrDefault(k.name(), "")); // a URL's password or token
                    rows.add(new String[] {k.name(), shown, k.defaultText(), k.allowed(), k.doc()});
                }
                table(out, rows, "  ");
            }
            List<PluginFailure> failures = ctx.registry.failures();
            if (!failures.isEmpty()) {
                out.println();
                out.println("not loaded:");
                for (PluginFailure f : failures) {
                    out.println("  " + f);
                }
            }
        }
        return 0;
    }

    private static void describe(PrintWriter out, String kind, NamedFactory f, LoadedPlugin p) {
        out.println();
        out.println(kind + " " + f.name() + " (plugin " + p.id() + ", version " + p.versionOf(f) + "): " + f.description());
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"KEY", "DEFAULT", "ALLOWED", "DESCRIPTION"});
        for (ConfigKey<?> k : f.configSpec().keys()) {
            rows.add(new String[] {k.name(), k.defaultText(), k.allowed(), k.doc()});
        }
        if (rows.size() == 1) {
            out.println("  (no config keys)");
        } else {
            table(out, rows, "  ");
        }
    }

    static void table(PrintWriter out, List<String[]> rows, String indent) {
        int cols = rows.get(0).length;
        int[] w = new int[cols];
        for (String[] r : rows) {
            for (int i = 0; i < cols; i++) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder sb = new StringBuilder(indent);
            for (int i = 0; i < cols; i++) {
                sb.append(r[i]);
                if (i < cols - 1) {
                    sb.append(" ".repeat(w[i] - r[i].length() + 2));
                }
            }
            out.println(sb.toString().stripTrailing());
        }
    }
}
