package io.dsplane.contracts.event;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * TopicBootstrap creates the product's topics when they are missing. Every service calls it at
 * start-up, so whichever starts first creates them and the order in which services start does not
 * matter. Existing topics are left as they are (their partition count is never changed here).
 */
public final class TopicBootstrap {

    private TopicBootstrap() {
    }

    /** ensureTopics creates every topic of {@link Topics#all()} that does not exist yet. */
    public static void ensureTopics(String bootstrapServers, int partitions, short replicationFactor) {
        ensureTopics(bootstrapServers, partitions, replicationFactor, List.of());
    }

    /** ensureTopics also creates a service's own topics ({@code extra}) that do not exist yet. */
    public static void ensureTopics(String bootstrapServers, int partitions, short replicationFactor,
            List<Topics.TopicSpec> extra) {
        try (Admin admin = admin(bootstrapServers)) {
            Set<String> existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            List<Topics.TopicSpec> specs = new ArrayList<>(Topics.all());
            specs.addAll(extra);
            for (Topics.TopicSpec spec : specs) {
                if (existing.contains(spec.name())) {
                    continue;
                }
                NewTopic topic = new NewTopic(spec.name(), partitions, replicationFactor);
                topic.configs(spec.compacted()
                        ? Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                                // Tombstones stay a day so a consumer that was down that long still sees deletes.
                                TopicConfig.DELETE_RETENTION_MS_CONFIG, "86400000")
                        : Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                                // 7 days: long enough to replay after any outage we plan for.
                                TopicConfig.RETENTION_MS_CONFIG, "604800000"));
                missing.add(topic);
            }
            if (missing.isEmpty()) {
                return;
            }
            try {
                admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
                // Another service created some of them at the same moment: that is the goal.
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not create topics on " + bootstrapServers + ": " + e.getMessage(), e);
        }
    }

    /**
     * partitionCounts returns the partition count of each of {@code topics}, which must exist, waiting
     * up to a minute for any that do not exist yet (see the overload).
     */
    public static Map<String, Integer> partitionCounts(String bootstrapServers, List<String> topics) {
        return partitionCounts(bootstrapServers, topics, Duration.ofMinutes(1));
    }

    /**
     * partitionCounts returns the partition count of each of {@code topics}. A topic that is unknown
     * is asked for again until {@code patience} has passed: a topic that another service (or this one,
     * a moment ago) created is known to the controller before every broker's metadata has it, and the
     * services start side by side, so the first describe can miss it.
     */
    public static Map<String, Integer> partitionCounts(String bootstrapServers, List<String> topics, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        try (Admin admin = admin(bootstrapServers)) {
            for (long pause = 50;; pause = Math.min(1000, pause * 2)) {
                try {
                    Map<String, Integer> counts = new TreeMap<>();
                    admin.describeTopics(topics).allTopicNames().get(60, TimeUnit.SECONDS)
                            .forEach((name, d) -> counts.put(name, d.partitions().size()));
                    return counts;
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof UnknownTopicOrPartitionException)
                            || System.nanoTime() + pause * 1_000_000 > deadline) {
                        throw e;
                    }
                    Thread.sleep(pause); // back-off before asking again
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not describe " + topics + " on " + bootstrapServers + ": "
                    + e.getMessage(), e);
        }
    }

    private static Admin admin(String bootstrapServers) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000);
        return Admin.create(props);
    }
}
