package io.dsplane.contracts.api;

import java.io.IOException;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * KubeBodies reads request bodies in JSON or YAML (chosen by Content-Type, as the API server does)
 * and writes responses. A body that cannot be read is answered with 400 BadRequest and the parser's
 * own description of where it failed; an unknown media type with 415.
 */
public final class KubeBodies {

    public static final String JSON = "application/json";
    public static final String YAML = "application/yaml";
    public static final String MERGE_PATCH = "application/merge-patch+json";
    private static final List<String> READABLE = List.of(JSON, YAML);

    private KubeBodies() {
    }

    /** mediaType strips parameters and lower-cases; a missing Content-Type counts as JSON. */
    public static String mediaType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return JSON;
        }
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    private static ObjectMapper mapperFor(String contentType) {
        String mt = mediaType(contentType);
        return switch (mt) {
            case JSON -> KubeJson.json();
            case YAML, "application/x-yaml", "text/yaml" -> KubeJson.yaml();
            default -> throw Statuses.unsupportedMediaType(mt, READABLE);
        };
    }

    /** readTree parses a JSON or YAML body to a tree; it must be an object. */
    public static JsonNode readTree(String body, String contentType) {
        ObjectMapper mapper = mapperFor(contentType);
        if (body == null || body.isBlank()) {
            throw Statuses.badRequest("the request body is empty; an object is required");
        }
        try {
            JsonNode tree = mapper.readTree(body);
            if (tree == null || !tree.isObject()) {
                throw Statuses.badRequest("the request body must be a JSON or YAML object");
            }
            return tree;
        } catch (JsonProcessingException e) {
            throw Statuses.badRequest("unable to parse the request body: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
                            + ", column " + e.getLocation().getColumnNr()));
        }
    }

    /** read parses a body into a Kubernetes object type. */
    public static <T> T read(String body, String contentType, Class<T> type) {
        return convert(readTree(body, contentType), type);
    }

    /** convert maps a tree to a type; a field of the wrong JSON type is a 400 naming that field. */
    public static <T> T convert(JsonNode tree, Class<T> type) {
        try {
            return KubeJson.json().treeToValue(tree, type);
        } catch (JsonProcessingException e) {
            throw Statuses.badRequest("unable to decode the object: " + e.getOriginalMessage());
        } catch (IllegalArgumentException e) {
            throw Statuses.badRequest("unable to decode the object: " + e.getMessage());
        }
    }

    /** readMergePatch reads a merge-patch body; any other patch type is 415. */
    public static JsonNode readMergePatch(String body, String contentType) {
        String mt = mediaType(contentType);
        if (!MERGE_PATCH.equals(mt)) {
            throw Statuses.unsupportedMediaType(mt, List.of(MERGE_PATCH));
        }
        return readTree(body, JSON);
    }

    /** write renders an object as JSON. */
    public static String write(Object value) {
        try {
            return KubeJson.json().writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot render " + value.getClass().getSimpleName(), e);
        }
    }

    /** toTree renders an object as a JSON tree. */
    public static JsonNode toTree(Object value) {
        return KubeJson.json().valueToTree(value);
    }
}
