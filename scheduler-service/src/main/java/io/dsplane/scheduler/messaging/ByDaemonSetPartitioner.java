package io.dsplane.scheduler.messaging;

import java.util.Optional;
import java.util.Set;

import org.apache.kafka.streams.processor.StreamPartitioner;

import io.dsplane.contracts.event.Topics;

/**
 * ByDaemonSetPartitioner routes rollout states keyed {@code namespace/name|node} by the DaemonSet
 * part only, so every node of a DaemonSet reaches the same rollout task.
 */
public class ByDaemonSetPartitioner implements StreamPartitioner<String, byte[]> {

    @Override
    public Optional<Set<Integer>> partitions(String topic, String key, byte[] value, int numPartitions) {
        String ds = key.substring(0, key.lastIndexOf('|'));
        return Optional.of(Set.of(Topics.partitionOf(ds, numPartitions)));
    }
}
