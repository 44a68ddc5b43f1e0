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
 * instead of once per point.
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
}
