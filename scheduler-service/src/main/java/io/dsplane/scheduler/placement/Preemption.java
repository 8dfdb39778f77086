package io.dsplane.scheduler.placement;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Preemption frees room on a node for a daemon pod that does not fit by evicting pods of strictly
 * lower priority, the way kube-scheduler's default preemption does for one node: never a pod of
 * equal or higher priority, lowest priority first, and no more pods than needed.
 */
public final class Preemption {

    /** Priority of the built-in class system-node-critical: pods a node cannot work without. */
    public static final int SYSTEM_NODE_CRITICAL_PRIORITY = 2_000_001_000;
    /** Priority of the built-in class system-cluster-critical: pods the cluster cannot work without. */
    public static final int SYSTEM_CLUSTER_CRITICAL_PRIORITY = 2_000_000_000;
    /** Name of the built-in priority class system-node-critical. */
    public static final String SYSTEM_NODE_CRITICAL = "system-node-critical";
    /** Name of the built-in priority class system-cluster-critical. */
    public static final String SYSTEM_CLUSTER_CRITICAL = "system-cluster-critical";

    /** Condition type set on a victim, so its owner and users see why it went away. */
    public static final String CONDITION_DISRUPTION_TARGET = "DisruptionTarget";
    /** Reason of the DisruptionTarget condition of a preempted pod. */
    public static final String REASON_PREEMPTION_BY_SCHEDULER = "PreemptionByScheduler";
    /** Message of the DisruptionTarget condition; names the preemptor's namespace/name. */
    public static final String PREEMPTION_MESSAGE = "dsplane-scheduler: preempting to accommodate a higher priority pod %s/%s";

    /**
     * EVICTION_ORDER: lowest priority first; among equals the newest first (it has done the least
     * work), then by name for a stable order. A pod without creationTimestamp counts as oldest.
     */
    private static final Comparator<Pod> EVICTION_ORDER = Comparator.comparingInt(Preemption::priorityOf)
            .thenComparing((Pod p) -> DaemonPods.creationTimestamp(p).orElse(Instant.MIN), Comparator.reverseOrder())
            .thenComparing(p -> p.getMetadata() == null || p.getMetadata().getName() == null ? "" : p.getMetadata().getName());

    private Preemption() {
    }

    /**
     * priorityOf is {@code spec.priority} when set (the admission-resolved value), else the
     * built-in value of {@code priorityClassName} system-node-critical or system-cluster-critical,
     * else 0.
     */
    public static int priorityOf(Pod pod) {
        if (pod.getSpec() == null) {
            return 0;
        }
        if (pod.getSpec().getPriority() != null) {
            return pod.getSpec().getPriority();
        }
        String className = pod.getSpec().getPriorityClassName();
        if (SYSTEM_NODE_CRITICAL.equals(className)) {
            return SYSTEM_NODE_CRITICAL_PRIORITY;
        }
        if (SYSTEM_CLUSTER_CRITICAL.equals(className)) {
            return SYSTEM_CLUSTER_CRITICAL_PRIORITY;
        }
        return 0;
    }

    /**
     * selectVictims returns the pods to evict so that the candidate fits the node: an empty list
     * when it already fits; empty Optional when even evicting every lower-priority pod would not be
     * enough. Pods are taken lowest priority first (ties: newest first) until the candidate fits,
     * then any victim whose eviction turns out unnecessary is spared again (most important first),
     * so no more pods are evicted than needed. Terminal pods and pods already terminating are
     * never chosen: evicting them frees nothing more.
     */
    public static Optional<List<Pod>> selectVictims(Node node, List<Pod> podsOnNode, Pod candidate) {
        List<Pod> remaining = ResourceFit.podsHoldingResources(podsOnNode, candidate);
        if (ResourceFit.fits(node, remaining, candidate).fits()) {
            return Optional.of(List.of());
        }
        int candidatePriority = priorityOf(candidate);
        List<Pod> potential = remaining.stream()
                .filter(p -> priorityOf(p) < candidatePriority && !DaemonPods.isTerminating(p))
                .sorted(EVICTION_ORDER)
                .toList();

        List<Pod> victims = new ArrayList<>();
        boolean fits = false;
        for (Pod pod : potential) {
            victims.add(pod);
            remaining.remove(pod);
            if (ResourceFit.fits(node, remaining, candidate).fits()) {
                fits = true;
                break;
            }
        }
        if (!fits) {
            return Optional.empty();
        }
        // Spare victims that are not needed after all, most important first.
        for (int i = victims.size() - 1; i >= 0; i--) {
            Pod victim = victims.get(i);
            remaining.add(victim);
            if (ResourceFit.fits(node, remaining, candidate).fits()) {
                victims.remove(i);
            } else {
                remaining.remove(remaining.size() - 1);
            }
        }
        return Optional.of(List.copyOf(victims));
    }

    /**
     * preemptionCondition is the DisruptionTarget=True condition to set on a victim before it is
     * deleted, naming the preemptor.
     *
     * @param now time of the condition; null leaves lastTransitionTime unset
     */
    public static PodCondition preemptionCondition(Pod preemptor, Instant now) {
        String namespace = preemptor.getMetadata() == null ? null : preemptor.getMetadata().getNamespace();
        String name = preemptor.getMetadata() == null ? null : preemptor.getMetadata().getName();
        return new PodConditionBuilder()
                .withType(CONDITION_DISRUPTION_TARGET)
                .withStatus(DaemonPods.STATUS_TRUE)
                .withReason(REASON_PREEMPTION_BY_SCHEDULER)
                .withMessage(String.format(PREEMPTION_MESSAGE, namespace, name))
                .withLastTransitionTime(now == null ? null : Timestamps.format(now))
                .build();
    }
}
