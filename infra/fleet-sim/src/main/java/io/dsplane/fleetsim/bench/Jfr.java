package io.dsplane.fleetsim.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Jfr starts and stops a JDK Flight Recording in the service JVMs with jcmd, so the benchmark can
 * record a phase (e.g. M1) in every service at once. Summarize the files with {@link JfrTop}.
 */
public final class Jfr {

    private static final String NAME = "dsplane-bench";

    private Jfr() {
    }

    /** start begins a recording with the "profile" settings (10/20 ms execution sampling) in {@code pid}. */
    public static String start(long pid) {
        return jcmd(pid, "JFR.start", "name=" + NAME, "settings=profile");
    }

    /** stop writes the recording of {@code pid} to {@code file} and ends it. */
    public static String stop(long pid, Path file) {
        return jcmd(pid, "JFR.stop", "name=" + NAME, "filename=" + file.toAbsolutePath());
    }

    static String jcmd(long pid, String... command) {
        List<String> cmd = new ArrayList<>();
        cmd.add("jcmd");
        cmd.add(Long.toString(pid));
        cmd.addAll(List.of(command));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroy();
                return "jcmd timed out";
            }
            return out;
        } catch (IOException e) {
            return "jcmd failed: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
