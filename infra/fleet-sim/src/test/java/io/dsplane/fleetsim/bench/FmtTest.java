package io.dsplane.fleetsim.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

class FmtTest {

    @Test
    void formatsPercentilesOfMicroseconds() {
        Histogram h = new Histogram(3_600_000_000L, 3);
        for (int i = 1; i <= 1000; i++) {
            h.recordValue(i * 1000L); // 1 ms .. 1000 ms
        }
        String line = Fmt.percentiles(h);
        assertThat(line).startsWith("n=1000  p50 500 ms  p99 990 ms  p99.9 999 ms  max 1000 ms");
        ObjectNode json = Fmt.percentilesJson(h);
        assertThat(json.get("count").asLong()).isEqualTo(1000);
        assertThat(json.get("p99_ms").asDouble()).isBetween(989.0, 991.0);
        assertThat(Fmt.percentiles(new Histogram(3))).isEqualTo("n=0 (no samples)");
    }

    @Test
    void formatsDurationsAndSizes() {
        assertThat(Fmt.micros(420)).isEqualTo("0.42 ms");
        assertThat(Fmt.micros(12_345)).isEqualTo("12.3 ms");
        assertThat(Fmt.micros(1_234_000)).isEqualTo("1234 ms");
        assertThat(Fmt.micros(12_345_678)).isEqualTo("12.35 s");
        assertThat(Fmt.mib(256L * 1024 * 1024)).isEqualTo("256.0 MiB");
        assertThat(Fmt.mib(-1)).isEqualTo("n/a");
    }

    @Test
    void alignsTableColumns() {
        String t = new Fmt.Table().row("a", "bb", "c").row("dddd", "e", "f").render("  ");
        assertThat(t).isEqualTo("  a     bb  c\n  dddd  e   f\n");
    }

    @Test
    void readsRssAndHeapFromProcAndPrometheusText() {
        String status = "Name:\tjava\nVmHWM:\t  400000 kB\nVmRSS:\t  123456 kB\nThreads:\t40\n";
        assertThat(ProcessMemory.rssBytes(status)).isEqualTo(123456L * 1024);
        assertThat(ProcessMemory.peakRssBytes(status)).isEqualTo(400000L * 1024);
        assertThat(ProcessMemory.rssBytes("")).isEqualTo(-1);
        String metrics = """
                # HELP jvm_memory_used_bytes The amount of used memory
                # TYPE jvm_memory_used_bytes gauge
                jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1.048576E7
                jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 2.097152E7
                jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 5.0E7
                jvm_memory_used_bytes_other{area="heap"} 99
                """;
        assertThat(ProcessMemory.sumMetric(metrics, "jvm_memory_used_bytes", "area=\"heap\"")).isEqualTo(31_457_280L);
        assertThat(ProcessMemory.sumMetric(metrics, "jvm_memory_committed_bytes", "area=\"heap\"")).isEqualTo(-1);
    }

    @Test
    void readsCpuTicksFromProc() {
        String stat = "1234 (java thread) S 1 1234 1234 0 -1 4194560 5 0 0 0 250 50 0 0 20 0 40 0 100 0 0";
        assertThat(CpuAccounting.processTicks(stat)).isEqualTo(300);
        long[] m = CpuAccounting.machineTicks("cpu  100 0 50 800 20 0 5 0 0 0\ncpu0 50 0 25 400 10 0 2 0 0 0\n");
        assertThat(m).containsExactly(155, 820);
    }
}
