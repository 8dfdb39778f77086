package io.dsplane.fleetsim.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CpuAccounting tells where the machine's CPU went during a phase, from /proc: the CPU time of each
 * control-plane JVM, of Kafka, of all PostgreSQL processes, of the benchmark itself, and of everything
 * else (on a shared machine: other people's builds), next to the idle time. On a machine the benchmark
 * does not have to itself, this is what makes the numbers interpretable.
 */
public final class CpuAccounting {

    /** Clock ticks per second of /proc/&lt;pid&gt;/stat and /proc/stat (USER_HZ; 100 on Linux). */
    static final double HZ = 100.0;

    /** A snapshot: ticks per named process group, and the machine's busy and idle ticks. */
    public record Snapshot(Map<String, Long> ticks, long busy, long idle, long nanos) {
    }

    private final Map<String, Long> pids;

    /** @param pids named processes (service name -> pid); -1 pids are ignored */
    public CpuAccounting(Map<String, Long> pids) {
        this.pids = new LinkedHashMap<>(pids);
        this.pids.put("benchmark", ProcessHandle.current().pid());
    }

    public Snapshot snapshot() {
        Map<String, Long> ticks = new LinkedHashMap<>();
        pids.forEach((name, pid) -> ticks.put(name, pid < 0 ? 0 : processTicks(read("/proc/" + pid + "/stat"))));
        long pg = 0;
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : procs) {
                String stat = read(p.resolve("stat").toString());
                if (stat.contains("(postgres)")) {
                    pg += processTicks(stat);
                }
            }
        } catch (IOException e) {
            // leave pg at what was found
        }
        ticks.put("postgresql", pg);
        long[] machine = machineTicks(read("/proc/stat"));
        return new Snapshot(ticks, machine[0], machine[1], System.nanoTime());
    }

    /**
     * between returns CPU seconds per group from {@code a} to {@code b}, plus "other processes" (busy
     * time not accounted to a group; PostgreSQL backends that ended in between count there too) and
     * "idle", and "wall" seconds.
     */
    public static Map<String, Double> between(Snapshot a, Snapshot b) {
        Map<String, Double> out = new LinkedHashMap<>();
        long accounted = 0;
        for (Map.Entry<String, Long> e : b.ticks().entrySet()) {
            long d = Math.max(0, e.getValue() - a.ticks().getOrDefault(e.getKey(), 0L));
            accounted += d;
            out.put(e.getKey(), d / HZ);
        }
        out.put("other processes", Math.max(0, (b.busy() - a.busy()) - accounted) / HZ);
        out.put("idle", (b.idle() - a.idle()) / HZ);
        out.put("wall", (b.nanos() - a.nanos()) / 1e9);
        return out;
    }

    /** processTicks is utime + stime of a /proc/&lt;pid&gt;/stat line (fields 14 and 15), 0 if unreadable. */
    static long processTicks(String stat) {
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            return 0;
        }
        String[] f = stat.substring(close + 2).trim().split("\\s+");
        // f[0] is field 3 (state): utime is field 14 -> f[11], stime field 15 -> f[12]
        if (f.length < 13) {
            return 0;
        }
        try {
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** machineTicks returns {busy, idle} of the "cpu" line of /proc/stat (idle includes iowait). */
    static long[] machineTicks(String procStat) {
        for (String line : procStat.split("\n")) {
            if (line.startsWith("cpu ")) {
                String[] f = line.trim().split("\\s+");
                long total = 0;
                // user nice system idle iowait irq softirq steal (guest times are included in user)
                for (int i = 1; i <= Math.min(8, f.length - 1); i++) {
                    total += Long.parseLong(f[i]);
                }
                long idle = Long.parseLong(f[4]) + (f.length > 5 ? Long.parseLong(f[5]) : 0);
                return new long[] {total - idle, idle};
            }
        }
        return new long[] {0, 0};
    }

    private static String read(String path) {
        try {
            return Files.readString(Path.of(path));
        } catch (IOException e) {
            return "";
        }
    }
}
