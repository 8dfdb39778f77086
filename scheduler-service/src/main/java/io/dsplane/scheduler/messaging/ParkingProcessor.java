package io.dsplane.scheduler.messaging;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

import io.dsplane.contracts.event.Parking;

/** ParkingProcessor turns an unreadable input into a parked record: the original bytes plus the reason headers. */
public class ParkingProcessor implements FixedKeyProcessor<String, Routed, byte[]> {

    private FixedKeyProcessorContext<String, byte[]> context;

    @Override
    public void init(FixedKeyProcessorContext<String, byte[]> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, Routed> record) {
        Routed r = record.value();
        var headers = record.headers();
        headers.add(Parking.REASON, bytes(r.error()));
        headers.add(Parking.CAUSE, bytes("MalformedEvent"));
        headers.add(Parking.TOPIC, bytes(r.topic()));
        headers.add(Parking.PARTITION, bytes(Integer.toString(r.partition())));
        headers.add(Parking.OFFSET, bytes(Long.toString(r.offset())));
        headers.add(Parking.CONSUMER, bytes("scheduler-service"));
        context.forward(record.withValue(r.original()));
    }

    private static byte[] bytes(String s) {
        return (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
    }
}
