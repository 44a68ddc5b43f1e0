package dev.rtm.ingest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps received samples to rtm's {@code HostMetrics} records: one record per host, timestamp and
 * tags, holding every metric of that host at that time.
 *
 * <ul>
 *   <li><b>host</b>: the sender's host (OTLP resource {@code host.name}), else the {@code instance}
 *       label without its port ({@code web-1:9100} → {@code web-1}, so node_exporter's series join the
 *       agent's for that machine), else the {@code host} label, else {@code hostname}. A sample with
 *       none is dropped.</li>
 *   <li><b>metric</b>: node_exporter's and the OpenTelemetry host-metrics receiver's common names
 *       become the agent's (table below); any other series keeps its name followed by its other label
 *       values, sorted by label name and joined with dots:
 *       {@code prometheus_http_requests_total{code="200",handler="/metrics"}} →
 *       {@code prometheus_http_requests_total.200./metrics}.</li>
 *   <li><b>tags</b>: {@code source} ({@code prometheus} or {@code otlp}) and {@code job} when there is
 *       one (OTLP: the resource's {@code service.name}).</li>
 * </ul>
 *
 * <table>
 *   <caption>node_exporter and OpenTelemetry names and the agent's</caption>
 *   <tr><th>received</th><th>rtm metric</th></tr>
 *   <tr><td>node_load1, node_load5, node_load15; system.cpu.load_average.1m/5m/15m</td><td>load.1m, load.5m, load.15m</td></tr>
 *   <tr><td>node_cpu_seconds_total{cpu="N",mode="idle"}</td><td>cpu.coreN_pct: 100 × (1 − idle seconds per second) between two samples</td></tr>
 *   <tr><td>node_memory_MemAvailable_bytes (with node_memory_MemTotal_bytes)</td><td>mem.used_bytes, mem.used_pct</td></tr>
 *   <tr><td>node_memory_SwapFree_bytes (with node_memory_SwapTotal_bytes)</td><td>swap.used_pct</td></tr>
 *   <tr><td>node_filesystem_avail_bytes{mountpoint="M"} (with node_filesystem_size_bytes)</td><td>disk.M.used_pct</td></tr>
 *   <tr><td>node_boot_time_seconds</td><td>uptime_s: the sample's time minus the boot time</td></tr>
 * </table>
 * The totals these need (MemTotal, SwapTotal, filesystem size) are remembered per host from any
 * request, and kept under their own names too; the first idle-CPU sample of a series only primes its
 * rate. NaN and infinite values (Prometheus' stale markers) are dropped. Thread-safe.
 */
public final class SeriesMapper {

    /** One record to publish. */
    public record HostSample(String host, long timestamp, Map<String, Double> metrics, Map<String, String> tags) {
    }

    /** What a request came to: the records, and the samples dropped with the first reason. */
    public record Mapped(List<HostSample> records, int samples, int dropped, String droppedWhy) {
    }

    private static final Pattern HOST_PORT = Pattern.compile("^(?:\\[([^\\]]+)\\]|([^:\\[\\]]+)):\\d+$");
    private static final Map<String, String> RENAMED = Map.of(
            "node_load1", "load.1m", "node_load5", "load.5m", "node_load15", "load.15m",
            "system.cpu.load_average.1m", "load.1m", "system.cpu.load_average.5m", "load.5m",
            "system.cpu.load_average.15m", "load.15m");
    /** Remembered totals and counters; cleared when it grows past this (a churn of hosts or disks). */
    private static final int MAX_STATE = 200_000;

    private final String source;
    private final Map<String, Double> totals = new ConcurrentHashMap<>();
    private final Map<String, double[]> counters = new ConcurrentHashMap<>();

    /** @param source the {@code source} tag, e.g. {@code prometheus} */
    public SeriesMapper(String source) {
        this.source = source;
    }

    /** Maps a request's samples. */
    public Mapped map(List<IngestSample> samples) {
        if (totals.size() + counters.size() > MAX_STATE) {
            totals.clear();
            counters.clear();
        }
        // the totals first: a request may carry MemAvailable before MemTotal
        for (IngestSample s : samples) {
            String host = host(s);
            if (host != null && Double.isFinite(s.value())) {
                switch (s.name()) {
                    case "node_memory_MemTotal_bytes", "node_memory_SwapTotal_bytes" -> totals.put(host + '\0' + s.name(), s.value());
                    case "node_filesystem_size_bytes" -> totals.put(host + '\0' + s.name() + '\0' + fsKey(s), s.value());
                    default -> { }
                }
            }
        }
        Map<Key, Map<String, Double>> records = new LinkedHashMap<>();
        int dropped = 0;
        String why = null;
        for (IngestSample s : samples) {
            String host = host(s);
            String reason = null;
            if (host == null) {
                reason = "series " + s.name() + " has no instance, host or hostname label";
            } else if (!Double.isFinite(s.value())) {
                reason = "series " + s.name() + " has a NaN or infinite value (a stale marker)";
            } else {
                Map<String, String> tags = new HashMap<>();
                tags.put("source", source);
                String job = s.labels().get("job");
                if (job != null && !job.isEmpty()) {
                    tags.put("job", job);
                }
                Map<String, Double> metrics = records.computeIfAbsent(new Key(host, s.timestamp(), tags), k -> new LinkedHashMap<>());
                reason = metricsOf(s, host, metrics);
            }
            if (reason != null) {
                dropped++;
                if (why == null) {
                    why = reason;
                }
            }
        }
        List<HostSample> out = new ArrayList<>();
        records.forEach((k, m) -> {
            if (!m.isEmpty()) {
                out.add(new HostSample(k.host(), k.timestamp(), m, k.tags()));
            }
        });
        return new Mapped(out, samples.size(), dropped, why);
    }

    /** Puts what {@code s} gives into {@code metrics}; returns why it gives nothing, or null. */
    private String metricsOf(IngestSample s, String host, Map<String, Double> metrics) {
        String renamed = RENAMED.get(s.name());
        if (renamed != null) {
            metrics.put(renamed, s.value());
            return null;
        }
        switch (s.name()) {
            case "node_boot_time_seconds" -> {
                metrics.put("uptime_s", Math.max(0, s.timestamp() / 1000.0 - s.value()));
                return null;
            }
            case "node_memory_MemAvailable_bytes" -> {
                Double total = totals.get(host + '\0' + "node_memory_MemTotal_bytes");
                if (total == null || total <= 0) {
                    return "node_memory_MemAvailable_bytes of " + host + " before its node_memory_MemTotal_bytes";
                }
                metrics.put("mem.used_bytes", Math.max(0, total - s.value()));
                metrics.put("mem.used_pct", clampPct(100 * (total - s.value()) / total));
                return null;
            }
            case "node_memory_SwapFree_bytes" -> {
                Double total = totals.get(host + '\0' + "node_memory_SwapTotal_bytes");
                if (total == null) {
                    return "node_memory_SwapFree_bytes of " + host + " before its node_memory_SwapTotal_bytes";
                }
                metrics.put("swap.used_pct", total <= 0 ? 0 : clampPct(100 * (total - s.value()) / total));
                return null;
            }
            case "node_filesystem_avail_bytes" -> {
                Double size = totals.get(host + '\0' + "node_filesystem_size_bytes" + '\0' + fsKey(s));
                String mount = s.labels().getOrDefault("mountpoint", "");
                if (size == null || size <= 0 || mount.isEmpty()) {
                    return "node_filesystem_avail_bytes of " + host + " " + mount + " without its node_filesystem_size_bytes";
                }
                metrics.put("disk." + mount + ".used_pct", clampPct(100 * (size - s.value()) / size));
                return null;
            }
            case "node_cpu_seconds_total" -> {
                if ("idle".equals(s.labels().get("mode")) && s.labels().containsKey("cpu")) {
                    String cpu = s.labels().get("cpu");
                    double[] now = {s.timestamp(), s.value()};
                    double[] before = counters.put(host + '\0' + "cpu" + '\0' + cpu, now);
                    if (before == null || now[0] <= before[0] || now[1] < before[1]) {
                        return "the first idle-CPU sample of " + host + " cpu " + cpu + " (or one after a reset) only primes its rate";
                    }
                    double idlePerSecond = (now[1] - before[1]) / ((now[0] - before[0]) / 1000);
                    metrics.put("cpu.core" + cpu + "_pct", clampPct(100 * (1 - idlePerSecond)));
                    return null;
                }
            }
            default -> { }
        }
        metrics.put(plainName(s, host), s.value());
        return null;
    }

    /** The series' name followed by its label values (all but the host's and job), sorted by label name. */
    private static String plainName(IngestSample s, String host) {
        StringBuilder sb = new StringBuilder(s.name());
        String hostLabel = s.host() != null ? null : hostLabel(s);
        s.labels().forEach((k, v) -> {
            if (!k.equals(hostLabel) && !k.equals("job") && !v.isEmpty()) {
                sb.append('.').append(v);
            }
        });
        return sb.toString();
    }

    private static String fsKey(IngestSample s) {
        return s.labels().getOrDefault("mountpoint", "") + '\0' + s.labels().getOrDefault("device", "");
    }

    /** The sample's host, or null. */
    static String host(IngestSample s) {
        if (s.host() != null && !s.host().isBlank()) {
            return s.host().strip();
        }
        String label = hostLabel(s);
        if (label == null) {
            return null;
        }
        String v = s.labels().get(label).strip();
        if (label.equals("instance")) {
            Matcher m = HOST_PORT.matcher(v);
            if (m.matches()) {
                v = m.group(1) != null ? m.group(1) : m.group(2);
            }
        }
        return v;
    }

    private static String hostLabel(IngestSample s) {
        for (String l : List.of("instance", "host", "hostname")) {
            String v = s.labels().get(l);
            if (v != null && !v.isBlank()) {
                return l;
            }
        }
        return null;
    }

    private static double clampPct(double v) {
        return Math.max(0, Math.min(100, v));
    }

    private record Key(String host, long timestamp, Map<String, String> tags) {
        Key {
            Objects.requireNonNull(host);
        }
    }
}
