package io.dsplane.scheduler.placement;

import static io.dsplane.scheduler.placement.Fixtures.T0;
import static io.dsplane.scheduler.placement.Fixtures.fieldTerm;
import static io.dsplane.scheduler.placement.Fixtures.names;
import static io.dsplane.scheduler.placement.Fixtures.ready;
import static io.dsplane.scheduler.placement.Fixtures.req;
import static io.dsplane.scheduler.placement.Fixtures.running;
import static io.dsplane.scheduler.placement.Fixtures.specWithAffinity;
import static io.dsplane.scheduler.placement.Fixtures.term;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DaemonPodsTest {

    static Pod podWithSpec(PodSpec spec) {
        return new PodBuilder().withNewMetadata().withName("p").endMetadata().withSpec(spec).build();
    }

    static Stream<Arguments> targetNodeNames() {
        return Stream.of(
                arguments("bound pod maps to its nodeName",
                        new PodBuilder(podWithSpec(specWithAffinity(fieldTerm(req("metadata.name", "In", "other"))))).editSpec().withNodeName("n1").endSpec().build(),
                        "n1"),
                arguments("unbound pod maps to its pinning term", podWithSpec(specWithAffinity(fieldTerm(req("metadata.name", "In", "n2")))), "n2"),
                arguments("pinning term in a later term is found",
                        podWithSpec(specWithAffinity(term(req("zone", "In", "a")), fieldTerm(req("metadata.name", "In", "n3")))), "n3"),
                arguments("pinning term with two values maps nowhere", podWithSpec(specWithAffinity(fieldTerm(req("metadata.name", "In", "a", "b")))), null),
                arguments("NotIn does not pin", podWithSpec(specWithAffinity(fieldTerm(req("metadata.name", "NotIn", "n2")))), null),
                arguments("a label requirement on metadata.name does not pin", podWithSpec(specWithAffinity(term(req("metadata.name", "In", "n2")))), null),
                arguments("pod without nodeName or affinity maps nowhere", podWithSpec(new PodSpec()), null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targetNodeNames")
    void getTargetNodeNameUsesNodeNameThenPinningAffinity(String behaviour, Pod pod, String expected) {
        assertThat(DaemonPods.getTargetNodeName(pod)).isEqualTo(expected);
    }

    @Test
    void readyNeedsReadyConditionTrue() {
        Pod pod = running("p", "n1", 0);
        assertThat(DaemonPods.isPodReady(pod)).isFalse();
        assertThat(DaemonPods.isPodReady(ready(pod, T0))).isTrue();
        Pod notReady = new PodBuilder(pod).editStatus().addNewCondition().withType("Ready").withStatus("False").endCondition().endStatus().build();
        assertThat(DaemonPods.isPodReady(notReady)).isFalse();
    }

    static Stream<Arguments> availability() {
        return Stream.of(
                arguments("ready with minReadySeconds 0 is available at once", 0, 0L, true),
                arguments("ready for less than minReadySeconds is not available", 10, 9L, false),
                arguments("ready for exactly minReadySeconds is available (<=)", 10, 10L, true),
                arguments("ready for longer than minReadySeconds is available", 10, 11L, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("availability")
    void isPodAvailableAfterMinReadySeconds(String behaviour, int minReadySeconds, long readyForSeconds, boolean available) {
        Pod pod = ready(running("p", "n1", 0), T0);

        assertThat(DaemonPods.isPodAvailable(pod, minReadySeconds, T0.plusSeconds(readyForSeconds))).isEqualTo(available);
    }

    @Test
    void notReadyPodIsNeverAvailable() {
        assertThat(DaemonPods.isPodAvailable(running("p", "n1", 0), 0, T0)).isFalse();
    }

    @Test
    void readyPodWithoutTransitionTimeIsAvailableOnlyWithoutMinReadySeconds() {
        Pod pod = new PodBuilder(running("p", "n1", 0)).editStatus().addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build();

        assertThat(DaemonPods.isPodAvailable(pod, 0, T0)).isTrue();
        assertThat(DaemonPods.isPodAvailable(pod, 1, Instant.MAX)).isFalse();
    }

    @Test
    void controllerRefUidIsTheControllingOwner() {
        Pod pod = new PodBuilder(running("p", "n1", 0)).editMetadata()
                .addNewOwnerReference().withUid("not-controller").withController(false).endOwnerReference()
                .addNewOwnerReference().withUid("ds-uid").withController(true).endOwnerReference()
                .endMetadata().build();

        assertThat(DaemonPods.controllerRefUid(pod)).isEqualTo("ds-uid");
        assertThat(DaemonPods.controllerRefUid(running("orphan", "n1", 0))).isNull();
    }

    @Test
    void terminatingMeansDeletionTimestampSet() {
        assertThat(DaemonPods.isTerminating(running("p", "n1", 0))).isFalse();
        assertThat(DaemonPods.isTerminating(Fixtures.terminating(running("p", "n1", 0)))).isTrue();
    }

    @Test
    void podByCreationTimestampAndPhaseSortsBoundFirstThenOldestThenName() {
        Pod unboundOldest = new PodBuilder(running("u", "n1", 0)).editSpec().withNodeName("").endSpec().build();
        Pod noTimestamp = new PodBuilder(running("z", "n1", 0)).editMetadata().withCreationTimestamp(null).endMetadata().build();
        List<Pod> pods = new ArrayList<>(List.of(running("c", "n1", 5), unboundOldest, running("b", "n1", 1), running("a", "n1", 1), noTimestamp));

        pods.sort(DaemonPods.podByCreationTimestampAndPhase());

        assertThat(names(pods)).containsExactly("z", "a", "b", "c", "u");
    }

    @Test
    void phaseDoesNotInfluenceTheOrder() {
        List<Pod> pods = new ArrayList<>(List.of(running("b", "n1", 1), Fixtures.pod("a", "n1", 2, "Failed")));

        pods.sort(DaemonPods.podByCreationTimestampAndPhase());

        assertThat(names(pods)).containsExactly("b", "a");
    }
}
