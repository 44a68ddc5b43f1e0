package dev.rtm.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JIT's share of a stretch is CPU time of the compiler threads, so it is part of the JVM's CPU time. */
class CpuMeterTest {

    @Test
    void theJitCompilersCpuIsFoundAndIsPartOfTheJvmsCpu() throws Exception {
        assertThat(CpuMeter.jitTicks()).as("the JVM's C1/C2 compiler threads under /proc/self/task").isNotEmpty();
        CpuMeter meter = CpuMeter.start();
        // fresh code for the compilers: many small classes' methods, each called hot
        List<Runnable> work = new ArrayList<>();
        long[] sink = new long[1];
        for (int i = 0; i < 200; i++) {
            int k = i;
            work.add(() -> {
                for (int j = 0; j < 20_000; j++) {
                    sink[0] += Long.rotateLeft(sink[0] ^ j, k % 63) * 31 + Integer.toString(j + k).hashCode();
                }
            });
        }
        work.forEach(Runnable::run);
        CpuMeter.Used used = meter.used();
        assertThat(used.jitSeconds()).isFinite().isGreaterThanOrEqualTo(0);
        assertThat(used.jitSeconds()).as("compiler threads' CPU, within /proc's 10 ms ticks per thread")
                .isLessThanOrEqualTo(used.jvmSeconds() + 0.01 * CpuMeter.jitTicks().size());
        assertThat(used.jvmSeconds()).isGreaterThan(0);
    }
}
