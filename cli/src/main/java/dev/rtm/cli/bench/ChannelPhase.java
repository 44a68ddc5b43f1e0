package dev.rtm.cli.bench;

/**
 * The figures of one throughput phase of the alerting bench ({@link ChannelRun}): a bounded job
 * drained the loaded topic while its channel's receiver answered 200 or hung every request.
 *
 * @param number the phase's place in the run
 * @param hanging whether the receiver hung every request
 * @param drain the job's drain (rows: raw + score rows, two per value)
 * @param alertEvents series alert transitions the job wrote ({@code alert_events})
 * @param created notifications the notify stage created ({@code notifications})
 * @param sent of them, accepted by the receiver
 * @param attempts delivery attempts recorded ({@code notification_attempts})
 * @param timedOut of them, ended by the channel's attempt timeout
 * @param received requests the receiver got
 * @param cpu CPU used while the job ran: by this JVM (the job, the notify stage, the receiver) and the machine;
 *        null when another job ran at the same time
 */
record ChannelPhase(int number, boolean hanging, DrainMeter.Drain drain, long alertEvents, long created, long sent,
                    long attempts, long timedOut, int received, CpuMeter.Used cpu) {

    /** Values/s end to end, sustained (two rows per value). */
    double valuesPerSecond() {
        return drain.sustainedRowsPerSecond() / 2;
    }
}
