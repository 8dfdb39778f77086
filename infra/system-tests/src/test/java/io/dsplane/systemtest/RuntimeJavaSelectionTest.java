package io.dsplane.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which JVM infra/local/up and the benchmark run the control plane on ({@code select_runtime_java} in
 * infra/local/lib.sh), against stand-in java binaries that report a version the way a real one does
 * ({@code -XshowSettings:properties}): the newest 17+ wins, JAVA_HOME overrides the search, compact
 * object headers come with Java 25 only, and a machine without Java 17 gets a clear error.
 */
class RuntimeJavaSelectionTest {

    private static final Path LIB = Path.of(System.getProperty("dsplane.root", "../.."))
            .resolve("infra/local/lib.sh").toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    /** Outcome is what the selection printed (JAVA|RUNTIME_JAVA_OPTS) and its exit code. */
    private record Outcome(int exitCode, String out) {
    }

    @Test
    void theNewestJdkWinsOverTheOneOnThePathAndBringsCompactHeadersFrom25() throws Exception {
        Path path = jdk("path", "17");
        jdk("jvm/java-17-openjdk-amd64", "17");
        Path newest = jdk("jvm/temurin-25-jdk-amd64", "25");
        jdk("jvm/java-21-openjdk-amd64", "21");

        Outcome o = select(path, null);

        assertThat(o.exitCode()).isZero();
        assertThat(o.out()).isEqualTo(newest.resolve("bin/java") + "|-XX:+UseCompactObjectHeaders");
    }

    @Test
    void belowJava25TheServicesGetNoExtraOptions() throws Exception {
        Path path = jdk("path", "17");
        Path jdk21 = jdk("jvm/java-21-openjdk-amd64", "21");

        Outcome o = select(path, null);

        assertThat(o.out()).isEqualTo(jdk21.resolve("bin/java") + "|");
    }

    @Test
    void javaHomeDecidesEvenWhenANewerJdkIsInstalled() throws Exception {
        Path path = jdk("path", "25");
        jdk("jvm/temurin-25-jdk-amd64", "25");
        Path home = jdk("home", "17");

        Outcome o = select(path, home);

        assertThat(o.out()).isEqualTo(home.resolve("bin/java") + "|");
    }

    @Test
    void withoutAJava17AnywhereItFailsAndSaysWhatIsNeeded() throws Exception {
        Path path = jdk("path", "1.8");
        jdk("jvm/java-11-openjdk-amd64", "11");

        Outcome o = select(path, null);

        assertThat(o.exitCode()).isNotZero();
        assertThat(o.out()).contains("ERROR:").contains("Java 17 or newer");
    }

    /** jdk makes a stand-in JDK under tmp whose bin/java reports the given java.specification.version. */
    private Path jdk(String dir, String version) throws IOException {
        Path home = tmp.resolve(dir);
        Path bin = Files.createDirectories(home.resolve("bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/usr/bin/env bash\n"
                + "echo 'Property settings:' >&2\n"
                + "echo '    java.specification.version = " + version + "' >&2\n"
                + "echo '    java.vendor = Stand-in' >&2\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return home;
    }

    /** select sources lib.sh with only the stand-in {@code path}/bin ahead of the system's tools. */
    private Outcome select(Path pathJdk, Path javaHome) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c",
                "set -euo pipefail; source \"$LIB\"; select_runtime_java; echo \"$JAVA|$RUNTIME_JAVA_OPTS\"")
                .redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("LIB", LIB.toString());
        env.put("DSPLANE_JVM_DIR", tmp.resolve("jvm").toString());
        // The system's own java (in /usr/bin) comes after the stand-in, so `command -v java` finds the stand-in.
        env.put("PATH", pathJdk.resolve("bin") + ":/usr/bin:/bin");
        if (javaHome == null) {
            env.remove("JAVA_HOME");
        } else {
            env.put("JAVA_HOME", javaHome.toString());
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("selection finished").isTrue();
        return new Outcome(p.exitValue(), out);
    }
}
