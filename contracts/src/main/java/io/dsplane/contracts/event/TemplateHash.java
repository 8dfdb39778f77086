package io.dsplane.contracts.event;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.dsplane.contracts.api.KubeJson;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;

/**
 * TemplateHash computes the {@code controller-revision-hash} of a pod template. Every service that
 * names a revision or labels a pod with it must agree on the value, which is why it lives here.
 * Like upstream's ComputeHash it is FNV-32a over a canonical dump of the template (JSON with sorted
 * keys here), with the collision count mixed in, rendered with the "safe" alphabet that never spells
 * words. The exact string differs from upstream (Go's dump format cannot be reproduced); only
 * determinism and uniqueness per template matter.
 */
public final class TemplateHash {

    private static final ObjectMapper CANONICAL = KubeJson.json().copy()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    private static final String SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
    private static final int FNV32_OFFSET = 0x811c9dc5;
    private static final int FNV32_PRIME = 0x01000193;

    private TemplateHash() {
    }

    /** computeHash returns the hash of a template and an optional collision count (null = none). */
    public static String computeHash(PodTemplateSpec template, Integer collisionCount) {
        int h = FNV32_OFFSET;
        for (byte b : canonical(template)) {
            h ^= (b & 0xff);
            h *= FNV32_PRIME;
        }
        if (collisionCount != null) {
            long c = collisionCount;
            for (int i = 0; i < 8; i++) {
                h ^= (int) ((c >>> (8 * i)) & 0xff);
                h *= FNV32_PRIME;
            }
        }
        return safeEncode(Integer.toUnsignedString(h));
    }

    private static byte[] canonical(PodTemplateSpec template) {
        try {
            JsonNode tree = CANONICAL.valueToTree(template == null ? new PodTemplateSpec() : template);
            Object sorted = CANONICAL.treeToValue(tree, Object.class);
            return CANONICAL.writeValueAsString(sorted).getBytes(StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot render pod template", e);
        }
    }

    /** safeEncode maps each character to the safe alphabet, as rand.SafeEncodeString does. */
    static String safeEncode(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            sb.append(SAFE_ALPHABET.charAt(s.charAt(i) % SAFE_ALPHABET.length()));
        }
        return sb.toString();
    }
}
