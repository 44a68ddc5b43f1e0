package dev.rtm.agent;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A bounded buffer between the agent's sampling loop and Kafka: a broker that goes away neither holds
 * back the loop nor grows the agent's memory past a bound, and what cannot be kept is counted and said.
 *
 * <pre>{@code
 * try (SendBuffer buffer = new SendBuffer(Publisher.untilDelivered(bootstrap, topic, null), 20_000, log)) {
 *     new Agent(buffer, sampler, List.of(), interval, null, null, log).run();
 * }
 * }</pre>
 *
 * <ol>
 *   <li>{@link #publish} encodes the sample and appends it; it never waits for Kafka. When {@code capacity}
 *       samples are held, the oldest waiting one is dropped and counted ({@link #dropped}): a monitoring
 *       agent keeps the newest, so that when the broker is back the present state arrives and the gap is
 *       in the past, where it matters least.</li>
 *   <li>A sender thread hands the samples to Kafka's client in the order they were taken, at most
 *       {@code window} unanswered at a time (they count in {@code capacity}). The client retries each one
 *       until the broker takes it ({@link Publisher#untilDelivered}); idempotence keeps a retry from
 *       writing anything twice, so every sample kept arrives once and in order.</li>
 *   <li>A watcher thread looks four times a second. Nothing acknowledged for {@code awayAfter} while samples
 *       wait: one line says the broker is away and why (a TCP probe). The first dropped sample is said at once, then the count once every
 *       {@code reportEvery}.</li>
 *   <li>The first acknowledgement after that: one line says the broker is back and how many samples are
 *       held; once they are delivered, one line says how many were re-sent and how many dropped.</li>
 *   <li>{@link #flush} and {@link #close} share one wait of at most {@code stopWait} for what is held;
 *       then {@link #close} says how many samples were not sent ({@link #unsent}) and stops the sender.</li>
 * </ol>
 */
public final class SendBuffer implements SampleSink, AutoCloseable {

    /** Samples in flight at most: enough for tens of thousands of samples/s, little next to the buffer. */
    static final int MAX_WINDOW = 1000;
    private static final long LOOK_EVERY_MS = 250;

    /**
     * The buffer's clocks.
     *
     * @param awayAfter nothing acknowledged this long while samples wait: the broker is said to be away
     * @param reportEvery dropped samples are counted in one line this often
     * @param stopWait how long stopping waits for the samples held
     */
    public record Timings(Duration awayAfter, Duration reportEvery, Duration stopWait) {

        /** 5 s, a minute, 5 s. */
        public static final Timings DEFAULT = new Timings(Duration.ofSeconds(5), Duration.ofMinutes(1), Duration.ofSeconds(5));
    }

    private final Publisher publisher;
    private final int capacity;
    private final int window;
    private final Consumer<String> log;
    private final Timings timings;
    private final Thread sender;
    private final ScheduledExecutorService watcher;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    // guarded by lock
    private final ArrayDeque<Publisher.Encoded> queue = new ArrayDeque<>();
    private int inFlight;
    private long heldBytes;
    private long dropped;
    private long acked;
    private long unsent;
    private long lastAck;
    private long droppedAtLastAck;
    private long busySince;
    private long stopDeadline;
    private boolean stopping;

    // what the sender thread has seen and said (under the lock too)
    private boolean away;
    private long awaySince;
    private long droppedAtAway;
    private long ackedAtAway;
    private boolean draining;
    private long backAt;
    private long ackedAtBack;
    private long heldAtBack;
    private long droppedSaid;
    private long lastDropLine;
    private boolean dropLineSaid;

    /** A buffer of {@code capacity} samples with the {@link Timings#DEFAULT default timings}; it owns {@code publisher}. */
    public SendBuffer(Publisher publisher, int capacity, Consumer<String> log) {
        this(publisher, capacity, log, Timings.DEFAULT);
    }

    /** A buffer of {@code capacity} samples (at least 10); it owns {@code publisher}. */
    public SendBuffer(Publisher publisher, int capacity, Consumer<String> log, Timings timings) {
        if (capacity < 10) {
            throw new IllegalArgumentException("a buffer of " + capacity + " samples: at least 10");
        }
        this.publisher = publisher;
        this.capacity = capacity;
        this.window = Math.max(1, Math.min(MAX_WINDOW, capacity / 10));
        this.log = log;
        this.timings = timings;
        this.lastAck = System.nanoTime();
        this.sender = new Thread(this::sendLoop, "rtm-agent-sender");
        sender.setDaemon(true);
        sender.start();
        this.watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rtm-agent-buffer-watch");
            t.setDaemon(true);
            return t;
        });
        watcher.scheduleWithFixedDelay(this::watch, LOOK_EVERY_MS, LOOK_EVERY_MS, TimeUnit.MILLISECONDS);
    }

    /** Appends one sample, dropping the oldest waiting one when the buffer is full; never waits for Kafka. */
    @Override
    public void publish(String host, long timestamp, Map<String, Double> metrics, Map<String, String> tags) throws IOException {
        Publisher.Encoded e = publisher.encode(host, timestamp, metrics, tags);
        lock.lock();
        try {
            if (stopping) {
                unsent++;
                return;
            }
            if (queue.isEmpty() && inFlight == 0) {
                busySince = System.nanoTime();
            }
            if (queue.size() + inFlight >= capacity) {
                Publisher.Encoded oldest = queue.pollFirst();
                dropped++;
                if (oldest == null) {
                    return; // all of it in flight (not with a window of a tenth): the new one goes
                }
                heldBytes -= oldest.size();
            }
            queue.addLast(e);
            heldBytes += e.size();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until every sample held is acknowledged, at most {@code stopWait} counted from the first call of this or {@link #close}. */
    @Override
    public void flush() {
        lock.lock();
        try {
            if (stopDeadline == 0) {
                stopDeadline = System.nanoTime() + timings.stopWait().toNanos();
            }
            long left;
            while (queue.size() + inFlight > 0 && (left = stopDeadline - System.nanoTime()) > 0) {
                changed.awaitNanos(left);
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    /** The buffer's size in samples. */
    public int capacity() {
        return capacity;
    }

    /** Samples held now: waiting, and handed to Kafka's client but not yet acknowledged. */
    public int held() {
        return locked(() -> queue.size() + inFlight);
    }

    /** Encoded bytes of the samples held now. */
    public long heldBytes() {
        return locked(() -> heldBytes);
    }

    /** Samples dropped because the buffer was full (the oldest waiting each time). */
    public long dropped() {
        return locked(() -> dropped);
    }

    /** Samples still held when the agent stopped, given up. */
    public long unsent() {
        return locked(() -> unsent);
    }

    private <T> T locked(Supplier<T> read) {
        lock.lock();
        try {
            return read.get();
        } finally {
            lock.unlock();
        }
    }

    /** The Kafka side: acknowledged and refused records, time to answer. */
    public Publisher publisher() {
        return publisher;
    }

    /** Waits for what is held (see {@link #flush}), says how many samples are given up, and closes the client; once. */
    @Override
    public void close() {
        flush();
        long left;
        lock.lock();
        try {
            if (stopping) {
                return;
            }
            stopping = true;
            left = queue.size() + inFlight;
            unsent += left;
            heldBytes = 0;
            queue.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        sender.interrupt(); // it may wait in Kafka's client for metadata
        try {
            sender.join(timings.stopWait().toMillis() + 1000);
            watcher.shutdown();
            if (!watcher.awaitTermination(2, TimeUnit.SECONDS)) {
                watcher.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        watch(); // the last word on what happened, before the stop line
        if (left > 0) {
            log.accept(String.format(Locale.ROOT, "stopping with %d samples not sent: the Kafka broker at %s did not take them "
                    + "within %d s", left, publisher.bootstrap(), timings.stopWait().toSeconds()));
        }
        publisher.abandon();
    }

    private void answered(int size, Exception e) {
        lock.lock();
        try {
            inFlight--;
            if (!stopping) {
                heldBytes -= size;
            }
            if (e == null) {
                acked++;
                lastAck = System.nanoTime();
                droppedAtLastAck = dropped;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void sendLoop() {
        try {
            while (true) {
                Publisher.Encoded next;
                lock.lock();
                try {
                    while (!stopping && (queue.isEmpty() || inFlight >= window)) {
                        changed.await();
                    }
                    if (stopping) {
                        return;
                    }
                    next = queue.pollFirst();
                    inFlight++;
                } finally {
                    lock.unlock();
                }
                hand(next);
            }
        } catch (InterruptedException e) {
            // stopping
        }
    }

    /** The watcher's round: says what there is to say (outside the lock: a probe may take a second). */
    private void watch() {
        List<Supplier<String>> lines = locked(() -> observe(System.nanoTime()));
        try {
            for (Supplier<String> line : lines) {
                log.accept(line.get());
            }
        } catch (RuntimeException e) {
            // a failing log must not end the watcher (a scheduled task that throws is not run again)
        }
    }

    /** Gives one sample to Kafka's client; one it did not take goes back to the head of the queue. */
    private void hand(Publisher.Encoded next) throws InterruptedException {
        int size = next.size();
        if (publisher.offer(next, e -> answered(size, e))) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            return;
        }
        lock.lock();
        try {
            inFlight--;
            if (stopping) {
                throw new InterruptedException(); // close() counted it as not sent
            }
            if (queue.size() + inFlight >= capacity) {
                heldBytes -= size; // a sample came meanwhile and this one is the oldest
                dropped++;
            } else {
                queue.addFirst(next);
            }
            changed.await(1, TimeUnit.SECONDS); // the client had no metadata or no room: wait a little
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock: what to say about the broker and the buffer now (the watcher's thread, or close). */
    private List<Supplier<String>> observe(long now) {
        List<Supplier<String>> lines = new ArrayList<>();
        int held = queue.size() + inFlight;
        if (!away && held > 0 && now - Math.max(lastAck, busySince) >= timings.awayAfter().toNanos()) {
            away = true;
            awaySince = Math.max(lastAck, busySince);
            droppedAtAway = droppedAtLastAck; // drops since the last acknowledgement belong to this outage
            ackedAtAway = acked;
            draining = false;
            long secs = Math.round((now - awaySince) / 1e9);
            lines.add(() -> {
                String why = BrokerProbe.unreachable(publisher.bootstrap(), Duration.ofSeconds(1));
                return String.format(Locale.ROOT, "Kafka broker at %s has acknowledged nothing for %d s (%s); holding samples in "
                        + "memory, up to %d (agent.buffer-samples), then dropping the oldest", publisher.bootstrap(), secs,
                        why == null ? "its port accepts connections" : why, capacity);
            });
        }
        if (away && lastAck > awaySince) {
            away = false;
            draining = true;
            backAt = now;
            ackedAtBack = acked;
            heldAtBack = held;
            String line = String.format(Locale.ROOT, "Kafka broker at %s is back after %d s: sending the %d samples held (%d oldest "
                    + "dropped)", publisher.bootstrap(), Math.round((now - awaySince) / 1e9), held + acked - ackedAtAway,
                    dropped - droppedAtAway);
            lines.add(() -> line);
        }
        if (draining && acked - ackedAtBack >= heldAtBack) {
            draining = false;
            dropLineSaid = false; // the next outage's first drop is said at once
            droppedSaid = dropped; // those of this one are in this line
            String line = String.format(Locale.ROOT, "re-sent %d buffered samples, the last %.1f s after the broker came back; "
                    + "%d dropped while it was away", acked - ackedAtAway, (now - backAt) / 1e9, dropped - droppedAtAway);
            lines.add(() -> line);
        }
        if (dropped > droppedSaid) {
            if (!dropLineSaid) {
                dropLineSaid = true;
                String line = String.format(Locale.ROOT, "buffer full (%d samples, agent.buffer-samples): dropping the oldest; "
                        + "the count follows every %d s", capacity, timings.reportEvery().toSeconds());
                lines.add(() -> line);
                droppedSaid = dropped;
                lastDropLine = now;
            } else if (now - lastDropLine >= timings.reportEvery().toNanos()) {
                String line = String.format(Locale.ROOT, "dropped %d oldest samples in the last %d s (%d in all); holding %d",
                        dropped - droppedSaid, Math.round((now - lastDropLine) / 1e9), dropped, held);
                lines.add(() -> line);
                droppedSaid = dropped;
                lastDropLine = now;
            }
        }
        return lines;
    }
}
