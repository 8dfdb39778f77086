package io.dsplane.scheduler.messaging;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Output is a record the placement processor emits: the topic it goes to and its value (null for a
 * tombstone). The sink picks the topic per record, so one processor feeds decisions and node states.
 */
public record Output(String topic, byte[] value) {

    /** SERDE writes only the value; the topic is chosen by the sink's topic extractor. */
    public static final Serde<Output> SERDE = Serdes.serdeFrom(
            (Serializer<Output>) (topic, out) -> out == null ? null : out.value(),
            (topic, bytes) -> {
                throw new UnsupportedOperationException("Output is written, never read");
            });
}
