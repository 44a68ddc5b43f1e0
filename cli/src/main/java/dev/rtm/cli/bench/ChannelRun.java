package dev.rtm.cli.bench;

import dev.rtm.host.config.RtmConfig;
import dev.rtm.local.LocalPostgres;
import dev.rtm.host.job.JobRunner;
import dev.rtm.host.job.JobSettings;
import dev.rtm.recorder.HttpRecorder;
import dev.rtm.recorder.Reply;
import java.nio.file.Path;
import java.util.function.Function;
import org.apache.flink.core.execution.JobClient;

/**
 * One bounded job of the alerting bench: the loaded topic drained (ewma, the alert stage,
 * the notify stage with one {@code webhook} channel) into a fresh schema of its own, the channel
 * pointing at a receiver of its own that answers 200 or hangs every request. Closing it releases
 * the hanging requests and stops the receiver.
 */
final class ChannelRun implements AutoCloseable {

    private final int number;
    private final boolean hanging;
    private final HttpRecorder receiver;
    private final BenchSchema db;
    private final RtmConfig cfg;
    private final JobSettings settings;
    private JobClient job;

    private ChannelRun(int number, boolean hanging, HttpRecorder receiver, BenchSchema db, RtmConfig cfg, JobSettings settings) {
        this.number = number;
        this.hanging = hanging;
        this.receiver = receiver;
        this.db = db;
        this.cfg = cfg;
        this.settings = settings;
    }

    /**
     * Starts the receiver and makes the schema; {@link #launch} then starts the job.
     *
     * @param schema the schema's name (dropped and made again)
     * @param config the rtm config for a channel whose webhook URL is the given one
     */
    static ChannelRun prepare(int number, boolean hanging, String schema, String bootstrap, String topic, LocalPostgres.Target pg,
                              Path pluginsDir, Function<String, RtmConfig> config) throws Exception {
        HttpRecorder receiver = HttpRecorder.start();
        try {
            if (hanging) {
                receiver.respond(Reply.hang());
            }
            BenchSchema db = BenchSchema.fresh(pg, schema);
            RtmConfig cfg = config.apply(receiver.url("/hook"));
            JobSettings s = db.job(cfg, bootstrap, topic, "bench-alerting-" + number, pluginsDir).bounded(true).build();
            return new ChannelRun(number, hanging, receiver, db, cfg, s);
        } catch (Exception | Error e) {
            receiver.close();
            throw e;
        }
    }

    /** Starts the job (in a MiniCluster of its own) and returns it. */
    JobClient launch() throws Exception {
        job = JobRunner.start(cfg, settings, 2);
        return job;
    }

    JobClient job() {
        return job;
    }

    /** Committed raw and score rows so far. */
    long committedRows() {
        return db.committedRows();
    }

    /** The phase's figures, once the job has ended. */
    ChannelPhase finish(DrainMeter.Drain drain, CpuMeter.Used cpu) throws java.sql.SQLException {
        return new ChannelPhase(number, hanging, drain, db.count("SELECT count(*) FROM alert_events"),
                db.count("SELECT count(*) FROM notifications"),
                db.count("SELECT count(*) FROM notifications WHERE state = 'sent'"),
                db.count("SELECT count(*) FROM notification_attempts"),
                db.count("SELECT count(*) FROM notification_attempts WHERE error LIKE 'no answer within%'"),
                receiver.requests().size(), cpu);
    }

    @Override
    public void close() {
        receiver.close();
    }
}
