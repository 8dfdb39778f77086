package io.dsplane.fleetsim.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class CpuAccountingTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "C2 CompilerThre | JIT",
            "C1 CompilerThre | JIT",
            "GC Thread#0     | GC",
            "GC Thread#1     | GC",
            "G1 Main Marker  | GC",
            "G1 Conc#0       | GC",
            "G1 Refine#0     | GC",
            "G1 Service      | GC",
            "VM Thread       | OTHER",
            "executor-thread | OTHER",
            "scheduler-servi | OTHER",
            "data-plane-kafk | OTHER",
            "C3 CompilerThre | OTHER",
            "MyGC Thread#0   | OTHER",
            "''              | OTHER",
    })
    void classifiesThreadsByTheirNames(String name, CpuAccounting.ThreadClass expected) {
        assertThat(CpuAccounting.threadClass(name)).isEqualTo(expected);
    }

    @Test
    void readsTheNameOfAThreadEvenWithParenthesesAndSpacesInIt() {
        assertThat(CpuAccounting.threadName("4242 (C2 CompilerThre) S 1 2 3 4 5 6 7 8 9 10 11 120 30"))
                .isEqualTo("C2 CompilerThre");
        assertThat(CpuAccounting.threadName("7 (a (b) c) R 1")).isEqualTo("a (b) c");
        assertThat(CpuAccounting.threadName("garbage")).isEmpty();
        // utime 120 + stime 30 (fields 14 and 15)
        assertThat(CpuAccounting.processTicks("4242 (C2 CompilerThre) S 1 2 3 4 5 6 7 8 9 10 120 30"))
                .isEqualTo(150);
    }

    @Test
    void aPhaseCountsTheJitAndGcTicksOfEachJvmInItAndAJvmNewInTheSecondSnapshotFromZero() {
        Map<String, long[]> before = new LinkedHashMap<>();
        before.put("scheduler-service", new long[] {1000, 200});
        Map<String, long[]> after = new LinkedHashMap<>();
        after.put("scheduler-service", new long[] {1250, 230});
        after.put("kafka", new long[] {80, 6});
        CpuAccounting.Snapshot a = new CpuAccounting.Snapshot(Map.of(), 0, 0, 0, before);
        CpuAccounting.Snapshot b = new CpuAccounting.Snapshot(Map.of(), 0, 0, 0, after);

        Map<String, double[]> phase = CpuAccounting.jvmThreadsBetween(a, b);

        assertThat(phase).containsOnlyKeys("scheduler-service", "kafka");
        assertThat(phase.get("scheduler-service")).containsExactly(2.5, 0.3);
        assertThat(phase.get("kafka")).containsExactly(0.8, 0.06);
        assertThat(Bench.jvmThreadsText(phase)).isEqualTo("scheduler 2.5 / 0.3, kafka 0.8 / 0.1; all JVMs 3.3 / 0.4");
    }
}
