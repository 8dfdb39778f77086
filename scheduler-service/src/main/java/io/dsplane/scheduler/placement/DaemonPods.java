package io.dsplane.scheduler.placement;

import io.dsplane.contracts.event.PodPartitioning;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;

/**
 * DaemonPods holds the small questions placement asks about a daemon pod: which node it belongs
 * to, whether it is ready or available, who controls it and whether it is on its way out. Names
 * follow upstream ({@code GetTargetNodeName}, {@code IsPodReady}, {@code IsPodAvailable}).
 */
public final class DaemonPods {

    /** Label carrying the hash of the ControllerRevision a pod was created from. */
    public static final String CONTROLLER_REVISION_HASH_LABEL = "controller-revision-hash";
    /** Label carrying the DS template generation, for clients that still compare it. */
    public static final String POD_TEMPLATE_GENERATION_LABEL = "pod-template-generation";
    /** DS annotation the API server writes with the internal template generation. */
    public static final String TEMPLATE_GENERATION_ANNOTATION = "deprecated.daemonset.template.generation";

    /** Phase of a pod that ran to completion; a daemon should never stop, so it is replaced. */
    public static final String PHASE_SUCCEEDED = "Succeeded";
    /** Phase of a pod whose containers failed; replaced with a per-node backoff. */
    public static final String PHASE_FAILED = "Failed";
    /** Phase of a pod that is not running yet. */
    public static final String PHASE_PENDING = "Pending";

    /** Pod condition that is True once all containers pass their readiness checks. */
    public static final String CONDITION_READY = "Ready";
    /** Pod condition that says whether the pod is bound to a node. */
    public static final String CONDITION_POD_SCHEDULED = "PodScheduled";
    public static final String STATUS_TRUE = "True";
    public static final String STATUS_FALSE = "False";

    private static final Comparator<Pod> POD_BY_CREATION_TIMESTAMP_AND_PHASE =
            Comparator.<Pod>comparingInt(p -> isEmpty(nodeName(p)) ? 1 : 0)
                    .thenComparing(p -> creationTimestamp(p).orElse(Instant.MIN))
                    .thenComparing(p -> nullToEmpty(p.getMetadata() == null ? null : p.getMetadata().getName()));

    private DaemonPods() {
    }

    /**
     * getTargetNodeName returns the node a daemon pod belongs to: {@code spec.nodeName} when bound,
     * else the single value of the first {@code matchFields metadata.name In [x]} requirement of its
     * required node affinity (how an unbound daemon pod is pinned), else null. The pods topic is
     * partitioned by the same node, so it is one definition, in the contracts.
     */
    public static String getTargetNodeName(Pod pod) {
        return PodPartitioning.nodeOf(pod);
    }

    /** isPodReady is true when the pod's Ready condition is True. */
    public static boolean isPodReady(Pod pod) {
        return readyCondition(pod).map(c -> STATUS_TRUE.equals(c.getStatus())).orElse(false);
    }

    /**
     * isPodAvailable is true when the pod is ready and has been ready for at least minReadySeconds:
     * {@code lastTransitionTime + minReadySeconds <= now} (newest upstream uses {@code <=}). A
     * ready pod without lastTransitionTime is available only when minReadySeconds is 0.
     */
    public static boolean isPodAvailable(Pod pod, int minReadySeconds, Instant now) {
        if (!isPodReady(pod)) {
            return false;
        }
        if (minReadySeconds == 0) {
            return true;
        }
        Optional<Instant> since = readyCondition(pod).flatMap(c -> Timestamps.parse(c.getLastTransitionTime()));
        return since.map(t -> !t.plus(Duration.ofSeconds(minReadySeconds)).isAfter(now)).orElse(false);
    }

    /** controllerRefUid returns the uid of the owner reference with {@code controller: true}, or null. */
    public static String controllerRefUid(Pod pod) {
        if (pod.getMetadata() == null || pod.getMetadata().getOwnerReferences() == null) {
            return null;
        }
        for (OwnerReference ref : pod.getMetadata().getOwnerReferences()) {
            if (ref != null && Boolean.TRUE.equals(ref.getController())) {
                return ref.getUid();
            }
        }
        return null;
    }

    /** isTerminating is true once the pod has a deletionTimestamp: it is going away and no longer counts. */
    public static boolean isTerminating(Pod pod) {
        return pod.getMetadata() != null && !isEmpty(pod.getMetadata().getDeletionTimestamp());
    }

    /** isTerminal is true for a Succeeded or Failed pod: its containers will not run again. */
    public static boolean isTerminal(Pod pod) {
        String phase = phase(pod);
        return PHASE_SUCCEEDED.equals(phase) || PHASE_FAILED.equals(phase);
    }

    /** phase returns {@code status.phase}, or null when the pod has no status yet. */
    public static String phase(Pod pod) {
        return pod.getStatus() == null ? null : pod.getStatus().getPhase();
    }

    /** revisionHash returns the pod's {@code controller-revision-hash} label, or null when absent. */
    public static String revisionHash(Pod pod) {
        Map<String, String> labels = pod.getMetadata() == null ? null : pod.getMetadata().getLabels();
        return labels == null ? null : labels.get(CONTROLLER_REVISION_HASH_LABEL);
    }

    /**
     * podByCreationTimestampAndPhase orders pods the way upstream picks the one to keep: bound pods
     * (non-empty nodeName) first, then oldest creationTimestamp, then smallest name. Despite the
     * name, phase plays no part. A pod without creationTimestamp sorts as the oldest.
     */
    public static Comparator<Pod> podByCreationTimestampAndPhase() {
        return POD_BY_CREATION_TIMESTAMP_AND_PHASE;
    }

    /** creationTimestamp returns the pod's creation time when it is set and readable. */
    public static Optional<Instant> creationTimestamp(Pod pod) {
        return pod.getMetadata() == null ? Optional.empty() : Timestamps.parse(pod.getMetadata().getCreationTimestamp());
    }

    private static Optional<PodCondition> readyCondition(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return pod.getStatus().getConditions().stream()
                .filter(c -> c != null && CONDITION_READY.equals(c.getType()))
                .findFirst();
    }

    private static String nodeName(Pod pod) {
        return pod.getSpec() == null ? null : pod.getSpec().getNodeName();
    }

    private static boolean isEmpty(String s) {
        return s == null || s.isEmpty();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
