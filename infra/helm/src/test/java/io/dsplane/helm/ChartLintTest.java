package io.dsplane.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.LintResult;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartLintTest {

    @TempDir
    Path workDir;

    @Test
    void chartWithDefaultValuesPassesStrictLint() {
        LintResult result = Chart.lint(workDir);
        assertThat(result.isFailed()).as("lint messages %s", result.getMessages()).isFalse();
    }

    @Test
    void chartWithEveryOptionalPartEnabledPassesStrictLint() {
        LintResult result = Chart.lint(workDir, "all-optional.yaml");
        assertThat(result.isFailed()).as("lint messages %s", result.getMessages()).isFalse();
    }

    @Test
    void strictLintFailsOnValuesThatBreakTheSchema() {
        LintResult result = Chart.lint(workDir, "replicas-as-string.yaml");
        assertThat(result.isFailed()).isTrue();
        assertThat(String.join("\n", result.getMessages())).contains("/podService/replicas");
    }
}
