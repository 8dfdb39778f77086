package io.dsplane.scheduler.placement;

import static io.dsplane.scheduler.placement.Fixtures.daemonSet;
import static io.dsplane.scheduler.placement.Fixtures.labels;
import static io.dsplane.scheduler.placement.Fixtures.node;
import static io.dsplane.scheduler.placement.Fixtures.req;
import static io.dsplane.scheduler.placement.Fixtures.specWithAffinity;
import static io.dsplane.scheduler.placement.Fixtures.taint;
import static io.dsplane.scheduler.placement.Fixtures.term;
import static io.dsplane.scheduler.placement.Fixtures.toleration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NodeShouldRunDaemonPodTest {

    private static final PodSpec PLAIN = new PodSpec();
    private static final PodSpec HOST_NETWORK = new PodSpecBuilder().withHostNetwork(true).build();
    private static final PodSpec TOLERATES_GPU = new PodSpecBuilder().withTolerations(toleration("dedicated", "Equal", "gpu", "NoSchedule")).build();
    private static final PodSpec TOLERATES_NOT_READY_NO_SCHEDULE = new PodSpecBuilder()
            .withTolerations(toleration("node.kubernetes.io/not-ready", "Exists", null, "NoSchedule")).build();

    static Stream<Arguments> taintRules() {
        return Stream.of(
                arguments("untaintedNodeGetsPod", PLAIN, List.of(), true, true, List.of()),
                arguments("taintedNodeWithoutTolerationGetsNoPod", PLAIN, List.of(taint("dedicated", "gpu", "NoSchedule")), false, true,
                        List.of("untolerated taint dedicated=gpu:NoSchedule: no new daemon pod, existing pod kept")),
                arguments("noExecuteTaintEvictsRunningPod", PLAIN, List.of(taint("dedicated", "gpu", "NoExecute")), false, false,
                        List.of("untolerated taint dedicated=gpu:NoExecute: daemon pod not allowed, existing pod evicted")),
                arguments("noScheduleAndNoExecuteTaintsAreBothNamedAndNoExecuteWins", PLAIN,
                        List.of(taint("a", null, "NoSchedule"), taint("b", "1", "NoExecute")), false, false,
                        List.of("untolerated taint a:NoSchedule: no new daemon pod, existing pod kept",
                                "untolerated taint b=1:NoExecute: daemon pod not allowed, existing pod evicted")),
                arguments("preferNoScheduleTaintIsIgnored", PLAIN, List.of(taint("dedicated", "gpu", "PreferNoSchedule")), true, true, List.of()),
                arguments("toleratedTaintedNodeGetsPod", TOLERATES_GPU, List.of(taint("dedicated", "gpu", "NoSchedule")), true, true, List.of()),
                arguments("notReadyNodeKeepsPodButGetsNoNewOne", PLAIN,
                        List.of(taint("node.kubernetes.io/not-ready", null, "NoSchedule"), taint("node.kubernetes.io/not-ready", null, "NoExecute")),
                        false, true, List.of("untolerated taint node.kubernetes.io/not-ready:NoSchedule: no new daemon pod, existing pod kept")),
                arguments("notReadyNodeGetsPodWhenDaemonToleratesNotReadyNoSchedule", TOLERATES_NOT_READY_NO_SCHEDULE,
                        List.of(taint("node.kubernetes.io/not-ready", null, "NoSchedule"), taint("node.kubernetes.io/not-ready", null, "NoExecute")),
                        true, true, List.of()),
                arguments("unreachableNoExecuteIsToleratedByDefault", PLAIN,
                        List.of(taint("node.kubernetes.io/unreachable", null, "NoExecute")), true, true, List.of()),
                arguments("pressureTaintsAreToleratedByDefault", PLAIN,
                        List.of(taint("node.kubernetes.io/disk-pressure", null, "NoSchedule"),
                                taint("node.kubernetes.io/memory-pressure", null, "NoSchedule"),
                                taint("node.kubernetes.io/pid-pressure", null, "NoSchedule")), true, true, List.of()),
                arguments("cordonTaintIsToleratedByDefault", PLAIN,
                        List.of(taint("node.kubernetes.io/unschedulable", null, "NoSchedule")), true, true, List.of()),
                arguments("networkUnavailableIsToleratedWithHostNetwork", HOST_NETWORK,
                        List.of(taint("node.kubernetes.io/network-unavailable", null, "NoSchedule")), true, true, List.of()),
                arguments("networkUnavailableIsNotToleratedWithoutHostNetwork", PLAIN,
                        List.of(taint("node.kubernetes.io/network-unavailable", null, "NoSchedule")), false, true,
                        List.of("untolerated taint node.kubernetes.io/network-unavailable:NoSchedule: no new daemon pod, existing pod kept")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("taintRules")
    void taintsDecidePlacementAndEviction(String behaviour, PodSpec template, List<Taint> taints,
                                          boolean shouldRun, boolean shouldContinueRunning, List<String> reasons) {
        Verdict verdict = NodeShouldRunDaemonPod.nodeShouldRunDaemonPod(node("n1", Map.of(), taints.toArray(Taint[]::new)), daemonSet(template));

        assertThat(verdict.shouldRun()).isEqualTo(shouldRun);
        assertThat(verdict.shouldContinueRunning()).isEqualTo(shouldContinueRunning);
        assertThat(verdict.reasons()).containsExactlyElementsOf(reasons);
    }

    @Test
    void templateNodeNameForAnotherNodeGetsNoPodAndEvicts() {
        Verdict verdict = NodeShouldRunDaemonPod.nodeShouldRunDaemonPod(node("n1"),
                daemonSet(new PodSpecBuilder().withNodeName("n2").build()));

        assertThat(verdict).isEqualTo(new Verdict(false, false, List.of("template nodeName n2 does not match node n1")));
    }

    @Test
    void templateNodeNameForThisNodeGetsPod() {
        assertThat(NodeShouldRunDaemonPod.nodeShouldRunDaemonPod(node("n1"), daemonSet(new PodSpecBuilder().withNodeName("n1").build())))
                .isEqualTo(Verdict.RUN);
    }

    @Test
    void nodeSelectorMismatchGetsNoPodAndEvictsWithTheNodesValue() {
        Verdict verdict = NodeShouldRunDaemonPod.nodeShouldRunDaemonPod(node("n1", labels("disktype", "hdd")),
                daemonSet(new PodSpecBuilder().withNodeSelector(labels("disktype", "ssd")).build()));

        assertThat(verdict).isEqualTo(new Verdict(false, false, List.of("nodeSelector disktype=ssd: node has disktype=hdd")));
    }

    @Test
    void affinityMismatchGetsNoPodAndEvicts() {
        Verdict verdict = NodeShouldRunDaemonPod.nodeShouldRunDaemonPod(node("n1", labels("zone", "c")),
                daemonSet(specWithAffinity(term(req("zone", "In", "a", "b")))));

        assertThat(verdict).isEqualTo(new Verdict(false, false, List.of("affinity term 0: requirement zone In [a,b]: node has zone=c")));
    }

    @Test
    void everyFailingPredicateIsExplained() {
        PodSpec template = new PodSpecBuilder(specWithAffinity(term(req("zone", "In", "a"))))
                .withNodeName("n2").withNodeSelector(labels("disktype", "ssd")).build();
        Node node = node("n1", labels("zone", "c"), taint("dedicated", "gpu", "NoSchedule"));

        Verdict verdict = NodeShouldRunDaemonPod.nodeShouldRunDaemonPod(node, daemonSet(template));

        assertThat(verdict.shouldRun()).isFalse();
        assertThat(verdict.shouldContinueRunning()).isFalse();
        assertThat(verdict.reasons()).containsExactly(
                "template nodeName n2 does not match node n1",
                "nodeSelector disktype=ssd: node has no label disktype",
                "affinity term 0: requirement zone In [a]: node has zone=c",
                "untolerated taint dedicated=gpu:NoSchedule: no new daemon pod, existing pod kept");
    }

    @Test
    void cordonedNodeWithoutTaintGetsPod() {
        Node cordoned = new NodeBuilder(node("n1")).editSpec().withUnschedulable(true).endSpec().build();

        assertThat(NodeShouldRunDaemonPod.nodeShouldRunDaemonPod(cordoned, daemonSet())).isEqualTo(Verdict.RUN);
    }

    @Test
    void resourcesAndConditionsAreNotLookedAt() {
        Node notReadyAndFull = new NodeBuilder(Fixtures.nodeWithAllocatable("n1", "0", "0", "0"))
                .editStatus().addNewCondition().withType("Ready").withStatus("False").endCondition().endStatus().build();

        assertThat(NodeShouldRunDaemonPod.nodeShouldRunDaemonPod(notReadyAndFull, daemonSet())).isEqualTo(Verdict.RUN);
    }

    @Test
    void inputsAreNotMutated() {
        DaemonSet ds = daemonSet(new PodSpecBuilder().withTolerations(toleration("node.kubernetes.io/not-ready", "Exists", null, "NoExecute", 5L)).build());
        Node node = node("n1", labels("a", "b"), taint("x", "y", "NoSchedule"));
        DaemonSet dsBefore = new DaemonSetBuilder(ds).build();
        Node nodeBefore = new NodeBuilder(node).build();

        NodeShouldRunDaemonPod.nodeShouldRunDaemonPod(node, ds);

        assertThat(ds).isEqualTo(dsBefore);
        assertThat(node).isEqualTo(nodeBefore);
        assertThat(ds.getSpec().getTemplate().getSpec().getTolerations()).hasSize(1);
    }

    @Test
    void simulatedPodCarriesNamespaceNodeNameAndDaemonTolerations() {
        var pod = NodeShouldRunDaemonPod.newPod(daemonSet(), "n1");

        assertThat(pod.getMetadata().getNamespace()).isEqualTo("ns");
        assertThat(pod.getSpec().getNodeName()).isEqualTo("n1");
        assertThat(pod.getSpec().getTolerations()).hasSize(6);
    }
}
