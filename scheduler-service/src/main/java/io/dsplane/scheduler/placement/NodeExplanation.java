package io.dsplane.scheduler.placement;

import java.util.ArrayList;
import java.util.List;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;

/**
 * NodeExplanation says, for one node and one DaemonSet, what the scheduler thinks and why: the
 * predicate's verdict with every failing requirement, the DaemonSet's pods on the node, and whether a
 * new pod would fit (which resources are short by how much, which pods a preemption would evict).
 *
 * @param node                  node name
 * @param shouldRun             a new daemon pod belongs here
 * @param shouldContinueRunning an existing daemon pod may stay
 * @param reasons               every failing predicate, in words
 * @param pods                  the DaemonSet's pods mapped to the node: name, phase, and flags
 * @param fits                  a new daemon pod fits the node's free resources
 * @param shortages             per short resource, the message
 * @param preemptionVictims     pods (namespace/name) a placement would evict, if it needs to
 */
public record NodeExplanation(String node, boolean shouldRun, boolean shouldContinueRunning, List<String> reasons,
        List<PodSummary> pods, boolean fits, List<String> shortages, List<String> preemptionVictims) {

    /** PodSummary is the part of a pod an explanation shows. */
    public record PodSummary(String name, String phase, boolean ready, boolean terminating, String revisionHash,
            boolean bound) {
    }

    /** explain evaluates the predicate and the resource fit for the DaemonSet on the node. */
    public static NodeExplanation explain(Node node, DaemonSet ds, List<Pod> podsOnNode, String revisionHash) {
        Verdict v = NodeShouldRunDaemonPod.nodeShouldRunDaemonPod(node, ds);
        String dsUid = ds.getMetadata().getUid();
        String nodeName = node.getMetadata().getName();
        List<PodSummary> mine = new ArrayList<>();
        List<Pod> bound = new ArrayList<>();
        for (Pod p : podsOnNode) {
            boolean isBound = p.getSpec() != null && nodeName.equals(p.getSpec().getNodeName());
            if (dsUid.equals(DaemonPods.controllerRefUid(p))) {
                mine.add(new PodSummary(p.getMetadata().getName(), DaemonPods.phase(p), DaemonPods.isPodReady(p),
                        DaemonPods.isTerminating(p), DaemonPods.revisionHash(p), isBound));
            }
            if (isBound && !DaemonPods.isTerminating(p) && !DaemonPods.isTerminal(p)
                    && !dsUid.equals(DaemonPods.controllerRefUid(p))) {
                bound.add(p);
            }
        }
        Pod candidate = NewDaemonPod.newPod(ds, nodeName, revisionHash, 0);
        FitResult fit = ResourceFit.fits(node, bound, candidate);
        List<String> shortages = fit.shortages().stream().map(Shortage::message).toList();
        List<String> victims = List.of();
        if (!fit.fits()) {
            victims = Preemption.selectVictims(node, bound, candidate).orElse(List.of()).stream()
                    .map(p -> p.getMetadata().getNamespace() + "/" + p.getMetadata().getName()).toList();
        }
        return new NodeExplanation(nodeName, v.shouldRun(), v.shouldContinueRunning(), v.reasons(), mine, fit.fits(),
                shortages, victims);
    }
}
