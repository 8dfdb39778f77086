package io.dsplane.scheduler.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.List;

import io.dsplane.contracts.event.TopicBootstrap;
import io.dsplane.contracts.event.Topics;
import io.dsplane.scheduler.messaging.TopologyProducer;
import io.quarkus.runtime.StartupEvent;

/**
 * TopicsAtStartup creates the product's topics if this service starts first; the Kafka Streams
 * runtime waits for them ({@code quarkus.kafka-streams.topics}) before it starts processing.
 */
@ApplicationScoped
public class TopicsAtStartup {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    /** Partitions of topics created at start-up (existing topics keep theirs). */
    @ConfigProperty(name = "dsplane.topics.partitions", defaultValue = "6")
    int partitions;

    /** Replication factor of topics created at start-up. */
    @ConfigProperty(name = "dsplane.topics.replication-factor", defaultValue = "1")
    short replicationFactor;

    void onStart(@Observes StartupEvent event) {
        TopicBootstrap.ensureTopics(bootstrapServers, partitions, replicationFactor,
                List.of(new Topics.TopicSpec(TopologyProducer.GRANTS_TOPIC, false)));
    }
}
