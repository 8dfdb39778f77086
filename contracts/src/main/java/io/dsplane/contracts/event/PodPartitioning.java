package io.dsplane.contracts.event;

import java.util.List;

import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;

/**
 * PodPartitioning is how {@link Topics#PODS} is partitioned: a pod's events go to the partition of the
 * node it belongs to ({@link Topics#partitionOf} of the node's name), where the node's own events are,
 * keyed by its name on {@link Topics#NODES}. A consumer that owns a node's partition of the nodes
 * topic therefore finds all of the node's pods on the same partition of the pods topic and can read
 * both in place, without re-partitioning pods by node. A pod that belongs to no node is partitioned by
 * its own key.
 *
 * <p>The node of a pod never changes: {@code spec.nodeName} and the node affinity are immutable once a
 * pod exists, and a binding only sets the name its affinity already pins.
 */
public final class PodPartitioning {

    /** The only node field a {@code matchFields} requirement can see. */
    private static final String NODE_NAME_FIELD = "metadata.name";
    private static final String OP_IN = "In";

    private PodPartitioning() {
    }

    /**
     * nodeOf is the node a pod belongs to: {@code spec.nodeName} when bound, else the single value of the
     * first {@code matchFields metadata.name In [x]} requirement of its required node affinity (how an
     * unbound daemon pod is pinned), else null. The upstream DaemonSet controller's
     * {@code GetTargetNodeName}.
     */
    public static String nodeOf(Pod pod) {
        PodSpec spec = pod.getSpec();
        if (spec == null) {
            return null;
        }
        if (spec.getNodeName() != null && !spec.getNodeName().isEmpty()) {
            return spec.getNodeName();
        }
        if (spec.getAffinity() == null || spec.getAffinity().getNodeAffinity() == null) {
            return null;
        }
        NodeSelector required = spec.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
        if (required == null || required.getNodeSelectorTerms() == null) {
            return null;
        }
        for (NodeSelectorTerm term : required.getNodeSelectorTerms()) {
            if (term == null || term.getMatchFields() == null) {
                continue;
            }
            for (NodeSelectorRequirement field : term.getMatchFields()) {
                if (field != null && NODE_NAME_FIELD.equals(field.getKey()) && OP_IN.equals(field.getOperator())) {
                    // Upstream stops at the first such requirement and rejects anything but one value.
                    List<String> values = field.getValues();
                    return values != null && values.size() == 1 ? values.get(0) : null;
                }
            }
        }
        return null;
    }
}
