package io.dsplane.scheduler.rollout;

import java.time.Instant;
import java.util.List;

import io.dsplane.scheduler.placement.DaemonPods;
import io.dsplane.scheduler.placement.Verdict;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetUpdateStrategy;

/** RolloutStates builds a {@link RolloutNodeState} from a node's daemon pods (findUpdatedPodsOnNode). */
public final class RolloutStates {

    private RolloutStates() {
    }

    /** of splits the DaemonSet's non-terminating pods on the node into new and old by revision hash. */
    public static RolloutNodeState of(DaemonSet ds, String nodeName, Verdict verdict, List<Pod> daemonPods,
            String hash) {
        List<Pod> live = daemonPods.stream().filter(p -> !DaemonPods.isTerminating(p))
                .sorted(DaemonPods.podByCreationTimestampAndPhase()).toList();
        List<Pod> fresh = live.stream().filter(p -> hash.equals(DaemonPods.revisionHash(p))).toList();
        List<Pod> old = live.stream().filter(p -> !hash.equals(DaemonPods.revisionHash(p))).toList();
        Pod newest = fresh.isEmpty() ? null : fresh.get(0);
        Pod oldest = old.isEmpty() ? null : old.get(0);
        long generation = ds.getMetadata().getGeneration() == null ? 0 : ds.getMetadata().getGeneration();
        return new RolloutNodeState(ds.getMetadata().getNamespace() + "/" + ds.getMetadata().getName(),
                ds.getMetadata().getUid(), generation, hash, strategy(ds), nodeName, verdict.shouldRun(),
                fresh.size(), old.size(), newest != null && DaemonPods.isPodReady(newest), readySince(newest),
                oldest != null && DaemonPods.isPodReady(oldest), readySince(oldest));
    }

    /** strategy reads the update strategy; an absent one is RollingUpdate with the defaults (1, 0). */
    public static RolloutNodeState.Strategy strategy(DaemonSet ds) {
        DaemonSetUpdateStrategy s = ds.getSpec().getUpdateStrategy();
        int minReady = ds.getSpec().getMinReadySeconds() == null ? 0 : ds.getSpec().getMinReadySeconds();
        if (s == null || s.getType() == null) {
            return new RolloutNodeState.Strategy("RollingUpdate", "1", "0", minReady);
        }
        if (s.getRollingUpdate() == null) {
            return new RolloutNodeState.Strategy(s.getType(), null, null, minReady);
        }
        return new RolloutNodeState.Strategy(s.getType(), text(s.getRollingUpdate().getMaxUnavailable()),
                text(s.getRollingUpdate().getMaxSurge()), minReady);
    }

    private static String text(IntOrString v) {
        if (v == null) {
            return null;
        }
        return v.getIntVal() != null ? v.getIntVal().toString() : v.getStrVal();
    }

    private static Instant readySince(Pod pod) {
        if (pod == null || pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return null;
        }
        for (PodCondition c : pod.getStatus().getConditions()) {
            if (DaemonPods.CONDITION_READY.equals(c.getType()) && c.getLastTransitionTime() != null) {
                try {
                    return Instant.parse(c.getLastTransitionTime());
                } catch (java.time.format.DateTimeParseException e) {
                    return null;
                }
            }
        }
        return null;
    }
}
