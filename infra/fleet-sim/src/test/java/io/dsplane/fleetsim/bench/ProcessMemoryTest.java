package io.dsplane.fleetsim.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ProcessMemoryTest {

    private static String cmdline(String... args) {
        return String.join("\0", args) + "\0";
    }

    @Test
    void jvmOptionsAreTheXOptionsBeforeTheMainClassOrJar() {
        assertThat(ProcessMemory.jvmOptions(cmdline("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java", "-Xmx512m",
                "-XX:+UseCompactObjectHeaders", "-XX:TieredStopAtLevel=1", "-jar", "pod-service/quarkus-run.jar",
                "-Xmx1g"))).isEqualTo("-Xmx512m -XX:+UseCompactObjectHeaders -XX:TieredStopAtLevel=1");
        // a class path is skipped with its value, properties are left out, the main class ends the options
        assertThat(ProcessMemory.jvmOptions(cmdline("java", "-Xmx512m", "-cp", "-Xlib/*:broker.jar", "-Dx=1",
                "io.dsplane.broker.BrokerLauncher", "-XX:Nope"))).isEqualTo("-Xmx512m");
        assertThat(ProcessMemory.jvmOptions("")).isEmpty();
    }

    @Test
    void theReportNamesCommonOptionsOnceAndDifferentOnesPerJvm() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("node-registry-service", "-Xmx512m -XX:TieredStopAtLevel=1");
        options.put("scheduler-service", "-Xmx512m");
        options.put("pod-service", "-Xmx512m");
        options.put("kafka", "");
        assertThat(Bench.jvmOptionsText(options)).isEqualTo(
                "node-registry -Xmx512m -XX:TieredStopAtLevel=1; scheduler, pod -Xmx512m; kafka (none)");
    }
}
