package io.dsplane.scheduler.placement;

import io.dsplane.contracts.event.DerivedNames;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.NodeAffinity;
import io.fabric8.kubernetes.api.model.NodeAffinityBuilder;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * NewDaemonPod builds the daemon pod the scheduler materializes for a node, following upstream's
 * {@code CreatePodTemplate} plus this product's difference: a pod that fits is created BOUND
 * ({@code spec.nodeName} set, PodScheduled=True, phase Pending until an agent reports Running).
 * Every pod also keeps upstream's pinning affinity {@code matchFields metadata.name In [node]}, so
 * both ways of mapping a pod to its node work, and {@link #markUnschedulable} can unbind it.
 */
public final class NewDaemonPod {

    /** apiVersion of the DaemonSet owner reference. */
    public static final String DAEMON_SET_API_VERSION = "apps/v1";
    /** kind of the DaemonSet owner reference. */
    public static final String DAEMON_SET_KIND = "DaemonSet";
    /** Condition reason of a pod that does not fit its node; kube-scheduler's word for it. */
    public static final String REASON_UNSCHEDULABLE = "Unschedulable";

    private NewDaemonPod() {
    }

    /** newPod is {@link #newPod(DaemonSet, String, String, int, Instant)} without a condition time. */
    public static Pod newPod(DaemonSet ds, String nodeName, String revisionHash, int attempt) {
        return newPod(ds, nodeName, revisionHash, attempt, null);
    }

    /**
     * newPod returns the desired v1 Pod of the DaemonSet on the node: deterministic name (same
     * inputs, same name, so re-deciding a pod does not create a second one; bump {@code attempt}
     * to get a fresh name for a replacement), the DS namespace, template labels plus
     * {@code controller-revision-hash} (and {@code pod-template-generation} when the DS carries
     * the template generation annotation), template annotations and finalizers, a controller owner
     * reference, the template spec with daemon tolerations, required node affinity replaced by the
     * pinning term, {@code spec.nodeName} = node, phase Pending and PodScheduled=True.
     *
     * @param now time of the PodScheduled condition; null leaves lastTransitionTime unset
     */
    public static Pod newPod(DaemonSet ds, String nodeName, String revisionHash, int attempt, Instant now) {
        ObjectMeta dsMeta = ds.getMetadata() == null ? new ObjectMeta() : ds.getMetadata();
        PodTemplateSpec template = ds.getSpec() == null ? null : ds.getSpec().getTemplate();
        ObjectMeta templateMeta = template == null || template.getMetadata() == null ? new ObjectMeta() : template.getMetadata();
        PodSpec templateSpec = template == null || template.getSpec() == null ? new PodSpec() : template.getSpec();

        Map<String, String> labels = new LinkedHashMap<>();
        if (templateMeta.getLabels() != null) {
            labels.putAll(templateMeta.getLabels());
        }
        if (revisionHash != null && !revisionHash.isEmpty()) {
            labels.put(DaemonPods.CONTROLLER_REVISION_HASH_LABEL, revisionHash);
        }
        templateGeneration(ds).ifPresent(g -> labels.put(DaemonPods.POD_TEMPLATE_GENERATION_LABEL, Long.toString(g)));

        ObjectMeta meta = new ObjectMeta();
        meta.setName(podName(dsMeta.getName(), dsMeta.getUid(), nodeName, revisionHash, attempt));
        meta.setNamespace(dsMeta.getNamespace());
        meta.setLabels(labels);
        meta.setAnnotations(templateMeta.getAnnotations() == null ? new LinkedHashMap<>()
                : new LinkedHashMap<>(templateMeta.getAnnotations()));
        meta.setFinalizers(templateMeta.getFinalizers() == null ? new ArrayList<>()
                : new ArrayList<>(templateMeta.getFinalizers()));
        OwnerReference owner = new OwnerReference();
        owner.setApiVersion(DAEMON_SET_API_VERSION);
        owner.setKind(DAEMON_SET_KIND);
        owner.setName(dsMeta.getName());
        owner.setUid(dsMeta.getUid());
        owner.setController(true);
        owner.setBlockOwnerDeletion(true);
        meta.setOwnerReferences(new ArrayList<>(List.of(owner)));

        // The template's containers, volumes and the rest are shared, not copied: the pod is encoded and
        // dropped, and what keeps pods in memory builds views of its own (PlacementFields). A deep copy
        // of the template was most of the cost of a new pod, and its builder classes most of the JIT's.
        PodSpec spec = PodSpecs.shallowCopy(templateSpec);
        spec.setTolerations(DaemonPodTolerations.addOrUpdateDaemonPodTolerations(spec));
        spec.setAffinity(replaceDaemonSetPodNodeNameNodeAffinity(spec.getAffinity(), nodeName));
        spec.setNodeName(nodeName);

        PodStatus status = new PodStatus();
        status.setPhase(DaemonPods.PHASE_PENDING);
        status.setConditions(new ArrayList<>(List.of(podScheduled(DaemonPods.STATUS_TRUE, null, null, now))));
        // Assembled with setters: a builder's withSpec and build would deep-copy the spec twice more.
        Pod pod = new Pod();
        pod.setApiVersion("v1");
        pod.setKind("Pod");
        pod.setMetadata(meta);
        pod.setSpec(spec);
        pod.setStatus(status);
        return pod;
    }

    /** markUnschedulable is {@link #markUnschedulable(Pod, String, Instant)} without a condition time. */
    public static Pod markUnschedulable(Pod pod, String message) {
        return markUnschedulable(pod, message, null);
    }

    /**
     * markUnschedulable returns a copy of the pod that did not fit its node: unbound
     * ({@code spec.nodeName} cleared, still pinned to the node by its affinity term so it keeps
     * counting for that node), phase Pending, PodScheduled=False reason Unschedulable with the
     * message naming what is missing. Other conditions are kept.
     *
     * @param now time of the PodScheduled condition; null leaves lastTransitionTime unset
     */
    public static Pod markUnschedulable(Pod pod, String message, Instant now) {
        Pod copy = new PodBuilder(pod).build();
        PodSpec spec = copy.getSpec() == null ? new PodSpec() : copy.getSpec();
        String target = DaemonPods.getTargetNodeName(copy);
        if (target != null) {
            spec.setAffinity(replaceDaemonSetPodNodeNameNodeAffinity(spec.getAffinity(), target));
        }
        spec.setNodeName(null);
        copy.setSpec(spec);

        PodStatus status = copy.getStatus() == null ? new PodStatus() : copy.getStatus();
        List<PodCondition> conditions = new ArrayList<>();
        if (status.getConditions() != null) {
            status.getConditions().stream()
                    .filter(c -> c != null && !DaemonPods.CONDITION_POD_SCHEDULED.equals(c.getType()))
                    .forEach(conditions::add);
        }
        conditions.add(podScheduled(DaemonPods.STATUS_FALSE, REASON_UNSCHEDULABLE, message, now));
        status.setConditions(conditions);
        status.setPhase(DaemonPods.PHASE_PENDING);
        copy.setStatus(status);
        return copy;
    }

    /**
     * replaceDaemonSetPodNodeNameNodeAffinity returns a copy of the affinity whose required node
     * affinity is the single term {@code matchFields metadata.name In [nodeName]}, creating
     * affinity and node affinity when absent. User required terms are dropped (the pod is for this
     * node only); preferred terms and pod (anti-)affinity are untouched.
     */
    public static Affinity replaceDaemonSetPodNodeNameNodeAffinity(Affinity affinity, String nodeName) {
        NodeSelectorRequirement byName = new NodeSelectorRequirement();
        byName.setKey(SelectorRequirement.NODE_NAME_FIELD);
        byName.setOperator(SelectorRequirement.OP_IN);
        byName.setValues(new ArrayList<>(List.of(nodeName)));
        NodeSelectorTerm pin = new NodeSelectorTerm();
        pin.setMatchFields(new ArrayList<>(List.of(byName)));
        Affinity copy = affinity == null ? new Affinity() : new AffinityBuilder(affinity).build();
        NodeAffinity nodeAffinity = copy.getNodeAffinity() == null
                ? new NodeAffinity() : new NodeAffinityBuilder(copy.getNodeAffinity()).build();
        NodeSelector required = nodeAffinity.getRequiredDuringSchedulingIgnoredDuringExecution() == null
                ? new NodeSelector() : new NodeSelectorBuilder(nodeAffinity.getRequiredDuringSchedulingIgnoredDuringExecution()).build();
        required.setNodeSelectorTerms(new ArrayList<>(List.of(pin)));
        nodeAffinity.setRequiredDuringSchedulingIgnoredDuringExecution(required);
        copy.setNodeAffinity(nodeAffinity);
        return copy;
    }

    /**
     * podName is {@code <prefix><suffix>} where the prefix is generateName's: {@code "<dsName>-"}
     * cut to 58 characters, and the 5-character suffix is derived from the DS uid, node, revision
     * hash and attempt instead of being random, so the same decision always names the same pod.
     */
    public static String podName(String dsName, String dsUid, String nodeName, String revisionHash, int attempt) {
        return podNamePrefix(dsName) + DerivedNames.suffix(dsUid, nodeName, revisionHash, Integer.toString(attempt));
    }

    /**
     * attemptOf is the attempt a pod of this DaemonSet, node and revision hash was named with: the
     * first attempt from {@code from} to {@code to} whose {@link #podName} is {@code name}. Empty when
     * none is: the name is not one of ours (an adopted pod), or its attempt lies outside the range.
     */
    public static OptionalInt attemptOf(String name, String dsName, String dsUid, String nodeName,
            String revisionHash, int from, int to) {
        String prefix = podNamePrefix(dsName);
        if (name == null || !name.startsWith(prefix)) {
            return OptionalInt.empty();
        }
        for (int attempt = Math.max(1, from); attempt <= to; attempt++) {
            if (name.equals(podName(dsName, dsUid, nodeName, revisionHash, attempt))) {
                return OptionalInt.of(attempt);
            }
        }
        return OptionalInt.empty();
    }

    /** podNamePrefix is generateName's base: {@code "<dsName>-"} truncated to 58 characters. */
    public static String podNamePrefix(String dsName) {
        return DerivedNames.prefix(dsName);
    }

    /**
     * templateGeneration reads the DS annotation {@code deprecated.daemonset.template.generation};
     * empty when absent or not an int64 (upstream would fail the sync on the latter).
     */
    public static Optional<Long> templateGeneration(DaemonSet ds) {
        Map<String, String> annotations = ds.getMetadata() == null ? null : ds.getMetadata().getAnnotations();
        if (annotations == null) {
            return Optional.empty();
        }
        return SelectorRequirement.parseInt64(annotations.get(DaemonPods.TEMPLATE_GENERATION_ANNOTATION));
    }

    private static PodCondition podScheduled(String status, String reason, String message, Instant now) {
        PodCondition c = new PodCondition();
        c.setType(DaemonPods.CONDITION_POD_SCHEDULED);
        c.setStatus(status);
        c.setReason(reason);
        c.setMessage(message);
        c.setLastTransitionTime(now == null ? null : Timestamps.format(now));
        return c;
    }
}
