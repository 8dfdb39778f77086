package io.dsplane.fleetsim.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Jcmd runs a diagnostic command in a service JVM (JFR recordings, a full collection before M4's live heap). */
final class Jcmd {

    private Jcmd() {
    }

    /** run sends {@code command} to the JVM {@code pid} and returns what jcmd printed (or why it failed). */
    static String run(long pid, String... command) {
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
