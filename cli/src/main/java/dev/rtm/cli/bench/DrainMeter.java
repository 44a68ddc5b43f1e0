package dev.rtm.cli.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.apache.flink.core.execution.JobClient;

/**
 * The throughput measure of the benches: a bounded job drains a topic loaded beforehand, the
 * committed rows are sampled once a second, and the rate is taken between 10 % and 90 % of the
 * final count, so the job's start-up and its stop are left out. Jobs that run side by side are
 * measured over one common window ({@link #watchTogether}).
 */
final class DrainMeter {

    /**
     * One drain.
     *
     * @param rows rows committed at the end
     * @param sustainedRowsPerSecond rows/s between 10 % and 90 % of {@code rows} (NaN when too short to tell)
     * @param seconds from the start of watching to the job's end
     */
    record Drain(long rows, double sustainedRowsPerSecond, double seconds) {
    }

    private DrainMeter() {
    }

    /** Watches {@code job} until it ends (rethrowing its failure), sampling {@code committedRows}. */
    static Drain watch(JobClient job, LongSupplier committedRows) throws Exception {
        var result = job.getJobExecutionResult();
        List<long[]> progress = new ArrayList<>();
        long start = System.nanoTime();
        while (!result.isDone()) {
            progress.add(new long[] {System.nanoTime(), committedRows.getAsLong()});
            Thread.sleep(1000); // sampling period of the progress curve
        }
        result.get(); // rethrows a job failure
        progress.add(new long[] {System.nanoTime(), committedRows.getAsLong()});
        long total = progress.get(progress.size() - 1)[1];
        return new Drain(total, sustainedRate(progress, total), (System.nanoTime() - start) / 1e9);
    }

    /**
     * Watches a job that keeps running (it is not bounded) until {@code expected} rows are committed,
     * or the count has not grown for {@code stall}; a job that fails meanwhile rethrows its failure.
     * The job is left running, its state live.
     */
    static Drain watchUntil(JobClient job, LongSupplier committedRows, long expected, java.time.Duration stall) throws Exception {
        long start = System.nanoTime();
        List<long[]> progress = sampleUntil(job, committedRows, expected, stall, rows -> { });
        long rows = progress.get(progress.size() - 1)[1];
        return new Drain(rows, sustainedRate(progress, rows), (System.nanoTime() - start) / 1e9);
    }

    /**
     * The samples of {@link #watchUntil}, each {nanos, rows}; {@code eachSample} is given each sample's
     * rows as it is taken (before the next second's wait).
     */
    static List<long[]> sampleUntil(JobClient job, LongSupplier committedRows, long expected, java.time.Duration stall,
                                    java.util.function.LongConsumer eachSample) throws Exception {
        var result = job.getJobExecutionResult();
        List<long[]> progress = new ArrayList<>();
        long grew = System.nanoTime();
        long rows = -1;
        while (true) {
            if (result.isDone()) {
                result.get(); // rethrows a job failure
                throw new IllegalStateException("the job ended before committing " + expected + " rows");
            }
            long now = committedRows.getAsLong();
            progress.add(new long[] {System.nanoTime(), now});
            if (now != rows) {
                rows = now;
                grew = System.nanoTime();
            }
            if (rows >= expected || System.nanoTime() - grew > stall.toNanos()) {
                return progress;
            }
            eachSample.accept(now);
            Thread.sleep(1000); // sampling period of the progress curve
        }
    }

    /**
     * Watches jobs that run at the same time until all have ended. Each one's rate is taken over the
     * same window, from when all have passed 10 % of their final count to when the first reaches
     * 90 %, so that every job is measured only while the others run too (sharing the machine alike).
     */
    static List<Drain> watchTogether(List<JobClient> jobs, List<LongSupplier> committedRows) throws Exception {
        int n = jobs.size();
        List<List<long[]>> progress = new ArrayList<>();
        double[] seconds = new double[n];
        for (int i = 0; i < n; i++) {
            progress.add(new ArrayList<>());
        }
        long start = System.nanoTime();
        boolean running = true;
        while (running) {
            running = false;
            for (int i = 0; i < n; i++) {
                boolean done = jobs.get(i).getJobExecutionResult().isDone();
                if (done && seconds[i] == 0) {
                    seconds[i] = (System.nanoTime() - start) / 1e9;
                }
                running |= !done;
                progress.get(i).add(new long[] {System.nanoTime(), committedRows.get(i).getAsLong()});
            }
            if (running) {
                Thread.sleep(1000); // sampling period of the progress curves
            }
        }
        for (JobClient j : jobs) {
            j.getJobExecutionResult().get(); // rethrows a job failure
        }
        double[] rates = commonWindowRates(progress);
        List<Drain> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<long[]> p = progress.get(i);
            out.add(new Drain(p.get(p.size() - 1)[1], rates[i], seconds[i]));
        }
        return out;
    }

    /**
     * Each curve's rows/s over the window its samples share: from the sample where the last of them
     * has passed 10 % of its final count to the sample where the first has reached 90 %. Sample
     * {@code k} of every curve was taken in the same round; each sample is {nanos, rows}. NaN when
     * the curves do not overlap.
     */
    static double[] commonWindowRates(List<List<long[]>> progress) {
        int from = 0;
        int to = Integer.MAX_VALUE;
        for (List<long[]> p : progress) {
            long total = p.get(p.size() - 1)[1];
            from = Math.max(from, firstAtLeast(p, total * 0.1));
            to = Math.min(to, firstAtLeast(p, total * 0.9));
        }
        double[] rates = new double[progress.size()];
        for (int i = 0; i < rates.length; i++) {
            List<long[]> p = progress.get(i);
            rates[i] = to <= from ? Double.NaN : (p.get(to)[1] - p.get(from)[1]) / ((p.get(to)[0] - p.get(from)[0]) / 1e9);
        }
        return rates;
    }

    private static int firstAtLeast(List<long[]> progress, double rows) {
        for (int k = 0; k < progress.size(); k++) {
            if (progress.get(k)[1] >= rows) {
                return k;
            }
        }
        return progress.size() - 1;
    }

    /** Rows/s between the first samples at or above 10 % and 90 % of {@code total}; each sample is {nanos, rows}. */
    static double sustainedRate(List<long[]> progress, long total) {
        long[] lo = null;
        long[] hi = null;
        for (long[] p : progress) {
            if (lo == null && p[1] >= total * 0.1) {
                lo = p;
            }
            if (hi == null && p[1] >= total * 0.9) {
                hi = p;
            }
        }
        if (lo == null || hi == null || hi[0] == lo[0]) {
            return Double.NaN;
        }
        return (hi[1] - lo[1]) / ((hi[0] - lo[0]) / 1e9);
    }
}
