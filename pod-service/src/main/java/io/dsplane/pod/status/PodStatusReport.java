package io.dsplane.pod.status;

import java.time.Instant;
import java.util.List;

import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;

/**
 * PodStatusReport applies what a node agent reports about a pod to the stored status. The agent owns
 * what it observes on the node (phase, container states, IPs, start time, its own conditions); the
 * control plane owns the rest (PodScheduled, DisruptionTarget, qosClass, nominatedNodeName). A field
 * the report leaves out keeps its stored value, and conditions are merged by type, so an agent that
 * knows nothing of DisruptionTarget never erases it.
 */
public final class PodStatusReport {

    private PodStatusReport() {
    }

    /**
     * apply returns the status after the report; {@code current} is not modified.
     *
     * @param now the time given to conditions whose status changes without a lastTransitionTime
     */
    public static PodStatus apply(PodStatus current, PodStatus reported, Instant now) {
        PodStatus next = current == null ? new PodStatus() : new PodStatusBuilder(current).build();
        if (reported == null) {
            return next;
        }
        if (reported.getPhase() != null) {
            next.setPhase(reported.getPhase());
        }
        if (reported.getReason() != null) {
            next.setReason(reported.getReason());
        }
        if (reported.getMessage() != null) {
            next.setMessage(reported.getMessage());
        }
        if (reported.getHostIP() != null) {
            next.setHostIP(reported.getHostIP());
        }
        if (notEmpty(reported.getHostIPs())) {
            next.setHostIPs(reported.getHostIPs());
        }
        if (reported.getPodIP() != null) {
            next.setPodIP(reported.getPodIP());
        }
        if (notEmpty(reported.getPodIPs())) {
            next.setPodIPs(reported.getPodIPs());
        }
        if (reported.getStartTime() != null) {
            next.setStartTime(reported.getStartTime());
        }
        if (reported.getContainerStatuses() != null) {
            next.setContainerStatuses(reported.getContainerStatuses());
        }
        if (reported.getInitContainerStatuses() != null) {
            next.setInitContainerStatuses(reported.getInitContainerStatuses());
        }
        if (reported.getConditions() != null) {
            List<PodCondition> conditions = next.getConditions();
            for (PodCondition c : reported.getConditions()) {
                if (c != null && c.getType() != null) {
                    conditions = PodConditions.setCondition(conditions, c, now);
                }
            }
            next.setConditions(conditions);
        }
        return next;
    }

    private static boolean notEmpty(List<?> list) {
        return list != null && !list.isEmpty();
    }
}
