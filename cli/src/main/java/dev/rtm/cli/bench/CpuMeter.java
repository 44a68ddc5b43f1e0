package dev.rtm.cli.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU used over a stretch of time: by this JVM (the job runs in it), and by the whole machine
 * (Linux {@code /proc/stat}; other processes included), to tell a phase slowed by its own work
 * from one slowed by a busy machine.
 */
final class CpuMeter {

    /**
     * What a stretch used.
     *
     * @param jvmSeconds CPU seconds of this JVM
     * @param machineBusy share of all cores busy (0..1), NaN where /proc/stat is not readable
     * @param jitSeconds time this JVM's JIT compilers spent compiling (part of {@code jvmSeconds}), NaN where not told
     */
    record Used(double jvmSeconds, double machineBusy, double jitSeconds) {
    }

    private final long jvmNanos;
    private final long[] machine;
    private final long jitMillis;

    private CpuMeter() {
        this.jvmNanos = jvmCpuNanos();
        this.machine = machineTicks();
        this.jitMillis = jitMillis();
    }

    /** Starts measuring. */
    static CpuMeter start() {
        return new CpuMeter();
    }

    /** What was used since {@link #start}. */
    Used used() {
        long[] now = machineTicks();
        double busy = machine == null || now == null || now[1] == machine[1] ? Double.NaN
                : (double) (now[0] - machine[0]) / (now[1] - machine[1]);
        long jit = jitMillis();
        return new Used((jvmCpuNanos() - jvmNanos) / 1e9, busy, jit < 0 || jitMillis < 0 ? Double.NaN : (jit - jitMillis) / 1e3);
    }

    private static long jitMillis() {
        var jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
    }

    private static long jvmCpuNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
    }

    /** {busy, total} jiffies of all cores, or null. */
    private static long[] machineTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < Math.min(f.length, 9); i++) { // user nice system idle iowait irq softirq steal
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
