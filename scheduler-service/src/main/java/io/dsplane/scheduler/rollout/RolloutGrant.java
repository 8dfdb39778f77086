package io.dsplane.scheduler.rollout;

/**
 * RolloutGrant is the coordinator's permission for one node to take the next rollout step, sent to
 * the task that owns the node.
 *
 * @param daemonSetKey namespace/name
 * @param daemonSetUid the DaemonSet the grant is for
 * @param hash         the revision the node moves to
 * @param nodeName     the node
 * @param action       what the node may do now
 */
public record RolloutGrant(String daemonSetKey, String daemonSetUid, String hash, String nodeName, Action action) {

    /** Action is one rollout step on one node. */
    public enum Action {
        /** Delete the old pod (no surge: the node's manage pass then creates the new one). */
        DELETE_OLD,
        /** Create a new pod beside the old one (surge); the old one goes once the new one is available. */
        CREATE_NEW
    }
}
