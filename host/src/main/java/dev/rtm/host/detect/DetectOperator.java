package dev.rtm.host.detect;

import dev.rtm.host.decode.MetricPoint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;

/**
 * Runs {@link DetectFunction} and writes the detectors' state when Flink snapshots, not per point:
 * the live detectors stay in operator memory between checkpoints, and just before each checkpoint
 * (or savepoint) barrier every series that took points since the last one has its detectors'
 * snapshot bytes written to keyed state (see {@link DetectFunction#writeState}). A plugin's
 * {@code snapshot()} (tens of kilobytes for rcf and lstm) then costs once per series per checkpoint
 * instead of once per point. Its first subtask also says in the log when checkpoints stop and start
 * completing ({@link CheckpointWatch}).
 */
public final class DetectOperator extends KeyedProcessOperator<String, MetricPoint, ScoreRow> {

    private static final long serialVersionUID = 1L;

    DetectOperator(DetectFunction function) {
        super(function);
    }

    /** The detect stage on a stream keyed by {@link DetectFunction#key}. */
    public static SingleOutputStreamOperator<ScoreRow> apply(KeyedStream<MetricPoint, String> points, DetectFunction function) {
        return points.transform("detect", TypeInformation.of(ScoreRow.class), new DetectOperator(function));
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        ((DetectFunction) userFunction).writeState(this::setCurrentKey);
    }

    /** Reports checkpoints that do not complete (subtask 0 only: one line per checkpoint, not one per subtask). */
    private transient CheckpointWatch watch;

    @Override
    public void open() throws Exception {
        super.open();
        if (getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0) {
            var storage = getContainingTask().getCheckpointStorage();
            var conf = getContainingTask().getEnvironment().getJobConfiguration();
            String dir = storage instanceof org.apache.flink.runtime.state.filesystem.FsCheckpointStorageAccess fs
                    ? fs.getCheckpointsDirectory().toString()
                    : conf.getOptional(org.apache.flink.configuration.CheckpointingOptions.CHECKPOINTS_DIRECTORY)
                            .orElse("the cluster's checkpoint dir");
            java.time.Duration timeout = conf.get(org.apache.flink.configuration.CheckpointingOptions.CHECKPOINTING_TIMEOUT);
            watch = new CheckpointWatch(dir, timeout.toMillis(), System::currentTimeMillis);
        }
    }

    @Override
    public void snapshotState(org.apache.flink.runtime.state.StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        if (watch != null) {
            watch.started(context.getCheckpointId(), context.getCheckpointTimestamp());
        }
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        super.notifyCheckpointComplete(checkpointId);
        if (watch != null) {
            watch.completed(checkpointId);
        }
    }

    @Override
    public void notifyCheckpointAborted(long checkpointId) throws Exception {
        super.notifyCheckpointAborted(checkpointId);
        if (watch != null) {
            watch.aborted(checkpointId);
        }
    }
}
