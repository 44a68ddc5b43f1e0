package dev.rtm.host.detect;

import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says in rtm's log when checkpoints stop completing and when they complete again, naming the
 * checkpoint dir and, when a checkpoint outlived it, the timeout: Flink's own line ("Failed to trigger or complete checkpoint 12 …
 * Checkpoint expired before completing") names neither. Fed by one subtask of the detect operator
 * ({@link DetectOperator}), which sees every checkpoint start (its trigger time), complete or abort.
 * A checkpoint is aborted when it outlives {@code job.checkpoint-timeout-ms} (a slow checkpoint disk,
 * sinks waiting for the database) or when a part of it fails (a full disk); the job goes on either
 * way, without saving state, until one completes.
 */
final class CheckpointWatch {

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointWatch.class);

    private final String dir;
    private final long timeoutMillis;
    private final java.util.function.LongSupplier clock;
    private final java.util.Map<Long, Long> started = new java.util.HashMap<>();
    private long lastCompleted = -1;
    private long lastCompletedAt;
    private int failedInARow;

    /**
     * @param dir where checkpoints go, as the log should name it
     * @param timeoutMillis the checkpoint timeout, or 0 when unknown
     */
    CheckpointWatch(String dir, long timeoutMillis, java.util.function.LongSupplier clock) {
        this.dir = dir;
        this.timeoutMillis = timeoutMillis;
        this.clock = clock;
        this.lastCompletedAt = clock.getAsLong();
    }

    /** Checkpoint {@code id}, triggered at {@code triggeredAt} (ms), reached the operator. */
    void started(long id, long triggeredAt) {
        started.put(id, triggeredAt);
    }

    /** Checkpoint {@code id} completed. */
    void completed(long id) {
        Long at = started.remove(id);
        started.keySet().removeIf(k -> k < id);
        long now = clock.getAsLong();
        if (failedInARow > 0) {
            LOG.info("checkpoint {} completed{} after {} that did not: state is saved to {} again", id,
                    at == null ? "" : String.format(Locale.ROOT, " in %.1f s", (now - at) / 1000.0), failedInARow, dir);
        }
        failedInARow = 0;
        lastCompleted = id;
        lastCompletedAt = now;
    }

    /** Checkpoint {@code id} was aborted (it timed out, or a part of it failed). */
    void aborted(long id) {
        Long at = started.remove(id);
        long now = clock.getAsLong();
        failedInARow++;
        String took = at == null ? "" : String.format(Locale.ROOT, " after %.1f s", (now - at) / 1000.0);
        boolean timedOut = at != null && timeoutMillis > 0 && now - at >= timeoutMillis;
        // the timeout is named only when it is the reason: "did not complete (timeout 600 s): a part of it
        // failed" read as if it had timed out (seen for a checkpoint aborted as its job was cancelled)
        String timeout = timedOut ? String.format(Locale.ROOT, " (timeout %s)", seconds(timeoutMillis)) : "";
        LOG.warn("checkpoint {} to {} did not complete{}{}: {}; {} in a row; state not saved since {}; the job goes on and "
                        + "tries again at the next interval", id, dir, took, timeout,
                timedOut ? "it outlived the checkpoint timeout (a slow checkpoint disk, or sinks waiting for the database)"
                        : "a part of it failed" + disk() + " (RTM_FLINK_LOG=info shows Flink's reason)",
                failedInARow, lastCompleted < 0 ? "the job started (" + seconds(now - lastCompletedAt) + " ago)"
                        : "checkpoint " + lastCompleted + " (" + seconds(now - lastCompletedAt) + " ago)");
    }

    /** For a local checkpoint dir: whether its disk is full or it cannot be written; else empty. */
    private String disk() {
        if (!dir.startsWith("file:")) {
            return "";
        }
        try {
            java.nio.file.Path p = java.nio.file.Path.of(java.net.URI.create(dir));
            while (p != null && !java.nio.file.Files.exists(p)) {
                p = p.getParent();
            }
            if (p == null) {
                return "";
            }
            if (!java.nio.file.Files.isDirectory(p) || !java.nio.file.Files.isWritable(p)) {
                return ": " + p + " is not a writable directory";
            }
            long free = java.nio.file.Files.getFileStore(p).getUsableSpace();
            return free < FULL_BELOW ? ": its disk is full (" + free / 1024 + " KB free)" : "";
        } catch (java.io.IOException | RuntimeException e) {
            return "";
        }
    }

    /** A checkpoint disk with less free space than this is called full. */
    static final long FULL_BELOW = 1024 * 1024;

    private static String seconds(long millis) {
        return millis % 1000 == 0 ? millis / 1000 + " s" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
