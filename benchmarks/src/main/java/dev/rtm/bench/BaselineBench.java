package dev.rtm.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The baseline of {@link DetectorBench#update}: the same walk over the same points,
 * {@value DetectorBench#BATCH} an invocation, doing only a sum. Its points/s is what the
 * machine does with no detector at all, in the same run, so a detector's rate divided by it
 * compares across machines and loads better than the bare figure.
 */
@State(Scope.Thread)
@Fork(1)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 3, time = 4)
public class BaselineBench {

    private double[] points;
    private int cursor;

    @Setup
    public void setUp() {
        points = Points.get().values();
        cursor = DetectorBench.WARM % points.length;
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(DetectorBench.BATCH)
    public double loop() {
        double sum = 0;
        for (int i = 0; i < DetectorBench.BATCH; i++) {
            sum += points[cursor];
            if (++cursor == points.length) {
                cursor = 0;
            }
        }
        return sum;
    }
}
