package io.dsplane.contracts.event;

import java.time.Instant;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * ResourceEvent is the value of every state topic: the WHOLE object after the change, so a consumer
 * never needs an earlier event to know the current state (level-triggered, not edge-triggered).
 *
 * @param schemaVersion   {@link #SCHEMA_VERSION} of the writer
 * @param eventId         unique per event; consumers may use it to skip duplicates
 * @param type            what happened
 * @param resourceVersion the object's resourceVersion after the change; increases per key
 * @param timestamp       when the writer committed the change
 * @param object          the object (for DELETED: its last state)
 */
public record ResourceEvent<T extends HasMetadata>(int schemaVersion, String eventId, EventType type,
        String resourceVersion, Instant timestamp, T object) {

    /** The schema version written by this build. Readers accept any version up to theirs. */
    public static final int SCHEMA_VERSION = 1;
}
