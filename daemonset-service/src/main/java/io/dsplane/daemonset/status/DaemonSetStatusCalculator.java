package io.dsplane.daemonset.status;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.dsplane.contracts.api.KubeJson;
import io.dsplane.contracts.event.DaemonSetNodeState;
import io.dsplane.contracts.event.DaemonSetNodeState.OldestPod;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;

/**
 * DaemonSetStatusCalculator is upstream's {@code updateDaemonSetStatus} and {@code storeDaemonSetStatus}
 * (kubernetes-semantics.md §4) over what the scheduler reports per node ({@link DaemonSetNodeState}):
 * the scheduler has already evaluated the placement predicate and picked the oldest daemon pod of each
 * node, so status is plain counting here. Plain Java: no clock ({@code now} comes in), no I/O.
 */
public final class DaemonSetStatusCalculator {

    private DaemonSetStatusCalculator() {
    }

    /**
     * Counters are the seven numbers of a DaemonSet status that the controller computes; the unit of
     * each is "nodes", never "pods" (a node with two daemon pods counts once).
     */
    public record Counters(int desiredNumberScheduled, int currentNumberScheduled, int numberMisscheduled,
            int numberReady, int numberAvailable, int updatedNumberScheduled, int numberUnavailable) {

        /** of reads the counters of a stored status; absent counters are 0, as apps/v1 omits zero values. */
        public static Counters of(DaemonSetStatus status) {
            if (status == null) {
                return new Counters(0, 0, 0, 0, 0, 0, 0);
            }
            return new Counters(zero(status.getDesiredNumberScheduled()), zero(status.getCurrentNumberScheduled()),
                    zero(status.getNumberMisscheduled()), zero(status.getNumberReady()),
                    zero(status.getNumberAvailable()), zero(status.getUpdatedNumberScheduled()),
                    zero(status.getNumberUnavailable()));
        }
    }

    /**
     * updateDaemonSetStatus returns the status to store for {@code ds}, or empty when nothing is to be
     * written: the DaemonSet is being deleted or selects nothing (upstream's sync returns before status
     * for both, §8.8), or {@link #storeDaemonSetStatus}'s skip rule applies.
     *
     * @param states the node states stored under the DaemonSet's key; those computed for another uid (an
     *               earlier DaemonSet of the same name) are ignored
     */
    public static Optional<DaemonSetStatus> updateDaemonSetStatus(DaemonSet ds, Collection<DaemonSetNodeState> states,
            Instant now) {
        return updateDaemonSetStatus(ds, NodeTally.of(ownStates(ds, states),
                NodeTally.availableCutoff(minReadySeconds(ds), now), generation(ds)));
    }

    /**
     * updateDaemonSetStatus from the tallies of the DaemonSet's own node states (this uid), taken with
     * the cutoff {@link NodeTally#availableCutoff} of its minReadySeconds and the time, and its
     * generation.
     */
    public static Optional<DaemonSetStatus> updateDaemonSetStatus(DaemonSet ds, Collection<NodeTally> tallies) {
        if (!getsStatusUpdates(ds)) {
            return Optional.empty();
        }
        Counters counters = countNodes(tallies, minReadySeconds(ds));
        return storeDaemonSetStatus(ds, counters, tallies.stream().allMatch(NodeTally::caughtUp));
    }

    /**
     * countNodes is the loop of updateDaemonSetStatus: desired counts nodes where a daemon pod belongs
     * (shouldRun, not shouldContinueRunning); a node that keeps its pod only because an untolerated
     * taint is NoSchedule counts as misscheduled. Ready, available and updated look at the oldest pod of
     * a desired node only.
     */
    public static Counters countNodes(Collection<DaemonSetNodeState> states, int minReadySeconds, Instant now) {
        return countNodes(NodeTally.of(states, NodeTally.availableCutoff(minReadySeconds, now), 0), minReadySeconds);
    }

    /** countNodes over tallies: each counts for as many nodes as it holds. */
    public static Counters countNodes(Collection<NodeTally> tallies, int minReadySeconds) {
        int desired = 0;
        int current = 0;
        int misscheduled = 0;
        int ready = 0;
        int available = 0;
        int updated = 0;
        for (NodeTally t : tallies) {
            int n = t.nodes();
            if (t.shouldRun()) {
                desired += n;
                if (t.scheduled()) {
                    current += n;
                    if (t.ready()) {
                        ready += n;
                        if (minReadySeconds <= 0 || t.readyLongEnough()) {
                            available += n;
                        }
                    }
                    if (t.updated()) {
                        updated += n;
                    }
                }
            } else if (t.scheduled()) {
                misscheduled += n;
            }
        }
        return new Counters(desired, current, misscheduled, ready, available, updated, desired - available);
    }

    /**
     * storeDaemonSetStatus applies upstream's write rule: skip when the seven counters equal the stored
     * ones and the stored observedGeneration has caught up with metadata.generation; otherwise the new
     * status carries all counters, observedGeneration = generation when {@code updateObservedGen} (else
     * the stored one), and collisionCount, conditions and any other field unchanged (the controller
     * never writes conditions; collisionCount belongs to revision history).
     */
    public static Optional<DaemonSetStatus> storeDaemonSetStatus(DaemonSet ds, Counters counters,
            boolean updateObservedGen) {
        DaemonSetStatus stored = ds.getStatus();
        long generation = generation(ds);
        if (Counters.of(stored).equals(counters) && observedGeneration(stored) >= generation) {
            return Optional.empty();
        }
        DaemonSetStatus next = stored == null ? new DaemonSetStatus()
                : KubeJson.json().convertValue(stored, DaemonSetStatus.class);
        // apps/v1 always serialises these four, and omits the others when zero (omitempty).
        next.setDesiredNumberScheduled(counters.desiredNumberScheduled());
        next.setCurrentNumberScheduled(counters.currentNumberScheduled());
        next.setNumberMisscheduled(counters.numberMisscheduled());
        next.setNumberReady(counters.numberReady());
        next.setNumberAvailable(omitZero(counters.numberAvailable()));
        next.setUpdatedNumberScheduled(omitZero(counters.updatedNumberScheduled()));
        next.setNumberUnavailable(omitZero(counters.numberUnavailable()));
        if (updateObservedGen) {
            next.setObservedGeneration(generation == 0 ? null : generation);
        }
        return Optional.of(next);
    }

    /** ownStates keeps the states computed for this DaemonSet's uid. */
    public static List<DaemonSetNodeState> ownStates(DaemonSet ds, Collection<DaemonSetNodeState> states) {
        String uid = ds.getMetadata() == null ? null : ds.getMetadata().getUid();
        return states.stream().filter(s -> uid != null && Objects.equals(uid, s.daemonSetUid())).toList();
    }

    /**
     * getsStatusUpdates is false for a DaemonSet being deleted and for one whose selector is missing or
     * empty (it would select every pod); upstream's sync stops before the status for both.
     */
    public static boolean getsStatusUpdates(DaemonSet ds) {
        ObjectMeta meta = ds.getMetadata();
        if (meta == null || (meta.getDeletionTimestamp() != null && !meta.getDeletionTimestamp().isEmpty())) {
            return false;
        }
        LabelSelector selector = ds.getSpec() == null ? null : ds.getSpec().getSelector();
        return selector != null && !(isEmpty(selector.getMatchLabels()) && isEmpty(selector.getMatchExpressions()));
    }

    /** isPodReady is IsPodReady: condition Ready is True. A node without an oldest pod has no ready pod. */
    public static boolean isPodReady(OldestPod pod) {
        return pod != null && pod.ready();
    }

    /** minReadySeconds of the spec; 0 when absent. */
    public static int minReadySeconds(DaemonSet ds) {
        return ds.getSpec() == null ? 0 : zero(ds.getSpec().getMinReadySeconds());
    }

    /** generation is metadata.generation; 0 when absent (upstream's zero value). */
    public static long generation(DaemonSet ds) {
        Long g = ds.getMetadata() == null ? null : ds.getMetadata().getGeneration();
        return g == null ? 0 : g;
    }

    /** observedGeneration of a stored status; 0 when absent. */
    public static long observedGeneration(DaemonSetStatus status) {
        return status == null || status.getObservedGeneration() == null ? 0 : status.getObservedGeneration();
    }

    private static int zero(Integer value) {
        return value == null ? 0 : value;
    }

    private static Integer omitZero(int value) {
        return value == 0 ? null : value;
    }

    private static boolean isEmpty(Collection<?> c) {
        return c == null || c.isEmpty();
    }

    private static boolean isEmpty(java.util.Map<?, ?> m) {
        return m == null || m.isEmpty();
    }
}
