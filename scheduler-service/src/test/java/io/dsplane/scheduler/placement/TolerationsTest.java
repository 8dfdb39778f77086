package io.dsplane.scheduler.placement;

import static io.dsplane.scheduler.placement.Fixtures.taint;
import static io.dsplane.scheduler.placement.Fixtures.toleration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TolerationsTest {

    private static final Taint GPU_NO_SCHEDULE = taint("gpu", "true", "NoSchedule");

    static Stream<Arguments> toleratesTaintRules() {
        return Stream.of(
                arguments("same key, value and effect tolerates", toleration("gpu", "Equal", "true", "NoSchedule"), true),
                arguments("empty operator means Equal", toleration("gpu", null, "true", "NoSchedule"), true),
                arguments("Equal with another value does not tolerate", toleration("gpu", "Equal", "false", "NoSchedule"), false),
                arguments("Exists tolerates any value", toleration("gpu", "Exists", null, "NoSchedule"), true),
                arguments("empty effect matches every effect", toleration("gpu", "Exists", null, null), true),
                arguments("another effect does not tolerate", toleration("gpu", "Exists", null, "NoExecute"), false),
                arguments("another key does not tolerate", toleration("disk", "Exists", null, "NoSchedule"), false),
                arguments("empty key with Exists tolerates every key", toleration(null, "Exists", null, "NoSchedule"), true),
                arguments("empty key and effect with Exists tolerates everything", toleration(null, "Exists", null, null), true),
                arguments("empty key with Equal compares only the value", toleration(null, "Equal", "true", "NoSchedule"), true),
                arguments("unknown operator never tolerates", toleration("gpu", "Gt", "0", "NoSchedule"), false),
                arguments("tolerationSeconds does not matter for matching",
                        toleration("gpu", "Exists", null, "NoSchedule", 30L), true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("toleratesTaintRules")
    void toleratesTaintFollowsKeyEffectOperatorRules(String rule, Toleration toleration, boolean tolerates) {
        assertThat(Tolerations.toleratesTaint(toleration, GPU_NO_SCHEDULE)).isEqualTo(tolerates);
    }

    @Test
    void taintWithoutValueIsToleratedByEqualWithoutValue() {
        assertThat(Tolerations.toleratesTaint(toleration("k", "Equal", "", "NoSchedule"), taint("k", null, "NoSchedule"))).isTrue();
    }

    @Test
    void findMatchingUntoleratedTaintReturnsTheFirstUntoleratedOne() {
        List<Taint> taints = List.of(taint("a", "1", "NoSchedule"), taint("b", "2", "NoSchedule"), taint("c", "3", "NoExecute"));
        List<Toleration> tolerations = List.of(toleration("a", "Exists", null, null));

        assertThat(Tolerations.findMatchingUntoleratedTaint(taints, tolerations, t -> true)).contains(taints.get(1));
        assertThat(Tolerations.findAllUntoleratedTaints(taints, tolerations, t -> true)).containsExactly(taints.get(1), taints.get(2));
    }

    @Test
    void findMatchingUntoleratedTaintHonoursTheEffectFilter() {
        List<Taint> taints = List.of(taint("a", "1", "PreferNoSchedule"), taint("b", "2", "NoSchedule"), taint("c", "3", "NoExecute"));

        assertThat(Tolerations.findMatchingUntoleratedTaint(taints, List.of(), Tolerations.effectIn(Set.of("NoExecute"))))
                .contains(taints.get(2));
        assertThat(Tolerations.findMatchingUntoleratedTaint(taints.subList(0, 1), List.of(),
                Tolerations.effectIn(Tolerations.DAEMON_PLACEMENT_EFFECTS))).isEmpty();
    }

    @Test
    void noTaintsMeansNothingUntolerated() {
        assertThat(Tolerations.findMatchingUntoleratedTaint(null, null, t -> true)).isEmpty();
        assertThat(Tolerations.findMatchingUntoleratedTaint(List.of(), List.of(), t -> true)).isEmpty();
    }

    @Test
    void taintsAreFormattedLikeKubectl() {
        assertThat(Tolerations.format(taint("dedicated", "gpu", "NoSchedule"))).isEqualTo("dedicated=gpu:NoSchedule");
        assertThat(Tolerations.format(taint("node.kubernetes.io/not-ready", null, "NoExecute")))
                .isEqualTo("node.kubernetes.io/not-ready:NoExecute");
    }
}
