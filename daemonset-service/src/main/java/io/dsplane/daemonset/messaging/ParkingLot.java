package io.dsplane.daemonset.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.dsplane.contracts.event.Parking;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * ParkingLot moves single records a batch consumer cannot use to dsplane.parked.v1 (channel
 * {@code parked}), with the same key and value and the {@link Parking} headers: why, from where, and
 * which consumer. A batch channel cannot use the messaging layer's dead-letter queue for this, as that
 * parks whole batches. {@link #park} returns once the broker has every record (acks=all), so the batch
 * may be acknowledged afterwards without losing any.
 */
@ApplicationScoped
public class ParkingLot {

    /** Parked is one record to park and why. */
    public record Parked(ConsumerRecord<String, byte[]> record, String reason, String cause) {
    }

    @Inject
    @Channel("parked")
    MutinyEmitter<Record<String, byte[]>> emitter;

    /**
     * park publishes the records and waits for the broker.
     *
     * @throws RuntimeException when the broker does not take them within {@code timeout}
     */
    public void park(String consumer, List<Parked> records, Duration timeout) {
        if (records.isEmpty()) {
            return;
        }
        List<Uni<Void>> sends = new ArrayList<>(records.size());
        for (Parked p : records) {
            ConsumerRecord<String, byte[]> r = p.record();
            List<RecordHeader> headers = List.of(
                    header(Parking.REASON, p.reason()),
                    header(Parking.CAUSE, p.cause()),
                    header(Parking.TOPIC, r.topic()),
                    header(Parking.PARTITION, Integer.toString(r.partition())),
                    header(Parking.OFFSET, Long.toString(r.offset())),
                    header(Parking.CONSUMER, consumer));
            Message<Record<String, byte[]>> message = Message.of(Record.of(r.key(), r.value()))
                    .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withHeaders(headers).build());
            sends.add(emitter.sendMessage(message));
        }
        Uni.join().all(sends).andFailFast().await().atMost(timeout);
    }

    private static RecordHeader header(String name, String value) {
        return new RecordHeader(name, (value == null ? "" : value).getBytes(StandardCharsets.UTF_8));
    }
}
