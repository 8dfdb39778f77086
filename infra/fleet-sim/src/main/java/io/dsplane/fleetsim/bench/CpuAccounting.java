package io.dsplane.fleetsim.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * CpuAccounting tells where the machine's CPU went during a phase, from /proc: the CPU time of each
 * control-plane JVM, of Kafka, of all PostgreSQL processes, of the benchmark itself, and of everything
 * else (on a shared machine: other people's builds), next to the idle time. On a machine the benchmark
 * does not have to itself, this is what makes the numbers interpretable.
 *
 * <p>Within each JVM it also tells the CPU of the JIT compiler threads and of the garbage collector's
 * threads apart (by thread name, from /proc/&lt;pid&gt;/task): the JIT's share is the part of a phase that
 * is warm-up rather than work, and it is measured here instead of inferred from a warm run.
 */
public final class CpuAccounting {

    /** Clock ticks per second of /proc/&lt;pid&gt;/stat and /proc/stat (USER_HZ; 100 on Linux). */
    static final double HZ = 100.0;

    /**
     * A snapshot: ticks per named process group, the machine's busy and idle ticks, and per JVM the
     * ticks of its threads by {@link ThreadClass} (JIT and GC only; the rest is the process's total less those).
     */
    public record Snapshot(Map<String, Long> ticks, long busy, long idle, long nanos, Map<String, long[]> jvmThreads) {
    }

    /** ThreadClass is what a JVM thread does, as far as its name tells. */
    enum ThreadClass {
        /** The C1 and C2 compiler threads. */
        JIT,
        /** G1's (or Parallel's) worker, marking, refinement and service threads. */
        GC,
        /** Everything else: the service's own threads, Kafka's clients, the VM thread. */
        OTHER
    }

    /** Thread names as /proc shows them (15 characters at most): "C2 CompilerThre", "GC Thread#1", "G1 Refine#0". */
    private static final Pattern JIT_THREAD = Pattern.compile("C[12] CompilerThre.*");
    private static final Pattern GC_THREAD = Pattern.compile("(GC Thread#|G1 ).*");

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
        Map<String, long[]> threads = new LinkedHashMap<>();
        pids.forEach((name, pid) -> {
            if (pid >= 0) {
                threads.put(name, threadTicks(pid));
            }
        });
        return new Snapshot(ticks, machine[0], machine[1], System.nanoTime(), threads);
    }

    /** threadClass classifies a thread by its name in /proc/&lt;pid&gt;/task/&lt;tid&gt;/stat. */
    static ThreadClass threadClass(String name) {
        if (JIT_THREAD.matcher(name).matches()) {
            return ThreadClass.JIT;
        }
        return GC_THREAD.matcher(name).matches() ? ThreadClass.GC : ThreadClass.OTHER;
    }

    /** threadName is the name between the parentheses of a /proc stat line, "" if unreadable. */
    static String threadName(String stat) {
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        return open < 0 || close < open ? "" : stat.substring(open + 1, close);
    }

    /**
     * threadTicks adds up the ticks of the JVM's live JIT and GC threads: {jit, gc}. Both kinds live as
     * long as the JVM here (one C1 and one C2 thread on a small machine; GC workers are started on
     * demand and kept), so a difference of two snapshots is their CPU in between.
     */
    private static long[] threadTicks(long pid) {
        long[] out = new long[2];
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path t : tasks) {
                String stat = read(t.resolve("stat").toString());
                switch (threadClass(threadName(stat))) {
                    case JIT -> out[0] += processTicks(stat);
                    case GC -> out[1] += processTicks(stat);
                    case OTHER -> {
                    }
                }
            }
        } catch (IOException e) {
            // the process is gone: nothing to add
        }
        return out;
    }

    /**
     * jvmThreadsBetween returns per JVM the CPU seconds of its JIT compiler threads and of its GC
     * threads from {@code a} to {@code b}: {jit, gc}.
     */
    public static Map<String, double[]> jvmThreadsBetween(Snapshot a, Snapshot b) {
        Map<String, double[]> out = new LinkedHashMap<>();
        b.jvmThreads().forEach((name, after) -> {
            long[] before = a.jvmThreads().getOrDefault(name, new long[2]);
            out.put(name, new double[] {Math.max(0, after[0] - before[0]) / HZ, Math.max(0, after[1] - before[1]) / HZ});
        });
        return out;
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
