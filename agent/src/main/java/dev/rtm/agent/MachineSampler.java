package dev.rtm.agent;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;
import oshi.hardware.GlobalMemory;
import oshi.hardware.HWDiskStore;
import oshi.hardware.HardwareAbstractionLayer;
import oshi.hardware.NetworkIF;
import oshi.software.os.OSFileStore;
import oshi.software.os.OperatingSystem;

/**
 * Samples this machine with OSHI. Rates (bytes/s, errors/s) and CPU % are computed between two
 * consecutive calls, so the first call returns levels only. Metric names:
 * {@code cpu.total_pct, cpu.core<N>_pct, load.1m/5m/15m, mem.used_pct, mem.used_bytes, swap.used_pct,
 * disk.<mount>.used_pct, disk.read_bps, disk.write_bps, net.rx_bps, net.tx_bps, net.rx_errors_ps,
 * net.tx_errors_ps, proc.count, uptime_s}.
 */
public final class MachineSampler {

    private final HardwareAbstractionLayer hw;
    private final OperatingSystem os;
    private long[] cpuTicks;
    private long[][] coreTicks;
    private long lastNanos;
    private long[] lastIo;

    public MachineSampler() {
        SystemInfo si = new SystemInfo();
        hw = si.getHardware();
        os = si.getOperatingSystem();
    }

    /** The machine's host name. */
    public String hostName() {
        String name = os.getNetworkParams().getHostName();
        return name == null || name.isBlank() ? "localhost" : name;
    }

    /** One sample of every metric (NaN-free: a metric that cannot be read is left out). */
    public Map<String, Double> sample() {
        Map<String, Double> m = new LinkedHashMap<>();
        CentralProcessor cpu = hw.getProcessor();
        if (cpuTicks != null) {
            put(m, "cpu.total_pct", 100 * cpu.getSystemCpuLoadBetweenTicks(cpuTicks));
            double[] cores = cpu.getProcessorCpuLoadBetweenTicks(coreTicks);
            for (int i = 0; i < cores.length; i++) {
                put(m, "cpu.core" + i + "_pct", 100 * cores[i]);
            }
        }
        cpuTicks = cpu.getSystemCpuLoadTicks();
        coreTicks = cpu.getProcessorCpuLoadTicks();
        double[] load = cpu.getSystemLoadAverage(3);
        put(m, "load.1m", load[0]);
        put(m, "load.5m", load[1]);
        put(m, "load.15m", load[2]);
        GlobalMemory mem = hw.getMemory();
        long used = mem.getTotal() - mem.getAvailable();
        put(m, "mem.used_pct", 100.0 * used / mem.getTotal());
        put(m, "mem.used_bytes", used);
        long swapTotal = mem.getVirtualMemory().getSwapTotal();
        put(m, "swap.used_pct", swapTotal == 0 ? 0 : 100.0 * mem.getVirtualMemory().getSwapUsed() / swapTotal);
        for (OSFileStore fs : os.getFileSystem().getFileStores(true)) {
            if (fs.getTotalSpace() > 0) {
                put(m, "disk." + fs.getMount() + ".used_pct", 100.0 * (fs.getTotalSpace() - fs.getUsableSpace()) / fs.getTotalSpace());
            }
        }
        long[] io = new long[6];
        for (HWDiskStore d : hw.getDiskStores()) {
            io[0] += d.getReadBytes();
            io[1] += d.getWriteBytes();
        }
        List<NetworkIF> nets = hw.getNetworkIFs();
        for (NetworkIF n : nets) {
            io[2] += n.getBytesRecv();
            io[3] += n.getBytesSent();
            io[4] += n.getInErrors();
            io[5] += n.getOutErrors();
        }
        long now = System.nanoTime();
        if (lastIo != null) {
            double secs = Math.max((now - lastNanos) / 1e9, 1e-3);
            String[] names = {"disk.read_bps", "disk.write_bps", "net.rx_bps", "net.tx_bps", "net.rx_errors_ps", "net.tx_errors_ps"};
            for (int i = 0; i < names.length; i++) {
                put(m, names[i], Math.max(0, io[i] - lastIo[i]) / secs);
            }
        }
        lastIo = io;
        lastNanos = now;
        put(m, "proc.count", os.getProcessCount());
        put(m, "uptime_s", os.getSystemUptime());
        return m;
    }

    private static void put(Map<String, Double> m, String name, double v) {
        if (Double.isFinite(v) && v >= 0) {
            m.put(name, v);
        }
    }
}
