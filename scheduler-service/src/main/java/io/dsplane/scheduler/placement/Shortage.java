package io.dsplane.scheduler.placement;

import io.fabric8.kubernetes.api.model.Quantity;

/**
 * Shortage names one resource a node lacks for a pod, and by how much, so the Unschedulable
 * message tells the user what to free or add.
 *
 * @param resource  {@code cpu}, {@code memory} or {@code pods}
 * @param requested what the pod requests
 * @param free      allocatable minus what the node's pods already request (negative when overcommitted)
 * @param shortBy   requested minus free
 */
public record Shortage(String resource, Quantity requested, Quantity free, Quantity shortBy) {

    /** Message format: resource, requested, free, short by. */
    public static final String MESSAGE = "Insufficient %s: requested %s, free %s (short by %s)";

    /** message renders e.g. {@code Insufficient cpu: requested 500m, free 200m (short by 300m)}. */
    public String message() {
        return String.format(MESSAGE, resource, requested, free, shortBy);
    }
}
