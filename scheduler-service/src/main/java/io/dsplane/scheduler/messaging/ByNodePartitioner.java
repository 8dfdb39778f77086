package io.dsplane.scheduler.messaging;

import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.streams.processor.StreamPartitioner;

import io.dsplane.contracts.event.Topics;

/**
 * ByNodePartitioner routes node and pod items by node name (the same murmur2 hash the default
 * partitioner uses) and sends DaemonSet items to EVERY partition. Each task thus owns a disjoint set
 * of nodes with all their pods, and knows every DaemonSet, so it can decide alone for its nodes:
 * resource fit and preemption are per node, and no decision needs two tasks.
 */
public class ByNodePartitioner implements StreamPartitioner<String, WorkItem> {

    @Override
    public Optional<Set<Integer>> partitions(String topic, String key, WorkItem value, int numPartitions) {
        if (value != null && value.kind() == WorkItem.Kind.DAEMONSET) {
            return Optional.of(IntStream.range(0, numPartitions).boxed().collect(Collectors.toSet()));
        }
        return Optional.of(Set.of(Topics.partitionOf(key, numPartitions)));
    }
}
