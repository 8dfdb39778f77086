package io.dsplane.scheduler.placement;

import static io.dsplane.scheduler.placement.Fixtures.toleration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DaemonPodTolerationsTest {

    private static final List<String> DEFAULTS = List.of(
            "node.kubernetes.io/not-ready:Exists::NoExecute",
            "node.kubernetes.io/unreachable:Exists::NoExecute",
            "node.kubernetes.io/disk-pressure:Exists::NoSchedule",
            "node.kubernetes.io/memory-pressure:Exists::NoSchedule",
            "node.kubernetes.io/pid-pressure:Exists::NoSchedule",
            "node.kubernetes.io/unschedulable:Exists::NoSchedule");

    static String describe(Toleration t) {
        return t.getKey() + ":" + t.getOperator() + ":" + (t.getValue() == null ? "" : t.getValue()) + ":" + t.getEffect()
                + (t.getTolerationSeconds() == null ? "" : "@" + t.getTolerationSeconds());
    }

    static List<String> describe(List<Toleration> tolerations) {
        return tolerations.stream().map(DaemonPodTolerationsTest::describe).toList();
    }

    static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    static Stream<Arguments> mergeRules() {
        return Stream.of(
                arguments("no user tolerations get the six defaults", List.of(), false, DEFAULTS),
                arguments("hostNetwork pods also tolerate network-unavailable", List.of(), true,
                        concat(DEFAULTS, List.of("node.kubernetes.io/network-unavailable:Exists::NoSchedule"))),
                arguments("user tolerations keep their order before appended defaults",
                        List.of(toleration("b", "Exists", null, "NoSchedule"), toleration("a", "Equal", "x", "NoExecute")), false,
                        concat(List.of("b:Exists::NoSchedule", "a:Equal:x:NoExecute"), DEFAULTS)),
                arguments("an identical user toleration is kept in place, not duplicated",
                        List.of(toleration("node.kubernetes.io/unschedulable", "Exists", null, "NoSchedule"),
                                toleration("x", "Exists", null, null)), false,
                        concat(List.of("node.kubernetes.io/unschedulable:Exists::NoSchedule", "x:Exists::null"),
                                DEFAULTS.subList(0, 5))),
                arguments("a user toleration with tolerationSeconds is replaced in place and loses them",
                        List.of(toleration("x", "Exists", null, null),
                                toleration("node.kubernetes.io/not-ready", "Exists", null, "NoExecute", 300L)), false,
                        concat(List.of("x:Exists::null", "node.kubernetes.io/not-ready:Exists::NoExecute"), DEFAULTS.subList(1, 6))),
                arguments("a toleration differing in operator is another toleration, the default is appended",
                        List.of(toleration("node.kubernetes.io/not-ready", "Equal", "", "NoExecute", 300L)), false,
                        concat(List.of("node.kubernetes.io/not-ready:Equal::NoExecute@300"), DEFAULTS)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mergeRules")
    void addOrUpdateDaemonPodTolerationsMergesDefaults(String rule, List<Toleration> user, boolean hostNetwork, List<String> expected) {
        PodSpec spec = new PodSpecBuilder().withTolerations(user).withHostNetwork(hostNetwork).build();

        assertThat(describe(DaemonPodTolerations.addOrUpdateDaemonPodTolerations(spec))).containsExactlyElementsOf(expected);
    }

    @Test
    void theSpecIsNotChanged() {
        PodSpec spec = new PodSpecBuilder()
                .withTolerations(toleration("node.kubernetes.io/not-ready", "Exists", null, "NoExecute", 300L))
                .build();
        PodSpec before = new PodSpecBuilder(spec).build();

        List<Toleration> merged = DaemonPodTolerations.addOrUpdateDaemonPodTolerations(spec);

        assertThat(spec).isEqualTo(before);
        assertThat(merged).hasSize(6);
        assertThat(spec.getTolerations()).hasSize(1);
        assertThat(spec.getTolerations().get(0).getTolerationSeconds()).isEqualTo(300L);
    }

    @Test
    void theMergedListSharesTheSpecsTolerationsAndEveryMergeGivesTheSameDefaults() {
        PodSpec spec = new PodSpec();
        spec.setTolerations(new ArrayList<>(List.of(toleration("gpu", "Exists", null, "NoSchedule"))));
        Toleration own = spec.getTolerations().get(0);

        List<Toleration> merged = DaemonPodTolerations.addOrUpdateDaemonPodTolerations(spec);
        List<Toleration> again = DaemonPodTolerations.addOrUpdateDaemonPodTolerations(spec);

        assertThat(merged).isNotSameAs(spec.getTolerations()).hasSize(7);
        assertThat(merged.get(0)).isSameAs(own);
        assertThat(spec.getTolerations()).containsExactly(own);
        assertThat(again).isNotSameAs(merged).isEqualTo(merged);
        for (int i = 1; i < merged.size(); i++) {
            assertThat(again.get(i)).as("default %d", i).isSameAs(merged.get(i));
        }
    }

    @Test
    void hostNetworkFalseOrUnsetGetsNoNetworkUnavailableToleration() {
        assertThat(describe(DaemonPodTolerations.addOrUpdateDaemonPodTolerations(new PodSpec())))
                .noneMatch(t -> t.startsWith("node.kubernetes.io/network-unavailable"));
    }
}
