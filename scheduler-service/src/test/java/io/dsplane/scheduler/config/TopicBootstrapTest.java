package io.dsplane.scheduler.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

import io.dsplane.broker.KafkaTestResource;
import io.dsplane.contracts.event.TopicBootstrap;

/**
 * The scheduler's start-up check reads the partition counts of topics that another service may be
 * creating at the same moment (all four start side by side); against a real broker.
 */
class TopicBootstrapTest {

    @Test
    void aTopicCreatedWhileTheCountsAreAskedForIsWaitedFor() throws Exception {
        String bootstrap = KafkaTestResource.bootstrapServers();
        String topic = "topic-bootstrap-test-" + UUID.randomUUID();
        assertThatThrownBy(() -> TopicBootstrap.partitionCounts(bootstrap, List.of(topic), Duration.ZERO))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(topic);

        CompletableFuture<Map<String, Integer>> counts = CompletableFuture.supplyAsync(
                () -> TopicBootstrap.partitionCounts(bootstrap, List.of(topic), Duration.ofSeconds(60)));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }

        assertThat(counts.get(90, TimeUnit.SECONDS)).isEqualTo(Map.of(topic, 3));
    }

    @Test
    void aTopicThatNeverAppearsFailsOnceThePatienceIsUsedUp() {
        String bootstrap = KafkaTestResource.bootstrapServers();
        String topic = "topic-bootstrap-absent-" + UUID.randomUUID();
        long start = System.nanoTime();
        assertThatThrownBy(() -> TopicBootstrap.partitionCounts(bootstrap, List.of(topic), Duration.ofSeconds(2)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("could not describe")
                .hasMessageContaining(topic);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }
}
