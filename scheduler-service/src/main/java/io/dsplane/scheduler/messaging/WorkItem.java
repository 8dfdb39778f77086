package io.dsplane.scheduler.messaging;

import java.util.Arrays;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

import io.dsplane.contracts.event.ResourceEvent;

/**
 * WorkItem is one input of the placement processor, read in place or after re-partitioning by node:
 * which kind of object changed and the original record value (empty for a tombstone). The record key
 * is the node name for node, pod and grant items, and {@code namespace/name} for DaemonSet items
 * (which go to every partition).
 *
 * <p>An item read in place may carry the event its router decoded already, so that the placement
 * processor does not decode the same bytes again; it is not part of the wire form, and an item that
 * passed a repartition topic has none.
 */
public record WorkItem(Kind kind, byte[] value, ResourceEvent<?> decoded) {

    public WorkItem(Kind kind, byte[] value) {
        this(kind, value, null);
    }

    /** Kind of the object the item is about; its ordinal is the first byte on the wire. */
    public enum Kind {
        NODE, DAEMONSET, POD,
        /** A rollout step granted by the rollout coordinator; key = node. */
        GRANT
    }

    public boolean isTombstone() {
        return value == null || value.length == 0;
    }

    /** SERDE writes the kind as one byte followed by the value. */
    public static final Serde<WorkItem> SERDE = Serdes.serdeFrom(
            (Serializer<WorkItem>) (topic, item) -> {
                if (item == null) {
                    return null;
                }
                byte[] v = item.value() == null ? new byte[0] : item.value();
                byte[] out = new byte[v.length + 1];
                out[0] = (byte) item.kind().ordinal();
                System.arraycopy(v, 0, out, 1, v.length);
                return out;
            },
            (Deserializer<WorkItem>) (topic, bytes) -> bytes == null || bytes.length == 0 ? null
                    : new WorkItem(Kind.values()[bytes[0]], Arrays.copyOfRange(bytes, 1, bytes.length)));
}
