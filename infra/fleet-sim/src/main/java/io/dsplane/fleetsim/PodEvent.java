package io.dsplane.fleetsim;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.dsplane.contracts.api.KubeJson;
import io.dsplane.contracts.event.EventType;
import io.dsplane.contracts.event.ResourceEvent;

/**
 * PodEvent is what the simulator and the benchmark need from a record of dsplane.pods.v1 (a
 * {@link ResourceEvent} of a v1 Pod, or a tombstone). It reads the JSON tree rather than binding the
 * whole fabric8 Pod: the benchmark reads every pod event of the run on the same two cores as the
 * control plane, and the cheaper the observer, the less it disturbs what it measures.
 *
 * @param timestamp the event's timestamp (when pod-service committed the change), null for tombstones
 * @param owner     kind of the controller owner reference ("DaemonSet" for daemon pods), or null
 * @param containers name and image of each container
 * @param terminating whether the pod's deletion has begun (metadata.deletionTimestamp is set)
 */
public record PodEvent(EventType type, String key, String namespace, String name, String uid, String nodeName,
        String phase, String owner, Instant timestamp, List<String[]> containers, int size, boolean terminating) {

    /** parse reads one record; {@code value == null} is a tombstone. Returns null when unreadable. */
    public static PodEvent parse(String key, byte[] value) {
        if (value == null) {
            int slash = key == null ? -1 : key.indexOf('/');
            return new PodEvent(EventType.DELETED, key, slash < 0 ? null : key.substring(0, slash),
                    slash < 0 ? key : key.substring(slash + 1), null, null, null, null, null, List.of(), 0, false);
        }
        try {
            JsonNode root = KubeJson.json().readTree(value);
            if (root.path("schemaVersion").asInt(1) > ResourceEvent.SCHEMA_VERSION) {
                return null;
            }
            EventType type = EventType.valueOf(root.path("type").asText());
            JsonNode obj = root.path("object");
            JsonNode meta = obj.path("metadata");
            String owner = null;
            for (JsonNode ref : meta.path("ownerReferences")) {
                if (ref.path("controller").asBoolean(false)) {
                    owner = ref.path("kind").asText(null);
                }
            }
            List<String[]> containers = new ArrayList<>(2);
            for (JsonNode c : obj.path("spec").path("containers")) {
                containers.add(new String[] {c.path("name").asText(), c.path("image").asText()});
            }
            Instant ts = null;
            if (root.hasNonNull("timestamp")) {
                ts = Instant.parse(root.get("timestamp").asText());
            }
            return new PodEvent(type, key, text(meta, "namespace"), text(meta, "name"), text(meta, "uid"),
                    text(obj.path("spec"), "nodeName"), text(obj.path("status"), "phase"), owner, ts, containers,
                    value.length, meta.hasNonNull("deletionTimestamp"));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    public boolean daemonPod() {
        return "DaemonSet".equals(owner);
    }
}
