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
        if (!getsStatusUpdates(ds)) {
            return Optional.empty();
        }
        List<DaemonSetNodeState> own = ownStates(ds, states);
        Counters counters = countNodes(own, minReadySeconds(ds), now);
        return storeDaemonSetStatus(ds, counters, generationObserved(ds, own));
    }

    /**
     * countNodes is the loop of updateDaemonSetStatus: desired counts nodes where a daemon pod belongs
     * (shouldRun, not shouldContinueRunning); a node that keeps its pod only because an untolerated
     * taint is NoSchedule counts as misscheduled. Ready, available and updated look at the oldest pod of
     * a desired node only.
     */
    public static Counters countNodes(Collection<DaemonSetNodeState> states, int minReadySeconds, Instant now) {
        int desired = 0;
        int current = 0;
        int misscheduled = 0;
        int ready = 0;
        int available = 0;
        int updated = 0;
        for (DaemonSetNodeState state : states) {
            boolean scheduled = state.pods() > 0;
            if (state.shouldRun()) {
                desired++;
                if (scheduled) {
                    current++;
                    OldestPod pod = state.oldestPod();
                    if (isPodReady(pod)) {
                        ready++;
                        if (isPodAvailable(pod, minReadySeconds, now)) {
                            available++;
                        }
                    }
                    if (pod != null && pod.updated()) {
                        updated++;
                    }
                }
            } else if (scheduled) {
                misscheduled++;
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

    /**
     * generationObserved stands in for upstream's "expectations satisfied": the status may claim the
     * current generation only when every node state was computed by the scheduler for that generation
     * (or a later one). A DaemonSet with no node states at all (no nodes) has nothing to wait for.
     */
    public static boolean generationObserved(DaemonSet ds, Collection<DaemonSetNodeState> ownStates) {
        long generation = generation(ds);
        return ownStates.stream().allMatch(s -> s.generation() >= generation);
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

    /**
     * isPodAvailable is IsPodAvailable: ready, and either minReadySeconds is 0 or the Ready condition
     * turned True at least minReadySeconds ago. The boundary counts as available ({@code <=}, as the
     * newest upstream code; older versions used {@code <}). Without a transition time the pod is not
     * available, as upstream treats a zero lastTransitionTime.
     */
    public static boolean isPodAvailable(OldestPod pod, int minReadySeconds, Instant now) {
        if (!isPodReady(pod)) {
            return false;
        }
        if (minReadySeconds <= 0) {
            return true;
        }
        return pod.readySince() != null && !pod.readySince().plusSeconds(minReadySeconds).isAfter(now);
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
