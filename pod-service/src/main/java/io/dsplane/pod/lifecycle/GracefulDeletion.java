package io.dsplane.pod.lifecycle;

import io.fabric8.kubernetes.api.model.Pod;

/**
 * GracefulDeletion decides how long a pod may take to stop once its deletion is asked for, after the
 * API server's pod strategy ({@code CheckGracefulDelete}): a pod that never reached a node, or whose
 * containers have all ended, has nothing to stop and goes at once; any other pod gets its
 * {@code spec.terminationGracePeriodSeconds}, during which it stays, terminating, until its agent
 * reports it stopped or the period ends.
 */
public final class GracefulDeletion {

    /** 30 s: the upstream default of {@code spec.terminationGracePeriodSeconds}. */
    public static final long DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS = 30;

    private GracefulDeletion() {
    }

    /**
     * gracePeriodSeconds is the period a deletion of {@code pod} waits for; 0 means delete now.
     *
     * @param force true when nothing can confirm termination any more (the pod's node is gone)
     */
    public static long gracePeriodSeconds(Pod pod, boolean force) {
        if (force || !isBound(pod) || isTerminal(pod)) {
            return 0;
        }
        Long grace = pod.getSpec().getTerminationGracePeriodSeconds();
        return grace == null ? DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS : Math.max(0, grace);
    }

    /**
     * stoppedOnNode is true when an agent's report says a terminating pod has no running container
     * left (phase Succeeded or Failed): its deletion can complete before the grace period ends.
     */
    public static boolean stoppedOnNode(Pod pod) {
        return pod.getMetadata().getDeletionTimestamp() != null && isTerminal(pod);
    }

    private static boolean isBound(Pod pod) {
        return pod.getSpec() != null && pod.getSpec().getNodeName() != null && !pod.getSpec().getNodeName().isEmpty();
    }

    private static boolean isTerminal(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }
}
