package io.dsplane.scheduler.placement;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.dsplane.contracts.event.DaemonSetNodeState;
import io.dsplane.contracts.event.ResourceEvent;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;

/**
 * NodeStateSummary condenses what status needs of one DaemonSet on one node (upstream's
 * updateDaemonSetStatus loop body): the verdict, how many daemon pods are mapped to the node
 * (terminal-and-terminating pods excluded, as getNodesToDaemonPods does) and the oldest of them.
 */
public final class NodeStateSummary {

    private NodeStateSummary() {
    }

    /** summarize builds the state record; {@code daemonPods} are the DaemonSet's pods mapped to the node. */
    public static DaemonSetNodeState summarize(DaemonSet ds, String nodeName, Verdict verdict, List<Pod> daemonPods,
            String hash) {
        List<Pod> counted = daemonPods.stream()
                .filter(p -> !(DaemonPods.isTerminal(p) && DaemonPods.isTerminating(p)))
                .sorted(DaemonPods.podByCreationTimestampAndPhase()).toList();
        DaemonSetNodeState.OldestPod oldest = null;
        if (!counted.isEmpty()) {
            Pod p = counted.get(0);
            boolean ready = DaemonPods.isPodReady(p);
            Instant since = ready ? readySince(p).orElse(null) : null;
            oldest = new DaemonSetNodeState.OldestPod(p.getMetadata().getName(), ready, since,
                    isPodUpdated(p, hash, NewDaemonPod.templateGeneration(ds)));
        }
        String key = ds.getMetadata().getNamespace() + "/" + ds.getMetadata().getName();
        long generation = ds.getMetadata().getGeneration() == null ? 0 : ds.getMetadata().getGeneration();
        List<String> hashes = daemonPods.stream().map(DaemonPods::revisionHash).filter(java.util.Objects::nonNull)
                .distinct().sorted().toList();
        return new DaemonSetNodeState(ResourceEvent.SCHEMA_VERSION, key, ds.getMetadata().getUid(), generation, hash,
                nodeName, verdict.shouldRun(), verdict.shouldContinueRunning(), counted.size(), oldest, hashes);
    }

    /**
     * isPodUpdated is upstream's IsPodUpdated: the pod carries the current revision hash, or the
     * current pod-template-generation.
     */
    public static boolean isPodUpdated(Pod pod, String hash, Optional<Long> templateGeneration) {
        String podHash = DaemonPods.revisionHash(pod);
        if (hash != null && !hash.isEmpty() && hash.equals(podHash)) {
            return true;
        }
        String gen = pod.getMetadata().getLabels() == null ? null
                : pod.getMetadata().getLabels().get(DaemonPods.POD_TEMPLATE_GENERATION_LABEL);
        return templateGeneration.isPresent() && templateGeneration.get().toString().equals(gen);
    }

    private static Optional<Instant> readySince(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        for (PodCondition c : pod.getStatus().getConditions()) {
            if (DaemonPods.CONDITION_READY.equals(c.getType())) {
                return Timestamps.parse(c.getLastTransitionTime());
            }
        }
        return Optional.empty();
    }
}
