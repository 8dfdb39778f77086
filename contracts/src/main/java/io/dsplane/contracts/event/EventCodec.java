package io.dsplane.contracts.event;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.dsplane.contracts.api.KubeJson;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * EventCodec turns event values into bytes and back, with one JSON mapper for the whole product so
 * that every writer and reader agrees on dates, nulls and unknown fields.
 */
public final class EventCodec {

    private static final ObjectMapper MAPPER = KubeJson.json();

    private EventCodec() {
    }

    public static byte[] encode(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * decodeResourceEvent reads a state-topic value. Throws {@link MalformedEventException} with a
     * reason fit for the parking headers when the bytes are not a valid event.
     */
    public static <T extends HasMetadata> ResourceEvent<T> decodeResourceEvent(byte[] bytes, Class<T> type) {
        JavaType javaType = MAPPER.getTypeFactory().constructParametricType(ResourceEvent.class, type);
        ResourceEvent<T> event = read(bytes, javaType);
        if (event.type() == null || event.object() == null || event.object().getMetadata() == null
                || event.object().getMetadata().getName() == null) {
            throw new MalformedEventException("event needs type, object and object.metadata.name");
        }
        if (event.schemaVersion() > ResourceEvent.SCHEMA_VERSION) {
            throw new MalformedEventException("schemaVersion " + event.schemaVersion() + " is newer than "
                    + ResourceEvent.SCHEMA_VERSION);
        }
        return event;
    }

    /** decodeDecision reads a placement decision; throws {@link MalformedEventException} when invalid. */
    public static PlacementDecision decodeDecision(byte[] bytes) {
        PlacementDecision decision = read(bytes, MAPPER.constructType(PlacementDecision.class));
        if (decision.action() == null || decision.podName() == null || decision.podNamespace() == null
                || decision.decisionId() == null) {
            throw new MalformedEventException("decision needs decisionId, action, podNamespace and podName");
        }
        if (decision.action() == PlacementDecision.Action.CREATE && decision.pod() == null) {
            throw new MalformedEventException("a CREATE decision needs the pod");
        }
        return decision;
    }

    /** decode reads any JSON value into the given type; throws {@link MalformedEventException} when invalid. */
    public static <T> T decode(byte[] bytes, Class<T> type) {
        return read(bytes, MAPPER.constructType(type));
    }

    /**
     * decodeTree reads a JSON object as a tree, for a reader that decodes only part of it into a type
     * ({@link #decode(JsonNode, Class)}); throws {@link MalformedEventException} when it is not one.
     */
    public static JsonNode decodeTree(byte[] bytes, Class<?> type) {
        JsonNode tree = read(bytes, MAPPER.constructType(JsonNode.class), type);
        if (!tree.isObject()) {
            throw new MalformedEventException("not valid JSON for " + type.getSimpleName() + ": not an object");
        }
        return tree;
    }

    /** decode reads a tree into the given type, as {@link #decode(byte[], Class)} reads bytes. */
    public static <T> T decode(JsonNode tree, Class<T> type) {
        try {
            return MAPPER.treeToValue(tree, type);
        } catch (JsonProcessingException e) {
            throw notValid(type, e.getOriginalMessage(), e);
        } catch (IllegalArgumentException e) {
            throw notValid(type, e.getMessage(), e);
        }
    }

    private static <T> T read(byte[] bytes, JavaType type) {
        return read(bytes, type, type.getRawClass());
    }

    private static <T> T read(byte[] bytes, JavaType type, Class<?> named) {
        if (bytes == null || bytes.length == 0) {
            throw new MalformedEventException("empty value");
        }
        try {
            return MAPPER.readValue(bytes, type);
        } catch (JsonProcessingException e) {
            throw notValid(named, e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new MalformedEventException("unreadable value: " + e.getMessage(), e);
        }
    }

    private static MalformedEventException notValid(Class<?> type, String detail, Exception cause) {
        return new MalformedEventException("not valid JSON for " + type.getSimpleName() + ": " + detail, cause);
    }

    /** MalformedEventException says why a record could not be read; the message goes into the parking reason. */
    public static final class MalformedEventException extends RuntimeException {
        public MalformedEventException(String message) {
            super(message);
        }

        public MalformedEventException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
