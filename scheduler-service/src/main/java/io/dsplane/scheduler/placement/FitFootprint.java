package io.dsplane.scheduler.placement;

import java.math.BigDecimal;

import io.fabric8.kubernetes.api.model.Pod;

/**
 * FitFootprint is what one pod contributes to whether another pod fits its node or can be made to
 * fit by preemption: nothing unless it {@link #holdsRoom holds room} there; else a pod slot, its
 * cpu and memory requests and its priority (which decides whether it may be evicted). When a pod
 * changes but its footprint does not, no pending pod of another DaemonSet can have started to fit,
 * so DaemonSets that neither control nor could adopt the pod need not be looked at again.
 *
 * <p>What preemption orders victims by (creation time, name) is left out on purpose: it changes
 * which victims are picked, never whether enough room can be freed (fit only grows as pods are
 * removed), and the victims are picked from the node's pods as they are when the pod is placed.
 */
public record FitFootprint(boolean holdsRoom, BigDecimal cpu, BigDecimal memory, int priority) {

    /** NONE is the footprint of a pod that holds no room (or of no pod). */
    public static final FitFootprint NONE = new FitFootprint(false, null, null, 0);

    /**
     * holdsRoom is true for a pod bound to the node that is neither terminating nor terminal: the
     * pods whose requests placement subtracts from the node's allocatable. A pod asked to be deleted
     * counts as gone from the moment it is asked.
     */
    public static boolean holdsRoom(Pod pod, String nodeName) {
        return !DaemonPods.isTerminating(pod) && !DaemonPods.isTerminal(pod)
                && nodeName.equals(pod.getSpec() == null ? null : pod.getSpec().getNodeName());
    }

    /** of returns the pod's footprint on the node; {@link #NONE} for null or a pod holding no room. */
    public static FitFootprint of(Pod pod, String nodeName) {
        if (pod == null || !holdsRoom(pod, nodeName)) {
            return NONE;
        }
        return new FitFootprint(true, PodRequests.request(pod, ResourceFit.RESOURCE_CPU).stripTrailingZeros(),
                PodRequests.request(pod, ResourceFit.RESOURCE_MEMORY).stripTrailingZeros(), Preemption.priorityOf(pod));
    }
}
