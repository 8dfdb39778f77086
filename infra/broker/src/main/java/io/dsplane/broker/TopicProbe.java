package io.dsplane.broker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * TopicProbe lets a test read a topic from the beginning and publish records, with plain
 * kafka-clients: what an outside observer or a node agent would do.
 */
public final class TopicProbe {

    private TopicProbe() {
    }

    /**
     * Record is a key, a value (null for tombstones), its headers as strings, the record's timestamp
     * in epoch milliseconds and its partition (both -1 for a record still to be published).
     */
    public record Record(String key, String value, java.util.Map<String, String> headers, long timestamp,
            int partition) {

        public Record(String key, String value, java.util.Map<String, String> headers) {
            this(key, value, headers, -1L, -1);
        }
    }

    /**
     * readUntil reads the whole topic repeatedly until the records read so far satisfy {@code done},
     * or the timeout passes; returns everything read. Bounded: it never waits past {@code timeout}.
     */
    public static List<Record> readUntil(String bootstrap, String topic, Predicate<List<Record>> done,
            Duration timeout) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "probe-" + UUID.randomUUID());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<Record> out = new ArrayList<>();
        Instant deadline = Instant.now().plus(timeout);
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            while (parts.isEmpty() && Instant.now().isBefore(deadline)) {
                List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(5));
                if (infos != null) {
                    infos.forEach(i -> parts.add(new TopicPartition(topic, i.partition())));
                }
            }
            c.assign(parts);
            c.seekToBeginning(parts);
            while (Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                    java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();
                    r.headers().forEach(h -> headers.put(h.key(),
                            h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8)));
                    out.add(new Record(r.key(), r.value(), headers, r.timestamp(), r.partition()));
                }
                if (done.test(out)) {
                    return out;
                }
            }
        }
        return out;
    }

    /** publish sends records synchronously (acks=all). */
    public static void publish(String bootstrap, String topic, List<Record> records) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(),
                new StringSerializer())) {
            for (Record r : records) {
                producer.send(new ProducerRecord<>(topic, r.key(), r.value()));
            }
            producer.flush();
        }
    }
}
