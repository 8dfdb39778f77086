package io.dsplane.contracts.event;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * ParkedRecords moves records a consumer could not use to dsplane.parked.v1: same key and value, and
 * the {@link Parking} headers saying why, from where, and which consumer parked them. Used by every
 * batch consumer of the services, which must park single records without failing the rest of their
 * batch (the messaging layer's dead-letter queue would park the whole batch). {@link #park} returns only once the broker
 * has the records, so the caller may commit the offsets afterwards.
 */
@ApplicationScoped
public class ParkedRecords {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @ConfigProperty(name = "quarkus.application.name")
    String applicationName;

    private KafkaProducer<String, byte[]> producer;

    /** Parked is one record to park and why. */
    public record Parked(String topic, int partition, long offset, String key, byte[] value, String reason,
            String cause) {

        public static Parked of(ConsumerRecord<String, byte[]> record, String reason, String cause) {
            return new Parked(record.topic(), record.partition(), record.offset(), record.key(), record.value(),
                    reason, cause);
        }
    }

    /**
     * park publishes the records (acks=all) and waits until every one is acknowledged.
     *
     * @throws IllegalStateException when the broker does not take them within {@code timeout}
     */
    public void park(String consumer, List<Parked> records, Duration timeout) {
        if (records.isEmpty()) {
            return;
        }
        KafkaProducer<String, byte[]> p = producer();
        List<Future<RecordMetadata>> sends = new ArrayList<>(records.size());
        for (Parked r : records) {
            RecordHeaders headers = new RecordHeaders();
            header(headers, Parking.REASON, r.reason());
            header(headers, Parking.CAUSE, r.cause());
            header(headers, Parking.TOPIC, r.topic());
            header(headers, Parking.PARTITION, Integer.toString(r.partition()));
            header(headers, Parking.OFFSET, Long.toString(r.offset()));
            header(headers, Parking.CONSUMER, consumer);
            sends.add(p.send(new ProducerRecord<>(Topics.PARKED, null, r.key(), r.value(), headers)));
        }
        p.flush();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            for (Future<RecordMetadata> f : sends) {
                f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while parking records", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not park " + records.size() + " records on " + Topics.PARKED
                    + ": " + e.getMessage(), e);
        }
    }

    private static void header(RecordHeaders headers, String name, String value) {
        headers.add(name, (value == null ? "" : value).getBytes(StandardCharsets.UTF_8));
    }

    private synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            props.put(ProducerConfig.CLIENT_ID_CONFIG, applicationName + "-parking");
            producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    @PreDestroy
    synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }
}
