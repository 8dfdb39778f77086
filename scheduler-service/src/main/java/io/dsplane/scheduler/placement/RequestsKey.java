package io.dsplane.scheduler.placement;

import java.util.Map;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

/**
 * RequestsKey is the sharing key of a container as a placement view keeps it (name, resources,
 * restart policy; {@link PlacementFields}): the same text for containers that are equal, written from
 * their strings alone. Quantities are written as the amount and format they were given in, so
 * {@code 1000m} and {@code 1} get different keys although they are equal: such containers are merely
 * not shared with each other. Every part is written with its length first, so no two different
 * containers can give the same text.
 *
 * @param text the key: from {@link #of} for a container, the containers' keys one after the other for
 *             their list
 * @param list whether this is the key of a list of containers
 */
record RequestsKey(String text, boolean list) {

    /**
     * of writes the key of a view's container, one that {@link PlacementFields} built with nothing but
     * those three fields; null when the container holds what such a key does not cover (resource
     * claims, unknown fields).
     */
    static String of(Container c) {
        if (c == null || !c.getAdditionalProperties().isEmpty()) {
            return null;
        }
        StringBuilder key = new StringBuilder(64);
        text(key, c.getName());
        text(key, c.getRestartPolicy());
        ResourceRequirements r = c.getResources();
        if (r == null) {
            return key.append('~').toString();
        }
        if ((r.getClaims() != null && !r.getClaims().isEmpty()) || !r.getAdditionalProperties().isEmpty()) {
            return null;
        }
        key.append(r.getClaims() == null ? '~' : '[');
        return quantities(key, r.getRequests()) && quantities(key, r.getLimits()) ? key.toString() : null;
    }

    private static boolean quantities(StringBuilder key, Map<String, Quantity> map) {
        if (map == null) {
            key.append('~');
            return true;
        }
        key.append('{').append(map.size()).append(':');
        for (Map.Entry<String, Quantity> e : map.entrySet()) {
            Quantity q = e.getValue();
            if (q == null || !q.getAdditionalProperties().isEmpty()) {
                return false;
            }
            text(key, e.getKey());
            text(key, q.getAmount());
            text(key, q.getFormat());
        }
        return true;
    }

    private static void text(StringBuilder key, String s) {
        if (s == null) {
            key.append('~');
        } else {
            key.append(s.length()).append(':').append(s);
        }
    }
}
