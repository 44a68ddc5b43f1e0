package dev.rtm.agent;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The agent loop: every {@code interval} it samples this machine (optional) and every synthetic
 * host, and publishes one record per host. With a {@code rate}, synthetic hosts publish as fast as
 * that total rate of samples per second allows (load runs), each host's timestamps kept strictly
 * increasing. Stops after {@code duration} or {@link #stop()}. With a {@link SendBuffer} as its sink the
 * loop never waits for Kafka.
 */
public final class Agent implements Runnable {

    private final SampleSink publisher;
    private final MachineSampler local;
    private final List<SyntheticHost> synthetic;
    private final Duration interval;
    private final Double rate;
    private final Duration duration;
    private final Consumer<String> log;
    private final Map<String, Long> lastTs = new HashMap<>();
    private volatile boolean stopped;
    private volatile long samples;

    /**
     * @param publisher where the samples go: a {@link SendBuffer} for an agent, a {@link Publisher} for loading
     * @param local this machine's sampler, or null
     * @param rate total synthetic samples per second, or null for one per host per interval
     * @param duration how long to run, or null until stopped
     */
    public Agent(SampleSink publisher, MachineSampler local, List<SyntheticHost> synthetic, Duration interval,
                 Double rate, Duration duration, Consumer<String> log) {
        this.publisher = publisher;
        this.local = local;
        this.synthetic = new ArrayList<>(synthetic);
        this.interval = interval;
        this.rate = rate;
        this.duration = duration;
        this.log = log;
    }

    /** Builds {@code count} synthetic hosts named {@code synthetic-1..} and logs their injected anomalies. */
    public static List<SyntheticHost> syntheticHosts(int count, long seed, int anomaliesPerHost, long horizonSamples,
                                                     long samplesPerDay, Instant start, Duration interval,
                                                     Consumer<String> log) {
        List<SyntheticHost> hosts = new ArrayList<>();
        for (int h = 1; h <= count; h++) {
            SyntheticHost s = new SyntheticHost("synthetic-" + h, seed * 1000 + h, samplesPerDay, anomaliesPerHost, horizonSamples);
            for (SyntheticHost.Injection inj : s.injected()) {
                log.accept("injected " + inj.kind() + " on " + inj.host() + " " + inj.metric() + " at sample " + inj.start()
                        + " (about " + start.plus(interval.multipliedBy(inj.start())) + ")"
                        + (inj.end() > inj.start() ? " until sample " + inj.end() : ""));
            }
            hosts.add(s);
        }
        return hosts;
    }

    /** Samples published so far. */
    public long samples() {
        return samples;
    }

    /** Asks the loop to end. */
    public void stop() {
        stopped = true;
    }

    @Override
    public void run() {
        long start = System.nanoTime();
        long end = duration == null ? Long.MAX_VALUE : start + duration.toNanos();
        long nextTick = start;
        double perHostNanos = rate == null ? 0 : 1e9 * Math.max(1, synthetic.size()) / rate;
        long[] nextSynthetic = new long[synthetic.size()];
        try {
            while (!stopped && System.nanoTime() < end) {
                long now = System.nanoTime();
                if (now >= nextTick) {
                    if (local != null) {
                        publish(local.hostName(), local.sample());
                    }
                    if (rate == null) {
                        for (SyntheticHost s : synthetic) {
                            publish(s.name(), s.next());
                        }
                    }
                    nextTick += interval.toNanos();
                }
                if (rate != null) {
                    for (int k = 0; k < synthetic.size(); k++) {
                        if (now >= nextSynthetic[k]) {
                            publish(synthetic.get(k).name(), synthetic.get(k).next());
                            nextSynthetic[k] = Math.max(nextSynthetic[k] + (long) perHostNanos, now - 1_000_000_000L);
                        }
                    }
                }
                long wake = rate == null ? nextTick : Math.min(nextTick, min(nextSynthetic));
                long sleep = wake - System.nanoTime();
                if (sleep > 0) {
                    Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.accept("agent stopped: " + e);
        } finally {
            publisher.flush();
        }
    }

    private void publish(String host, Map<String, Double> metrics) throws java.io.IOException {
        long ts = System.currentTimeMillis();
        Long last = lastTs.get(host);
        if (last != null && ts <= last) {
            ts = last + 1;
        }
        lastTs.put(host, ts);
        publisher.publish(host, ts, metrics, Map.of("agent", "rtm"));
        samples++;
    }

    private static long min(long[] a) {
        long m = Long.MAX_VALUE;
        for (long v : a) {
            m = Math.min(m, v);
        }
        return m;
    }
}
