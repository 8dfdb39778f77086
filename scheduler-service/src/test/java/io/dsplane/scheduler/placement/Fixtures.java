package io.dsplane.scheduler.placement;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Fixtures builds the small fabric8 objects the placement tests need. Test-only. */
final class Fixtures {

    static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

    private Fixtures() {
    }

    /** labels builds a map from alternating keys and values. */
    static Map<String, String> labels(String... keyValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put(keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    static Node node(String name) {
        return node(name, Map.of());
    }

    static Node node(String name, Map<String, String> labels, Taint... taints) {
        return new NodeBuilder()
                .withNewMetadata().withName(name).withLabels(new LinkedHashMap<>(labels)).endMetadata()
                .withNewSpec().withTaints(Arrays.asList(taints)).endSpec()
                .build();
    }

    /** nodeWithAllocatable: a node reporting cpu, memory and pods allocatable (null = not reported). */
    static Node nodeWithAllocatable(String name, String cpu, String memory, String pods) {
        Map<String, Quantity> allocatable = new LinkedHashMap<>();
        if (cpu != null) {
            allocatable.put("cpu", new Quantity(cpu));
        }
        if (memory != null) {
            allocatable.put("memory", new Quantity(memory));
        }
        if (pods != null) {
            allocatable.put("pods", new Quantity(pods));
        }
        return new NodeBuilder(node(name)).withNewStatus().withAllocatable(allocatable).endStatus().build();
    }

    static Taint taint(String key, String value, String effect) {
        return new Taint(effect, key, null, value);
    }

    static Toleration toleration(String key, String operator, String value, String effect) {
        return new Toleration(effect, key, operator, null, value);
    }

    static Toleration toleration(String key, String operator, String value, String effect, Long seconds) {
        return new Toleration(effect, key, operator, seconds, value);
    }

    static NodeSelectorRequirement req(String key, String operator, String... values) {
        return new NodeSelectorRequirementBuilder().withKey(key).withOperator(operator).withValues(values).build();
    }

    static NodeSelectorTerm term(NodeSelectorRequirement... expressions) {
        return new NodeSelectorTermBuilder().withMatchExpressions(expressions).build();
    }

    static NodeSelectorTerm fieldTerm(NodeSelectorRequirement... fields) {
        return new NodeSelectorTermBuilder().withMatchFields(fields).build();
    }

    /** specWithAffinity: a pod spec whose required node affinity has the given terms. */
    static PodSpec specWithAffinity(NodeSelectorTerm... terms) {
        return new PodSpecBuilder()
                .withNewAffinity().withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .withNodeSelectorTerms(terms)
                .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().endAffinity()
                .build();
    }

    static PodSpec specWithNodeSelector(Map<String, String> nodeSelector) {
        return new PodSpecBuilder().withNodeSelector(new LinkedHashMap<>(nodeSelector)).build();
    }

    /** daemonSet: a DS "ds" in namespace "ns" with uid "uid-1" and the given template spec. */
    static DaemonSet daemonSet(PodSpec templateSpec) {
        return new DaemonSetBuilder()
                .withNewMetadata().withName("ds").withNamespace("ns").withUid("uid-1").endMetadata()
                .withNewSpec()
                .withNewSelector().withMatchLabels(labels("app", "ds")).endSelector()
                .withNewTemplate()
                .withNewMetadata().withLabels(labels("app", "ds")).endMetadata()
                .withSpec(templateSpec)
                .endTemplate()
                .endSpec()
                .build();
    }

    static DaemonSet daemonSet() {
        return daemonSet(new PodSpecBuilder().withContainers(container("c", null, null)).build());
    }

    static Container container(String name, String cpu, String memory) {
        Map<String, Quantity> requests = new LinkedHashMap<>();
        if (cpu != null) {
            requests.put("cpu", new Quantity(cpu));
        }
        if (memory != null) {
            requests.put("memory", new Quantity(memory));
        }
        return new ContainerBuilder().withName(name).withImage("img").withNewResources().withRequests(requests).endResources().build();
    }

    /** pod: a daemon pod bound to node, created at T0 + createdSecondsAfterT0, in the given phase. */
    static Pod pod(String name, String node, long createdSecondsAfterT0, String phase) {
        return new PodBuilder()
                .withNewMetadata().withName(name).withNamespace("ns")
                .withCreationTimestamp(T0.plusSeconds(createdSecondsAfterT0).toString())
                .withLabels(labels("app", "ds"))
                .endMetadata()
                .withNewSpec().withNodeName(node).endSpec()
                .withNewStatus().withPhase(phase).endStatus()
                .build();
    }

    static Pod running(String name, String node, long createdSecondsAfterT0) {
        return pod(name, node, createdSecondsAfterT0, "Running");
    }

    static Pod withHash(Pod pod, String hash) {
        return new PodBuilder(pod).editMetadata().addToLabels(DaemonPods.CONTROLLER_REVISION_HASH_LABEL, hash).endMetadata().build();
    }

    /** ready marks the pod Ready=True since the given instant. */
    static Pod ready(Pod pod, Instant since) {
        return new PodBuilder(pod).editStatus()
                .addNewCondition().withType("Ready").withStatus("True").withLastTransitionTime(since.toString()).endCondition()
                .endStatus().build();
    }

    static Pod terminating(Pod pod) {
        return new PodBuilder(pod).editMetadata().withDeletionTimestamp(T0.toString()).endMetadata().build();
    }

    /** resourcePod: a running pod bound to node with one container requesting cpu/memory and a priority. */
    static Pod resourcePod(String name, String node, String cpu, String memory, Integer priority, long createdSecondsAfterT0) {
        return new PodBuilder(running(name, node, createdSecondsAfterT0))
                .editSpec().withContainers(container("c", cpu, memory)).withPriority(priority).endSpec()
                .build();
    }

    static List<String> names(List<Pod> pods) {
        return pods.stream().map(p -> p.getMetadata().getName()).toList();
    }
}
