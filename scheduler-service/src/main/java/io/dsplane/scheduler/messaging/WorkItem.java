package io.dsplane.scheduler.messaging;

import java.util.Arrays;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * WorkItem is one input of the placement processor after re-partitioning by node: which kind of
 * object changed and the original record value (empty for a tombstone). The record key is the node
 * name for node, pod and grant items, and {@code namespace/name} for DaemonSet items (which go to
 * every partition).
 */
public record WorkItem(Kind kind, byte[] value) {

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
