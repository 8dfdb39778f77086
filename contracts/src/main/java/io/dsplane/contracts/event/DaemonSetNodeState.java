package io.dsplane.contracts.event;

import java.time.Instant;

/**
 * DaemonSetNodeState is the scheduler's view of one DaemonSet on one node, published whenever it
 * changes, so that daemonset-service can compute the DaemonSet's status counters exactly as
 * upstream's updateDaemonSetStatus does, without evaluating placement itself. A tombstone means the
 * node or the DaemonSet is gone.
 *
 * @param schemaVersion         {@link ResourceEvent#SCHEMA_VERSION}
 * @param daemonSetKey          namespace/name
 * @param daemonSetUid          the DaemonSet the state was computed for (a recreated DaemonSet has another)
 * @param generation            the DaemonSet generation the scheduler evaluated
 * @param revisionHash          the current revision's controller-revision-hash
 * @param nodeName              the node
 * @param shouldRun             a daemon pod belongs on the node
 * @param shouldContinueRunning an existing daemon pod may stay
 * @param pods                  daemon pods mapped to the node (terminal-and-terminating ones excluded)
 * @param oldestPod             the oldest of them (podByCreationTimestampAndPhase), or null when none
 * @param revisionHashes        controller-revision-hash of every daemon pod on the node, terminating ones
 *                              included: revisions in use must not be cleaned up (cleanupHistory)
 */
public record DaemonSetNodeState(int schemaVersion, String daemonSetKey, String daemonSetUid, long generation,
        String revisionHash, String nodeName, boolean shouldRun, boolean shouldContinueRunning, int pods,
        OldestPod oldestPod, java.util.List<String> revisionHashes) {

    public DaemonSetNodeState {
        revisionHashes = revisionHashes == null ? java.util.List.of() : java.util.List.copyOf(revisionHashes);
    }

    /** A state without revision hashes (as written before they were added). */
    public DaemonSetNodeState(int schemaVersion, String daemonSetKey, String daemonSetUid, long generation,
            String revisionHash, String nodeName, boolean shouldRun, boolean shouldContinueRunning, int pods,
            OldestPod oldestPod) {
        this(schemaVersion, daemonSetKey, daemonSetUid, generation, revisionHash, nodeName, shouldRun,
                shouldContinueRunning, pods, oldestPod, java.util.List.of());
    }

    /**
     * OldestPod is what status needs of the oldest daemon pod on the node.
     *
     * @param name       pod name
     * @param ready      condition Ready is True
     * @param readySince lastTransitionTime of the Ready condition when ready (for minReadySeconds)
     * @param updated    IsPodUpdated: its controller-revision-hash (or pod-template-generation) is current
     */
    public record OldestPod(String name, boolean ready, Instant readySince, boolean updated) {
    }

    /** key is the record key: {@code namespace/name|node}. */
    public static String key(String daemonSetKey, String nodeName) {
        return daemonSetKey + "|" + nodeName;
    }
}
