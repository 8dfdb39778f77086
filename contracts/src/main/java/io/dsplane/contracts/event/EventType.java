package io.dsplane.contracts.event;

/** EventType says what happened to the object carried by a {@link ResourceEvent}, as in a Kubernetes watch. */
public enum EventType {
    ADDED,
    MODIFIED,
    DELETED
}
