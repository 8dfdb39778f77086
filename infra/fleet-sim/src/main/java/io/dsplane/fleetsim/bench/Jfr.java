package io.dsplane.fleetsim.bench;

import java.nio.file.Path;

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
        return Jcmd.run(pid, "JFR.start", "name=" + NAME, "settings=profile");
    }

    /** stop writes the recording of {@code pid} to {@code file} and ends it. */
    public static String stop(long pid, Path file) {
        return Jcmd.run(pid, "JFR.stop", "name=" + NAME, "filename=" + file.toAbsolutePath());
    }
}
