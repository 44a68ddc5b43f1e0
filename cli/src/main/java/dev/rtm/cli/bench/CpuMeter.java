package dev.rtm.cli.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

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
     * @param jitSeconds CPU seconds of this JVM's JIT compiler threads (part of {@code jvmSeconds}; Linux
     *     {@code /proc/self/task}), NaN where not readable
     */
    record Used(double jvmSeconds, double machineBusy, double jitSeconds) {
    }

    private final long jvmNanos;
    private final long[] machine;
    private final Map<String, Long> jitTicks;

    private CpuMeter() {
        this.jvmNanos = jvmCpuNanos();
        this.machine = machineTicks();
        this.jitTicks = jitTicks();
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
        Map<String, Long> jit = jitTicks();
        double jitSeconds = Double.NaN;
        if (jit != null && jitTicks != null) {
            long ticks = 0;
            for (var t : jit.entrySet()) {
                ticks += t.getValue() - jitTicks.getOrDefault(t.getKey(), 0L);
            }
            jitSeconds = ticks / (double) TICKS_PER_SECOND;
        }
        return new Used((jvmCpuNanos() - jvmNanos) / 1e9, busy, jitSeconds);
    }

    /** Linux's USER_HZ, the unit of /proc's CPU times (100 on every Linux ABI the JDK runs on). */
    static final int TICKS_PER_SECOND = 100;

    /**
     * CPU ticks (user + system) of each live JIT compiler thread, by thread id, or null where /proc is
     * not readable. Not the CompilationMXBean's total compilation time: that sums each compilation's
     * elapsed time, which on a busy machine counts the time a compiler thread waited for a core (it
     * exceeded the JVM's whole CPU time in the bench's first drain). A compiler thread the JVM stops
     * during the stretch takes its ticks with it, so this is a lower bound.
     */
    static Map<String, Long> jitTicks() {
        Path tasks = Path.of("/proc/self/task");
        Map<String, Long> out = new HashMap<>();
        try (var dirs = Files.list(tasks)) {
            for (Path task : (Iterable<Path>) dirs::iterator) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException gone) {
                    continue; // the thread ended meanwhile
                }
                int open = stat.indexOf('(');
                int close = stat.lastIndexOf(')');
                if (open < 0 || close < open) {
                    continue;
                }
                String name = stat.substring(open + 1, close);
                if (!name.startsWith("C1 CompilerThre") && !name.startsWith("C2 CompilerThre")) {
                    continue;
                }
                String[] f = stat.substring(close + 2).split(" ");
                out.put(task.getFileName().toString(), Long.parseLong(f[11]) + Long.parseLong(f[12])); // utime, stime
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return out;
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
