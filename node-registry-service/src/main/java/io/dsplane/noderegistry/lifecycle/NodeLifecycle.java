package io.dsplane.noderegistry.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;

/**
 * NodeLifecycle is the decision part of upstream's node lifecycle controller, as this product plays
 * it: which taints a node's conditions, cordon and heartbeats call for, and when a node whose agent
 * went silent turns Unknown. Plain Java over fabric8 types, with no clock: callers pass {@code now}
 * and the last heartbeat, so every rule can be checked by a table test.
 *
 * <p>A taint is managed here when its key is one of the {@code node.kubernetes.io/*} keys below and
 * its effect is one the lifecycle sets for that key (NoSchedule for all, NoExecute for not-ready and
 * unreachable), the same filter upstream's tainting passes use. Every other taint belongs to users
 * and is never touched, e.g. {@code node.kubernetes.io/not-ready:PreferNoSchedule}.
 */
public final class NodeLifecycle {

    /** Set while the node's Ready condition is False. */
    public static final String TAINT_NODE_NOT_READY = "node.kubernetes.io/not-ready";
    /** Set while the node's Ready condition is Unknown or its heartbeats stopped. */
    public static final String TAINT_NODE_UNREACHABLE = "node.kubernetes.io/unreachable";
    /** Set while the node is cordoned ({@code spec.unschedulable: true}). */
    public static final String TAINT_NODE_UNSCHEDULABLE = "node.kubernetes.io/unschedulable";
    /** Set while MemoryPressure is True. */
    public static final String TAINT_NODE_MEMORY_PRESSURE = "node.kubernetes.io/memory-pressure";
    /** Set while DiskPressure is True. */
    public static final String TAINT_NODE_DISK_PRESSURE = "node.kubernetes.io/disk-pressure";
    /** Set while PIDPressure is True. */
    public static final String TAINT_NODE_PID_PRESSURE = "node.kubernetes.io/pid-pressure";
    /** Set while NetworkUnavailable is True. */
    public static final String TAINT_NODE_NETWORK_UNAVAILABLE = "node.kubernetes.io/network-unavailable";

    public static final String NO_SCHEDULE = "NoSchedule";
    public static final String NO_EXECUTE = "NoExecute";

    public static final String CONDITION_READY = "Ready";
    public static final String CONDITION_MEMORY_PRESSURE = "MemoryPressure";
    public static final String CONDITION_DISK_PRESSURE = "DiskPressure";
    public static final String CONDITION_PID_PRESSURE = "PIDPressure";
    public static final String CONDITION_NETWORK_UNAVAILABLE = "NetworkUnavailable";

    public static final String STATUS_TRUE = "True";
    public static final String STATUS_FALSE = "False";
    public static final String STATUS_UNKNOWN = "Unknown";

    /** Reason of a condition turned Unknown because heartbeats stopped, as upstream. */
    public static final String NODE_STATUS_UNKNOWN = "NodeStatusUnknown";
    /** Message of a condition turned Unknown because heartbeats stopped, as upstream. */
    public static final String NODE_STATUS_UNKNOWN_MESSAGE = "Kubelet stopped posting node status.";
    /** Reason of the Ready condition added to a silent node that never reported one, as upstream. */
    public static final String NODE_STATUS_NEVER_UPDATED = "NodeStatusNeverUpdated";
    /** Message of the Ready condition added to a silent node that never reported one, as upstream. */
    public static final String NODE_STATUS_NEVER_UPDATED_MESSAGE = "Kubelet never posted node status.";

    /** 40 s: the upstream node-monitor grace period, the default of dsplane.node-lifecycle.grace-period. */
    public static final Duration DEFAULT_GRACE_PERIOD = Duration.ofSeconds(40);

    /** The managed (key, effect) pairs in the order new ones are appended. */
    private static final List<TaintId> MANAGED = List.of(
            new TaintId(TAINT_NODE_NOT_READY, NO_SCHEDULE), new TaintId(TAINT_NODE_NOT_READY, NO_EXECUTE),
            new TaintId(TAINT_NODE_UNREACHABLE, NO_SCHEDULE), new TaintId(TAINT_NODE_UNREACHABLE, NO_EXECUTE),
            new TaintId(TAINT_NODE_MEMORY_PRESSURE, NO_SCHEDULE), new TaintId(TAINT_NODE_DISK_PRESSURE, NO_SCHEDULE),
            new TaintId(TAINT_NODE_PID_PRESSURE, NO_SCHEDULE),
            new TaintId(TAINT_NODE_NETWORK_UNAVAILABLE, NO_SCHEDULE),
            new TaintId(TAINT_NODE_UNSCHEDULABLE, NO_SCHEDULE));

    /** TaintId is what identifies a taint on a node: key and effect (validation forbids duplicates). */
    record TaintId(String key, String effect) {
        static TaintId of(Taint t) {
            return new TaintId(t.getKey(), t.getEffect());
        }
    }

    private NodeLifecycle() {
    }

    /**
     * isManaged tells whether a taint is one this class sets and removes; all others are users'.
     */
    public static boolean isManaged(Taint taint) {
        return MANAGED.contains(TaintId.of(taint));
    }

    /**
     * heartbeatExpired tells whether the agent has been silent for longer than the grace period. A node
     * with no heartbeat at all (registered only through the REST API) never expires: nothing ever
     * promised heartbeats for it.
     */
    public static boolean heartbeatExpired(Instant lastHeartbeat, Instant now, Duration gracePeriod) {
        return lastHeartbeat != null && Duration.between(lastHeartbeat, now).compareTo(gracePeriod) > 0;
    }

    /**
     * taintsFor returns the node's taints with the managed ones recomputed (upstream's
     * doNoScheduleTaintingPass and the NoExecute swap, done in one step):
     * <ul>
     *   <li>Ready=False: not-ready NoSchedule + NoExecute;</li>
     *   <li>Ready=Unknown, or heartbeats expired: unreachable NoSchedule + NoExecute;</li>
     *   <li>MemoryPressure/DiskPressure/PIDPressure=True: the pressure NoSchedule taint;</li>
     *   <li>NetworkUnavailable=True: network-unavailable NoSchedule;</li>
     *   <li>{@code spec.unschedulable}: unschedulable NoSchedule.</li>
     * </ul>
     * Once heartbeats expired no condition is known any more (that is what
     * {@link #markUnknownAfterGracePeriod} writes down), so only unreachable and a cordon remain.
     *
     * <p>User taints stay as they are, in their order; a managed taint that is still called for keeps
     * its place and its {@code timeAdded}, one no longer called for is removed, and new ones are
     * appended with {@code timeAdded = now}. Calling it again on its result returns an equal list.
     */
    public static List<Taint> taintsFor(Node node, Instant lastHeartbeat, Instant now, Duration gracePeriod) {
        Set<TaintId> wanted = wantedTaints(node, heartbeatExpired(lastHeartbeat, now, gracePeriod));
        String timeAdded = timestamp(now);
        List<Taint> current = node.getSpec() == null || node.getSpec().getTaints() == null ? List.of()
                : node.getSpec().getTaints();
        List<Taint> out = new ArrayList<>(current.size() + wanted.size());
        Set<TaintId> placed = new HashSet<>();
        for (Taint t : current) {
            if (!isManaged(t)) {
                out.add(t);
                continue;
            }
            TaintId id = TaintId.of(t);
            if (wanted.contains(id) && placed.add(id)) {
                out.add(managedTaint(id, t.getTimeAdded() == null ? timeAdded : t.getTimeAdded()));
            }
        }
        for (TaintId id : wanted) {
            if (placed.add(id)) {
                out.add(managedTaint(id, timeAdded));
            }
        }
        return out;
    }

    /**
     * markUnknownAfterGracePeriod is upstream's tryUpdateNodeHealth for a node whose heartbeats stopped:
     * when the last heartbeat is older than the grace period, every condition that is not Unknown
     * already becomes Unknown with reason {@value #NODE_STATUS_UNKNOWN}, message
     * "{@value #NODE_STATUS_UNKNOWN_MESSAGE}" and lastTransitionTime {@code now} (lastHeartbeatTime is
     * kept: it tells when the agent was last heard). A node without a Ready condition gets one, Unknown
     * with reason {@value #NODE_STATUS_NEVER_UPDATED}. Returns {@code node} itself when nothing changes
     * (heartbeat within the grace period, no heartbeat at all, or all Unknown already), otherwise a copy.
     */
    public static Node markUnknownAfterGracePeriod(Node node, Instant lastHeartbeat, Instant now,
            Duration gracePeriod) {
        if (!heartbeatExpired(lastHeartbeat, now, gracePeriod)) {
            return node;
        }
        String transition = timestamp(now);
        List<NodeCondition> conditions = node.getStatus() == null || node.getStatus().getConditions() == null
                ? List.of() : node.getStatus().getConditions();
        List<NodeCondition> out = new ArrayList<>(conditions.size() + 1);
        boolean changed = false;
        boolean hasReady = false;
        for (NodeCondition c : conditions) {
            hasReady |= CONDITION_READY.equals(c.getType());
            if (STATUS_UNKNOWN.equals(c.getStatus())) {
                out.add(c);
            } else {
                out.add(new NodeConditionBuilder(c).withStatus(STATUS_UNKNOWN).withReason(NODE_STATUS_UNKNOWN)
                        .withMessage(NODE_STATUS_UNKNOWN_MESSAGE).withLastTransitionTime(transition).build());
                changed = true;
            }
        }
        if (!hasReady) {
            out.add(0, new NodeConditionBuilder().withType(CONDITION_READY).withStatus(STATUS_UNKNOWN)
                    .withReason(NODE_STATUS_NEVER_UPDATED).withMessage(NODE_STATUS_NEVER_UPDATED_MESSAGE)
                    .withLastTransitionTime(transition).build());
            changed = true;
        }
        if (!changed) {
            return node;
        }
        return node.toBuilder().editOrNewStatus().withConditions(out).endStatus().build();
    }

    /**
     * withTaints returns a copy of {@code node} carrying {@code taints}, or {@code node} itself when the
     * taints are already those (so that callers comparing objects see no change).
     */
    public static Node withTaints(Node node, List<Taint> taints) {
        List<Taint> current = node.getSpec() == null || node.getSpec().getTaints() == null ? List.of()
                : node.getSpec().getTaints();
        if (current.equals(taints)) {
            return node;
        }
        return node.toBuilder().editOrNewSpec().withTaints(taints).endSpec().build();
    }

    private static Set<TaintId> wantedTaints(Node node, boolean heartbeatExpired) {
        Set<TaintId> wanted = new LinkedHashSet<>();
        String ready = heartbeatExpired ? STATUS_UNKNOWN : conditionStatus(node, CONDITION_READY);
        if (STATUS_FALSE.equals(ready)) {
            wanted.add(new TaintId(TAINT_NODE_NOT_READY, NO_SCHEDULE));
            wanted.add(new TaintId(TAINT_NODE_NOT_READY, NO_EXECUTE));
        } else if (STATUS_UNKNOWN.equals(ready)) {
            wanted.add(new TaintId(TAINT_NODE_UNREACHABLE, NO_SCHEDULE));
            wanted.add(new TaintId(TAINT_NODE_UNREACHABLE, NO_EXECUTE));
        }
        if (!heartbeatExpired) {
            addIfTrue(node, CONDITION_MEMORY_PRESSURE, TAINT_NODE_MEMORY_PRESSURE, wanted);
            addIfTrue(node, CONDITION_DISK_PRESSURE, TAINT_NODE_DISK_PRESSURE, wanted);
            addIfTrue(node, CONDITION_PID_PRESSURE, TAINT_NODE_PID_PRESSURE, wanted);
            addIfTrue(node, CONDITION_NETWORK_UNAVAILABLE, TAINT_NODE_NETWORK_UNAVAILABLE, wanted);
        }
        if (node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable())) {
            wanted.add(new TaintId(TAINT_NODE_UNSCHEDULABLE, NO_SCHEDULE));
        }
        return wanted;
    }

    private static void addIfTrue(Node node, String condition, String taintKey, Set<TaintId> wanted) {
        if (STATUS_TRUE.equals(conditionStatus(node, condition))) {
            wanted.add(new TaintId(taintKey, NO_SCHEDULE));
        }
    }

    /** conditionStatus returns the status of the first condition of that type, or null. */
    static String conditionStatus(Node node, String type) {
        if (node.getStatus() == null || node.getStatus().getConditions() == null) {
            return null;
        }
        for (NodeCondition c : node.getStatus().getConditions()) {
            if (type.equals(c.getType())) {
                return c.getStatus();
            }
        }
        return null;
    }

    private static Taint managedTaint(TaintId id, String timeAdded) {
        return new TaintBuilder().withKey(id.key()).withEffect(id.effect()).withTimeAdded(timeAdded).build();
    }

    /** timestamp renders an instant as metav1.Time does: RFC 3339 in UTC, whole seconds. */
    static String timestamp(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
