package io.dsplane.scheduler.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.dsplane.contracts.event.TopicBootstrap;
import io.dsplane.contracts.event.Topics;
import io.dsplane.scheduler.messaging.TopologyProducer;
import io.quarkus.runtime.StartupEvent;

/**
 * TopicsAtStartup creates the product's topics if this service starts first; the Kafka Streams
 * runtime waits for them ({@code quarkus.kafka-streams.topics}) before it starts processing. It then
 * checks that the topics the scheduler reads in place (node events and rollout grants, see
 * {@link TopologyProducer}) have as many partitions as its repartition topic: with fewer or more, a
 * node's events would reach another task than its pods, so the scheduler refuses to start.
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
        List<String> wrong = mismatches(TopicBootstrap.partitionCounts(bootstrapServers,
                TopologyProducer.IN_PLACE_TOPICS), partitions);
        if (!wrong.isEmpty()) {
            throw new IllegalStateException("the scheduler reads " + String.join(" and ", wrong)
                    + " in place and needs them to have " + partitions + " partitions, as many as its"
                    + " repartition topic gets from dsplane.topics.partitions (env TOPIC_PARTITIONS):"
                    + " set TOPIC_PARTITIONS to the topics' partition count, or give the topics "
                    + partitions + " partitions");
        }
    }

    /**
     * mismatches names the topics whose partition count is not {@code expected}, with their count, in
     * name order.
     */
    static List<String> mismatches(Map<String, Integer> partitionCounts, int expected) {
        List<String> wrong = new ArrayList<>();
        new TreeMap<>(partitionCounts).forEach((topic, count) -> {
            if (count != expected) {
                wrong.add(topic + " (" + count + " partitions)");
            }
        });
        return wrong;
    }
}
