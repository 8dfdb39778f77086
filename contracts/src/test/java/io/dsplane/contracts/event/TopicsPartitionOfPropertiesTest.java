package io.dsplane.contracts.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The pods topic is partitioned by node name and the nodes topic by its key, the node name, through
 * the default partitioner: both must pick the same partition for one name, or a node's pods would not
 * be where its events are.
 */
class TopicsPartitionOfPropertiesTest {

    @Property
    void partitionOfIsWhatTheDefaultPartitionerPicksForTheKey(@ForAll String key,
            @ForAll @IntRange(min = 1, max = 128) int partitions) {
        assertThat(Topics.partitionOf(key, partitions))
                .isEqualTo(BuiltInPartitioner.partitionForKey(key.getBytes(StandardCharsets.UTF_8), partitions));
    }
}
