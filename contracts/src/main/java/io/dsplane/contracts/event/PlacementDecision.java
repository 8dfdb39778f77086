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

    /** Action is the kind of change pod-service applies. */
    public enum Action {
        /** Materialize {@link #pod()} exactly as given, unless a pod of that name exists. */
        CREATE,
        /** Delete the pod (graceful when the pod asks for it). */
        DELETE,
        /** Mark the pod with DisruptionTarget/PreemptionByScheduler, then delete it. */
        EVICT,
        /** Bind a pending, unbound daemon pod to {@link #nodeName()}: set spec.nodeName and PodScheduled=True. */
        BIND,
        /** Add the DaemonSet ({@link #daemonSetUid()}, named in {@link #message()}) as controller of an orphan pod. */
        ADOPT,
        /** Remove the DaemonSet's controller reference from a pod whose labels no longer match its selector. */
        RELEASE
    }
}
