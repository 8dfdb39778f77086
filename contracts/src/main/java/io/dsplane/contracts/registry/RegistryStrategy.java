package io.dsplane.contracts.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

import io.dsplane.contracts.api.FieldErrors;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * RegistryStrategy is what differs between kinds when objects are written, as the per-kind strategy
 * of the upstream registry: defaults, validation, and which fields a write may change. The
 * {@link ObjectRegistry} does everything common (metadata, versions, conflicts, events).
 */
public interface RegistryStrategy<T extends HasMetadata> {

    /** prepareForCreate applies defaults and resets what clients may not set (e.g. status). */
    default void prepareForCreate(T obj) {
    }

    /** validate adds a cause per invalid field of a new object. */
    default void validate(T obj, FieldErrors errors) {
    }

    /**
     * prepareForUpdate adjusts a replacement before validation; called after the registry has copied
     * the old status and the immutable metadata into {@code obj}. Default: nothing.
     */
    default void prepareForUpdate(T obj, T old) {
    }

    /** validateUpdate adds a cause per invalid field or forbidden change of an update. */
    default void validateUpdate(T obj, T old, FieldErrors errors) {
        validate(obj, errors);
    }

    /** validateStatusUpdate adds a cause per invalid status field. */
    default void validateStatusUpdate(T obj, T old, FieldErrors errors) {
    }

    /**
     * specChanged tells whether a replacement changes the desired state, which bumps
     * metadata.generation. It is given both objects as JSON trees, which the registry has at hand
     * already when it writes. Default: the {@code spec} differs (absent and null count as the same).
     */
    default boolean specChanged(JsonNode obj, JsonNode old) {
        return !spec(obj).equals(spec(old));
    }

    /**
     * partitionKey is what the partition of an object's events is chosen by, when it is not the
     * record key: the topic's consumers can then find related objects of other kinds on the same
     * partition (pods by their node, see {@code PodPartitioning}). It must not change during an
     * object's life, or its events would leave their order. Default: null, the record key.
     */
    default String partitionKey(T obj) {
        return null;
    }

    private static JsonNode spec(JsonNode obj) {
        JsonNode spec = obj.get("spec");
        return spec == null ? NullNode.getInstance() : spec;
    }
}
