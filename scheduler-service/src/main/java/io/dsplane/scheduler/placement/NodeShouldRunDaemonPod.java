package io.dsplane.scheduler.placement;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.util.ArrayList;
import java.util.List;

/**
 * NodeShouldRunDaemonPod is the placement predicate of a DaemonSet, like upstream's
 * {@code NodeShouldRunDaemonPod}: only the template's nodeName, the nodeSelector, the required
 * node affinity and the node's NoSchedule/NoExecute taints count. Resources, host ports, node
 * conditions and {@code spec.unschedulable} are deliberately not looked at here (resources are
 * checked separately by {@link ResourceFit}; conditions and cordon arrive as taints).
 */
public final class NodeShouldRunDaemonPod {

    /** Reason: the template pins the pod to another node by {@code spec.nodeName}. */
    public static final String REASON_NODE_NAME_MISMATCH = "template nodeName %s does not match node %s";
    /** Reason: a NoSchedule taint no toleration covers: no new pod, an existing one is kept. */
    public static final String REASON_UNTOLERATED_NO_SCHEDULE = "untolerated taint %s: no new daemon pod, existing pod kept";
    /** Reason: a NoExecute taint no toleration covers: no pod and existing pods are evicted. */
    public static final String REASON_UNTOLERATED_NO_EXECUTE = "untolerated taint %s: daemon pod not allowed, existing pod evicted";

    private NodeShouldRunDaemonPod() {
    }

    /**
     * nodeShouldRunDaemonPod returns {@code (shouldRun, shouldContinueRunning)} for the DaemonSet on
     * the node, with a reason for every failing predicate (all predicates are evaluated so that the
     * explanation is complete; the booleans follow upstream's order of checks):
     * template nodeName mismatch or selector/affinity mismatch → (false, false); an untolerated
     * NoExecute taint → (false, false); only untolerated NoSchedule taints → (false, true);
     * otherwise (true, true). PreferNoSchedule taints never count. Inputs are not mutated.
     */
    public static Verdict nodeShouldRunDaemonPod(Node node, DaemonSet ds) {
        String nodeName = node.getMetadata() == null ? null : node.getMetadata().getName();
        PodSpec template = templateSpec(ds);
        List<String> reasons = new ArrayList<>();

        boolean fitsTemplateNodeName = isEmpty(template.getNodeName()) || template.getNodeName().equals(nodeName);
        if (!fitsTemplateNodeName) {
            reasons.add(String.format(REASON_NODE_NAME_MISMATCH, template.getNodeName(), nodeName));
        }

        PodSpec spec = predicateSpec(template, nodeName);
        // Always true for the pod newPod builds; kept to mirror upstream's predicate list.
        boolean fitsNodeName = isEmpty(spec.getNodeName()) || spec.getNodeName().equals(nodeName);
        NodeSelectorMatch affinity = NodeSelectorMatcher.match(spec, node);
        reasons.addAll(affinity.reasons());

        List<Taint> taints = node.getSpec() == null ? List.of() : node.getSpec().getTaints();
        List<Taint> untolerated = Tolerations.findAllUntoleratedTaints(taints, spec.getTolerations(),
                Tolerations.effectIn(Tolerations.DAEMON_PLACEMENT_EFFECTS));
        boolean hasUntoleratedNoExecute = false;
        for (Taint taint : untolerated) {
            boolean noExecute = Tolerations.EFFECT_NO_EXECUTE.equals(taint.getEffect());
            hasUntoleratedNoExecute |= noExecute;
            reasons.add(String.format(noExecute ? REASON_UNTOLERATED_NO_EXECUTE : REASON_UNTOLERATED_NO_SCHEDULE,
                    Tolerations.format(taint)));
        }
        boolean fitsTaints = untolerated.isEmpty();

        if (!fitsTemplateNodeName || !fitsNodeName || !affinity.matches()) {
            return new Verdict(false, false, reasons);
        }
        if (!fitsTaints) {
            return new Verdict(false, !hasUntoleratedNoExecute, reasons);
        }
        return Verdict.RUN;
    }

    /**
     * newPod builds the pod the predicate is evaluated on, like upstream's {@code NewPod}: a copy
     * of the template with the DS namespace, {@code spec.nodeName} set to the node and the daemon
     * tolerations added. Its required node affinity is the template's (not yet pinned).
     */
    public static Pod newPod(DaemonSet ds, String nodeName) {
        ObjectMeta templateMeta = ds.getSpec() == null || ds.getSpec().getTemplate() == null
                || ds.getSpec().getTemplate().getMetadata() == null
                ? new ObjectMeta() : ds.getSpec().getTemplate().getMetadata();
        ObjectMeta meta = new ObjectMetaBuilder(templateMeta)
                .withNamespace(ds.getMetadata() == null ? null : ds.getMetadata().getNamespace())
                .build();
        PodSpec spec = new PodSpecBuilder(templateSpec(ds)).withNodeName(nodeName).build();
        spec.setTolerations(DaemonPodTolerations.addOrUpdateDaemonPodTolerations(spec));
        return new PodBuilder().withMetadata(meta).withSpec(spec).build();
    }

    /**
     * predicateSpec is the part of {@link #newPod}'s spec that the predicates read (nodeName,
     * nodeSelector, affinity, tolerations with the daemon tolerations added), without copying the rest
     * of the template: this runs for every node and DaemonSet pair, and the containers are what make a
     * copy expensive. The template's objects are shared, not changed.
     */
    static PodSpec predicateSpec(PodSpec template, String nodeName) {
        PodSpec spec = new PodSpec();
        spec.setNodeName(nodeName);
        spec.setNodeSelector(template.getNodeSelector());
        spec.setAffinity(template.getAffinity());
        spec.setHostNetwork(template.getHostNetwork());
        spec.setTolerations(DaemonPodTolerations.addOrUpdateDaemonPodTolerations(template));
        return spec;
    }

    private static PodSpec templateSpec(DaemonSet ds) {
        if (ds.getSpec() == null || ds.getSpec().getTemplate() == null || ds.getSpec().getTemplate().getSpec() == null) {
            return new PodSpec();
        }
        return ds.getSpec().getTemplate().getSpec();
    }

    private static boolean isEmpty(String s) {
        return s == null || s.isEmpty();
    }
}
