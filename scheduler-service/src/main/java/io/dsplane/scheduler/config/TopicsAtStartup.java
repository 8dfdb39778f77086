package io.dsplane.scheduler.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.dsplane.contracts.event.TopicBootstrap;
import io.dsplane.contracts.event.Topics;
import io.dsplane.scheduler.messaging.TopologyProducer;
import io.quarkus.runtime.StartupEvent;

/**
 * TopicsAtStartup creates the product's topics if this service starts first; the Kafka Streams
 * runtime waits for them ({@code quarkus.kafka-streams.topics}) before it starts processing. It then
 * checks that the topics the scheduler reads in place (node events and rollout grants, see
 * {@link TopologyProducer}) have as many partitions as its repartition topic: with fewer or more, a
 * node's events would reach another task than its pods, so the scheduler refuses to start. Pods read
 * on the wrong partition are re-partitioned instead, so a pods topic of another size only costs speed,
 * and is warned about.
 */
@ApplicationScoped
public class TopicsAtStartup {

    private static final Logger LOG = Logger.getLogger(TopicsAtStartup.class);

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
        List<String> topics = new ArrayList<>(TopologyProducer.IN_PLACE_TOPICS);
        topics.add(Topics.PODS);
        Map<String, Integer> counts = new TreeMap<>(TopicBootstrap.partitionCounts(bootstrapServers, topics));
        Integer podPartitions = counts.remove(Topics.PODS);
        if (podPartitions != null && podPartitions != partitions) {
            LOG.warnf("%s has %d partitions and the scheduler's tasks %d: pod events will mostly reach their"
                    + " node's task through a repartition topic, which is correct but slower; give both the same"
                    + " count (TOPIC_PARTITIONS)", Topics.PODS, podPartitions, partitions);
        }
        List<String> wrong = mismatches(counts, partitions);
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
