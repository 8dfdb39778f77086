package io.dsplane.scheduler.placement;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * NodeActions is what {@link PodsShouldBeOnNode#podsShouldBeOnNode} decided for one node: create
 * a daemon pod or not, which pods to delete, the events to record on the DaemonSet, and when to
 * look at the node again (a failed pod waiting out its backoff).
 *
 * @param createPod    create one daemon pod for the node
 * @param podsToDelete pods to delete, in the order they were decided
 * @param events       events for the DaemonSet, e.g. {@code FailedDaemonPod}
 * @param requeueAfter re-evaluate the DaemonSet after this delay, when set
 */
public record NodeActions(boolean createPod, List<Pod> podsToDelete, List<Event> events, Optional<Duration> requeueAfter) {

    /** NONE: nothing to do on the node. */
    public static final NodeActions NONE = new NodeActions(false, List.of(), List.of(), Optional.empty());

    public NodeActions {
        podsToDelete = List.copyOf(podsToDelete);
        events = List.copyOf(events);
    }

    /** isEmpty is true when nothing needs to be done. */
    public boolean isEmpty() {
        return !createPod && podsToDelete.isEmpty() && events.isEmpty() && requeueAfter.isEmpty();
    }

    /**
     * Event is a Kubernetes-style event about the DaemonSet.
     *
     * @param type    {@code Normal} or {@code Warning}
     * @param reason  a short CamelCase reason users filter on, e.g. {@code FailedDaemonPod}
     * @param message the readable sentence
     */
    public record Event(String type, String reason, String message) {

        /** Event type for expected lifecycle steps. */
        public static final String TYPE_NORMAL = "Normal";
        /** Event type for something a user may need to look at. */
        public static final String TYPE_WARNING = "Warning";
    }
}
