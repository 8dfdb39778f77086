package io.dsplane.fleetsim.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * JfrTop summarizes the execution samples (jdk.ExecutionSample) of JFR recordings: per file, the
 * methods on top of the stack (self time), the first frame of the product's own code
 * ({@code io.dsplane.}) on each stack, and the methods present anywhere on the stack (inclusive), each
 * as a share of all samples. Usage: {@code infra/bench/jfr-top [--top N] FILE.jfr...}.
 */
public final class JfrTop {

    private JfrTop() {
    }

    public static void main(String[] argv) throws IOException {
        int top = 15;
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < argv.length; i++) {
            if (argv[i].equals("--top") && i + 1 < argv.length) {
                top = Integer.parseInt(argv[++i]);
            } else {
                files.add(Path.of(argv[i]));
            }
        }
        if (files.isEmpty()) {
            System.err.println("Usage: infra/bench/jfr-top [--top N] FILE.jfr...");
            System.exit(2);
        }
        for (Path f : files) {
            System.out.print(summarize(f, top));
        }
    }

    /** summarize returns the text report of one recording. */
    public static String summarize(Path file, int top) throws IOException {
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> own = new HashMap<>();
        Map<String, Integer> inclusive = new HashMap<>();
        Map<String, Integer> threads = new HashMap<>();
        Map<String, Integer> paths = new HashMap<>();
        int samples = 0;
        try (RecordingFile rf = new RecordingFile(file)) {
            while (rf.hasMoreEvents()) {
                RecordedEvent e = rf.readEvent();
                if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
                    continue;
                }
                RecordedStackTrace st = e.getStackTrace();
                if (st == null || st.getFrames().isEmpty()) {
                    continue;
                }
                samples++;
                String thread = e.getThread("sampledThread") == null ? "?" : e.getThread("sampledThread").getJavaName();
                threads.merge(threadGroup(thread), 1, Integer::sum);
                List<RecordedFrame> frames = st.getFrames();
                self.merge(name(frames.get(0)), 1, Integer::sum);
                String firstOwn = "(no io.dsplane frame)";
                Set<String> seen = new HashSet<>();
                List<String> ownPath = new ArrayList<>();
                for (RecordedFrame fr : frames) {
                    String n = name(fr);
                    if (n.startsWith("io.dsplane.") && ownPath.size() < 4
                            && (ownPath.isEmpty() || !ownPath.get(ownPath.size() - 1).equals(shortName(n)))) {
                        ownPath.add(shortName(n));
                    }
                    if (firstOwn.startsWith("(") && n.startsWith("io.dsplane.")) {
                        firstOwn = n;
                    }
                    if (seen.add(n)) {
                        inclusive.merge(n, 1, Integer::sum);
                    }
                }
                own.merge(firstOwn, 1, Integer::sum);
                Collections.reverse(ownPath);
                paths.merge(ownPath.isEmpty() ? "(no io.dsplane frame)" : String.join(" > ", ownPath), 1, Integer::sum);
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append("== ").append(file.getFileName()).append(": ").append(samples).append(" execution samples\n");
        append(sb, "threads (name without digits)", threads, samples, top);
        append(sb, "top of stack (self)", self, samples, top);
        append(sb, "first io.dsplane frame", own, samples, top);
        append(sb, "io.dsplane call paths (innermost 4 frames, caller > callee)", paths, samples, top);
        append(sb, "anywhere on the stack (inclusive)", inclusive, samples, top);
        return sb.toString();
    }

    private static String threadGroup(String thread) {
        return thread.replaceAll("[0-9]+", "#");
    }

    private static void append(StringBuilder sb, String title, Map<String, Integer> counts, int samples, int top) {
        sb.append("  ").append(title).append(":\n");
        counts.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(top)
                .forEach(en -> sb.append(String.format(Locale.ROOT, "    %5.1f%%  %s%n",
                        samples == 0 ? 0 : 100.0 * en.getValue() / samples, en.getKey())));
    }

    private static String shortName(String qualified) {
        int method = qualified.lastIndexOf('.');
        int type = qualified.lastIndexOf('.', method - 1);
        return qualified.substring(type + 1);
    }

    private static String name(RecordedFrame f) {
        if (f.getMethod() == null) {
            return "?";
        }
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }
}
