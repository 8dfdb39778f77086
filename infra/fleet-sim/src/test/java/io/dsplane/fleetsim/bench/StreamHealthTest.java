package io.dsplane.fleetsim.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamHealthTest {

    private static final String METRICS = """
            # TYPE kafka_stream_thread_task_closed counter
            kafka_stream_thread_task_closed_total{kafka_version="4.1.2",thread_id="s-1-StreamThread-1"} 18.0
            kafka_stream_thread_task_closed_total{kafka_version="4.1.2",thread_id="s-1-StreamThread-2"} 3.0
            # TYPE kafka_consumer_coordinator_rebalance counter
            kafka_consumer_coordinator_rebalance_total{client_id="s-1-StreamThread-1-consumer",kafka_version="4.1.2"} 2.0
            kafka_consumer_coordinator_rebalance_total{client_id="other-group-consumer",kafka_version="4.1.2"} 7.0
            """;

    @Test
    void countsClosedTasksOfEveryStreamThreadAndRebalancesOfTheirConsumersOnly(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("kafka.log");
        Files.writeString(log, """
                [2026-12-03 06:21:10,001] INFO [TransactionCoordinator id=1] Initialized transactionalId s-1-1 with producerId 0
                [2026-12-03 06:21:40,002] INFO [TransactionCoordinator id=1] Completed rollback of ongoing transaction for transactionalId s-1-1 due to timeout (kafka.coordinator.transaction.TransactionCoordinator)
                [2026-12-03 06:22:40,002] INFO [TransactionCoordinator id=1] Completed rollback of ongoing transaction for transactionalId s-1-1 due to timeout (kafka.coordinator.transaction.TransactionCoordinator)
                [2026-12-03 06:22:41,000] INFO [TransactionCoordinator id=1] Completed rollback of ongoing transaction for transactionalId s-1-1 (aborted by the client)
                """);
        StreamHealth.Snapshot s = StreamHealth.of(METRICS, log);
        assertThat(s).isEqualTo(new StreamHealth.Snapshot(21, 2, 2));
    }

    @Test
    void aPhaseCountsOnlyWhatHappenedInItAndUnknownSourcesStayUnknown(@TempDir Path dir) {
        StreamHealth.Snapshot before = StreamHealth.of(METRICS.replace("} 18.0", "} 0.0"), dir.resolve("absent.log"));
        StreamHealth.Snapshot after = StreamHealth.of(METRICS, dir.resolve("absent.log"));
        StreamHealth.Snapshot phase = after.since(before);
        assertThat(phase).isEqualTo(new StreamHealth.Snapshot(18, 0, -1));
        assertThat(phase.text()).isEqualTo("18 tasks closed, 0 rebalances of the scheduler's stream thread;"
                + " n/a transactions rolled back by the broker for timeout");
        assertThat(StreamHealth.of("", null).since(before)).isEqualTo(new StreamHealth.Snapshot(-1, -1, -1));
    }
}
