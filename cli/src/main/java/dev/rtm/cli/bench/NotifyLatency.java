package dev.rtm.cli.bench;

import dev.rtm.agent.Publisher;
import dev.rtm.host.alert.AlertRule;
import dev.rtm.host.config.RtmConfig;
import dev.rtm.local.LocalPostgres;
import dev.rtm.host.job.JobRunner;
import dev.rtm.host.job.JobSettings;
import dev.rtm.recorder.HttpRecorder;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.flink.core.execution.JobClient;

/**
 * The latency phase of the alerting bench: the job runs live (unbounded) while {@code hosts} hosts
 * of {@code metrics} series each publish a sample every {@code interval}; once the job commits
 * rows and the series are past ewma's warm-up, each host gets a spike every few seconds (one
 * metric at a time, hosts staggered), spaced so that its previous alert has resolved and been told
 * and each spike opens a new group (group-wait applies, not group-interval). Latency = the
 * receiver's arrival time of the first notification whose payload holds a firing alert with the
 * spike's host, metric and startsAt, minus the spike's timestamp (stamped just before it is
 * produced). The same clock measures both ends.
 */
final class NotifyLatency {

    /**
     * The measurement.
     *
     * @param spikes spikes produced
     * @param latenciesMs produce -> received, per spike told, sorted
     * @param otherAlerts firing alerts told that match no spike (detector false positives)
     * @param notifications requests the receiver got
     * @param toEventMs per spike told: spike -> its alert_events row written (job + sink flush)
     * @param toNotificationMs per spike told: alert_events row -> notification created (notify pass)
     * @param toReceiverMs per spike told: notification created -> received (delivery)
     */
    record Result(int spikes, List<Long> latenciesMs, int otherAlerts, int notifications, List<Long> toEventMs,
                  List<Long> toNotificationMs, List<Long> toReceiverMs) {
    }

    private record Spike(String host, String metric, long at) {
        FiringArrivals.Key key() {
            return new FiringArrivals.Key(host, metric, at);
        }
    }

    private NotifyLatency() {
    }

    /** Samples between a host's spikes: its alert resolves (resolve-after points) and both notifications go out first. */
    static int spikeEvery(Duration interval, int resolveAfter) {
        return resolveAfter + (int) Math.ceil(3500.0 / interval.toMillis());
    }

    static Result run(String bootstrap, String topic, LocalPostgres.Target pg, Path pluginsDir, Function<String, RtmConfig> config,
                      int hosts, int metrics, Duration interval, Duration length, Consumer<String> say) throws Exception {
        try (HttpRecorder receiver = HttpRecorder.start()) {
            BenchSchema db = BenchSchema.fresh(pg, "rtm_bench_alerting");
            RtmConfig cfg = config.apply(receiver.url("/hook"));
            AlertRule rule = AlertRule.of(cfg.host().alerts());
            JobSettings s = db.job(cfg, bootstrap, topic, "bench-alerting-live", pluginsDir).build();
            JobClient job = JobRunner.start(cfg, s, 2);
            List<Spike> spikes = new ArrayList<>();
            try {
                SpikyFleet fleet = new SpikyFleet("live", hosts, metrics);
                int every = spikeEvery(interval, rule.resolveAfter());
                int stagger = Math.max(1, every / hosts);
                long[] from = {Long.MAX_VALUE};
                SpikyFleet.Schedule schedule = (h, m, i) -> {
                    if (i < from[0]) {
                        return false; // not flowing yet, or still warming up
                    }
                    long k = i - from[0] - (long) h * stagger;
                    return k >= 0 && k % every == 0 && m == (int) ((k / every + h * 5L) % metrics);
                };
                say.accept(String.format(java.util.Locale.ROOT, "latency: %d hosts x %d metrics every %d ms (%.0f values/s) for %d s, "
                        + "a spike per host every %d samples ...", hosts, metrics, interval.toMillis(),
                        hosts * metrics * 1000.0 / interval.toMillis(), length.toSeconds(), every));
                try (Publisher pub = new Publisher(bootstrap, topic, null)) {
                    long t0 = System.currentTimeMillis();
                    long end = t0 + length.toMillis();
                    for (long i = 0; ; i++) {
                        long due = t0 + i * interval.toMillis();
                        long wait = due - System.currentTimeMillis();
                        if (wait > 0) {
                            Thread.sleep(wait); // pacing of the producer, not synchronisation
                        }
                        if (System.currentTimeMillis() >= end) {
                            break;
                        }
                        if (from[0] == Long.MAX_VALUE && db.committedRows() > 0) {
                            from[0] = i + 40; // the job is flowing; spikes after ewma's warm-up (20 points) and then some
                        }
                        for (int h = 0; h < hosts; h++) {
                            long ts = System.currentTimeMillis();
                            pub.publish(fleet.host(h), ts, fleet.sample(h, i, schedule), Map.of());
                            for (int m = 0; m < metrics; m++) {
                                if (schedule.spikes(h, m, i)) {
                                    spikes.add(new Spike(fleet.host(h), SpikyFleet.metric(m), ts));
                                }
                            }
                        }
                    }
                    pub.flush();
                }
                try {
                    receiver.await(list -> FiringArrivals.of(list).keySet().containsAll(spikes.stream().map(Spike::key).toList()),
                            Duration.ofSeconds(20), () -> "every spike told");
                } catch (AssertionError notAll) {
                    Map<FiringArrivals.Key, FiringArrivals.Arrival> told = FiringArrivals.of(receiver.requests());
                    say.accept("latency: not told within 20 s of the last sample (counted as missing): " + spikes.stream()
                            .filter(sp -> !told.containsKey(sp.key())).map(sp -> sp.host() + " " + sp.metric() + " at "
                                    + java.time.Instant.ofEpochMilli(sp.at())).toList());
                }
            } finally {
                job.cancel().get();
            }
            return result(db, spikes, receiver);
        }
    }

    private static Result result(BenchSchema db, List<Spike> spikes, HttpRecorder receiver) throws Exception {
        Map<FiringArrivals.Key, FiringArrivals.Arrival> told = FiringArrivals.of(receiver.requests());
        List<Long> total = new ArrayList<>();
        List<Long> toEvent = new ArrayList<>();
        List<Long> toNotification = new ArrayList<>();
        List<Long> toReceiver = new ArrayList<>();
        try (Connection c = db.connect();
             PreparedStatement ev = c.prepareStatement("SELECT received_at FROM alert_events WHERE host = ? AND metric = ? "
                     + "AND starts_at = ? AND state = 'firing'");
             PreparedStatement nt = c.prepareStatement("SELECT created_at FROM notifications WHERE notification_key = ?")) {
            for (Spike sp : spikes) {
                FiringArrivals.Arrival a = told.get(sp.key());
                if (a == null) {
                    continue;
                }
                long arrived = a.at().toEpochMilli();
                total.add(arrived - sp.at());
                ev.setString(1, sp.host());
                ev.setString(2, sp.metric());
                ev.setTimestamp(3, new Timestamp(sp.at()));
                nt.setString(1, a.notificationKey());
                try (ResultSet e = ev.executeQuery(); ResultSet n = nt.executeQuery()) {
                    if (e.next() && n.next()) {
                        long written = e.getTimestamp(1).getTime();
                        long created = n.getTimestamp(1).getTime();
                        toEvent.add(written - sp.at());
                        toNotification.add(created - written);
                        toReceiver.add(arrived - created);
                    }
                }
            }
        }
        java.util.Set<FiringArrivals.Key> injected = new java.util.HashSet<>(spikes.stream().map(Spike::key).toList());
        int other = (int) told.keySet().stream().filter(k -> !injected.contains(k)).count();
        total.sort(null);
        toEvent.sort(null);
        toNotification.sort(null);
        toReceiver.sort(null);
        return new Result(spikes.size(), total, other, receiver.requests().size(), toEvent, toNotification, toReceiver);
    }
}
