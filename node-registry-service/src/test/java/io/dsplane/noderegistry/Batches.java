package io.dsplane.noderegistry;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;

import io.dsplane.contracts.event.Topics;

/**
 * Batches builds what one poll of dsplane.node-status.v1 returns, so that a test can hand the consumer
 * exactly one batch and know what was in it.
 */
final class Batches {

    /** Offsets of the batches built here; only the parking headers show them. */
    private static final AtomicLong OFFSETS = new AtomicLong(1_000_000);

    /** Rec is one record of a batch: key and value (null: no value) as an agent sent them. */
    record Rec(String key, String value) {
    }

    private Batches() {
    }

    /** of returns the records as one batch from partition 0, in this order. */
    static ConsumerRecords<String, byte[]> of(Rec... records) {
        List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>();
        for (Rec r : records) {
            batch.add(new ConsumerRecord<>(Topics.NODE_STATUS, 0, OFFSETS.incrementAndGet(), r.key(),
                    r.value() == null ? null : r.value().getBytes(StandardCharsets.UTF_8)));
        }
        return new ConsumerRecords<>(Map.of(new TopicPartition(Topics.NODE_STATUS, 0), batch));
    }

    /** unique returns a number not returned before in this JVM. */
    static long unique() {
        return OFFSETS.incrementAndGet();
    }
}
