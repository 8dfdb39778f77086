package io.dsplane.fleetsim.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** ProcessMemory reads RSS from /proc and heap figures from a service's Prometheus metrics (M4). */
public final class ProcessMemory {

    private static final Pattern VMRSS = Pattern.compile("(?m)^VmRSS:\\s+(\\d+)\\s+kB");
    private static final Pattern VMHWM = Pattern.compile("(?m)^VmHWM:\\s+(\\d+)\\s+kB");

    private ProcessMemory() {
    }

    /** rssBytes is VmRSS of a /proc/&lt;pid&gt;/status text, -1 when absent. */
    public static long rssBytes(String procStatus) {
        Matcher m = VMRSS.matcher(procStatus);
        return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
    }

    /** peakRssBytes is VmHWM (the RSS high-water mark), -1 when absent. */
    public static long peakRssBytes(String procStatus) {
        Matcher m = VMHWM.matcher(procStatus);
        return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
    }

    /** readCmdline returns the NUL-separated command line of the process, or "" when it is gone. */
    public static String readCmdline(long pid) {
        try {
            return pid < 0 ? "" : Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"));
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * jvmOptions is the JVM's own options on a command line, as one string: those before the main
     * class or {@code -jar} that start with {@code -X} (heap, GC, JIT); class paths and properties left out.
     */
    public static String jvmOptions(String cmdline) {
        StringBuilder sb = new StringBuilder();
        String[] args = cmdline.split("\0");
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-jar") || !a.startsWith("-")) {
                break;
            }
            if (a.equals("-cp") || a.equals("-classpath")) {
                i++;
            } else if (a.startsWith("-X")) {
                sb.append(sb.length() == 0 ? "" : " ").append(a);
            }
        }
        return sb.toString();
    }

    /** readStatus returns /proc/&lt;pid&gt;/status, or "" when the process is gone. */
    public static String readStatus(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "status"));
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * sumMetric adds the values of every sample of {@code name} whose labels contain {@code labelMatch}
     * (e.g. {@code area="heap"}) in a Prometheus text exposition; -1 when there is none.
     */
    public static long sumMetric(String metrics, String name, String labelMatch) {
        double sum = 0;
        boolean found = false;
        for (String line : metrics.split("\n")) {
            if (line.startsWith("#") || !line.startsWith(name)) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            if (space < 0) {
                continue;
            }
            String metricName = brace < 0 ? line.substring(0, space) : line.substring(0, brace);
            if (!metricName.equals(name)) {
                continue;
            }
            String labels = brace < 0 ? "" : line.substring(brace, line.indexOf('}', brace) + 1);
            if (labelMatch != null && !labels.contains(labelMatch)) {
                continue;
            }
            try {
                sum += Double.parseDouble(line.substring(space + 1).trim());
                found = true;
            } catch (NumberFormatException e) {
                // not a sample line
            }
        }
        return found ? Math.round(sum) : -1;
    }
}
