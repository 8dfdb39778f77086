package io.dsplane.contracts.event;

import io.fabric8.kubernetes.api.model.Pod;

/**
 * PlacementDecision is what the scheduler tells pod-service to do with one pod. Decisions are
 * idempotent: a CREATE names the complete desired pod, whose name is derived from (DaemonSet uid, node,
 * revision hash, attempt), so applying it twice, or after a restart, finds the pod already there.
 *
 * @param schemaVersion {@link ResourceEvent#SCHEMA_VERSION}
 * @param decisionId    unique per decision; pod-service records the ids it applied
 * @param action        what to do
 * @param nodeName      the node the decision is about (also the record key)
 * @param podNamespace  namespace of the pod
 * @param podName       name of the pod
 * @param podUid        for DELETE/EVICT/UNSCHEDULABLE: the uid the scheduler saw, so a newer pod with
 *                      the same name is never touched by a stale decision; null for CREATE
 * @param daemonSetUid  the owning DaemonSet, or null for a workload pod (evictions)
 * @param revisionHash  the controller-revision-hash of a created pod
 * @param reason        a short CamelCase reason, shown in pod conditions and logs
 * @param message       a sentence for people
 * @param pod           for CREATE: the whole desired pod; otherwise null
 */
public record PlacementDecision(int schemaVersion, String decisionId, Action action, String nodeName,
        String podNamespace, String podName, String podUid, String daemonSetUid, String revisionHash,
        String reason, String message, Pod pod) {

    /**
     * Reason of a DELETE for a pod whose node is gone: pod-service removes such a pod at once instead of
     * gracefully, since no agent is left to confirm that it stopped (upstream's PodGC force-deletes them).
     */
    public static final String REASON_NODE_DELETED = "NodeDeleted";

    /**
     * Annotation on a pod that pod-service created under another name than the CREATE decision asked
     * for, because a different pod already had that name (derived names are short and can collide):
     * its value is the requested name, so the scheduler can match the pod to its decision and a
     * repeated decision finds the pod instead of creating a second one.
     */
    public static final String REQUESTED_NAME_ANNOTATION = "placement.dsplane.io/requested-name";

    /** Action is the kind of change pod-service applies. */
    public enum Action {
        /**
         * Materialize {@link #pod()} exactly as given, unless this pod exists already. When another pod
         * holds the name, the pod is created under a generated name of the same prefix and carries
         * {@link #REQUESTED_NAME_ANNOTATION}.
         */
        CREATE,
        /**
         * Delete the pod: gracefully (deletionTimestamp now + terminationGracePeriodSeconds, removed when
         * the period ends or the agent reports the pod stopped) when it is bound and not terminal,
         * at once otherwise or when the reason is {@link #REASON_NODE_DELETED}.
         */
        DELETE,
        /** Mark the pod with DisruptionTarget/PreemptionByScheduler, then delete it as DELETE does. */
        EVICT,
        /** Bind a pending, unbound daemon pod to {@link #nodeName()}: set spec.nodeName and PodScheduled=True. */
        BIND,
        /** Add the DaemonSet ({@link #daemonSetUid()}, named in {@link #message()}) as controller of an orphan pod. */
        ADOPT,
        /** Remove the DaemonSet's controller reference from a pod whose labels no longer match its selector. */
        RELEASE
    }
}
