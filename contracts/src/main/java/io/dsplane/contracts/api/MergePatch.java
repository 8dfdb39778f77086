package io.dsplane.contracts.api;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * MergePatch applies a JSON merge patch (RFC 7386, {@code application/merge-patch+json}) to a JSON
 * document: objects merge recursively, {@code null} removes a member, anything else replaces.
 * Written against Jackson's tree because every object here already is one; the RFC's whole algorithm
 * is the eight lines of {@link #apply}.
 */
public final class MergePatch {

    private MergePatch() {
    }

    /** apply returns the patched document; {@code target} is not modified. */
    public static JsonNode apply(JsonNode target, JsonNode patch) {
        if (patch == null || !patch.isObject()) {
            return patch == null ? null : patch.deepCopy();
        }
        ObjectNode result = target != null && target.isObject() ? ((ObjectNode) target).deepCopy()
                : KubeJson.json().createObjectNode();
        Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            if (f.getValue().isNull()) {
                result.remove(f.getKey());
            } else {
                result.set(f.getKey(), apply(result.get(f.getKey()), f.getValue()));
            }
        }
        return result;
    }
}
