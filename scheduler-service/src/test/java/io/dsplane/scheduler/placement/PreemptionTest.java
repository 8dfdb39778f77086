package io.dsplane.scheduler.placement;

import static io.dsplane.scheduler.placement.Fixtures.names;
import static io.dsplane.scheduler.placement.Fixtures.nodeWithAllocatable;
import static io.dsplane.scheduler.placement.Fixtures.resourcePod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PreemptionTest {

    private static final Node ONE_CPU = nodeWithAllocatable("n1", "1", "4Gi", "10");

    static Stream<Arguments> priorities() {
        return Stream.of(
                arguments("spec.priority wins", 7, "system-node-critical", 7),
                arguments("system-node-critical class", null, "system-node-critical", 2_000_001_000),
                arguments("system-cluster-critical class", null, "system-cluster-critical", 2_000_000_000),
                arguments("unknown class without resolved priority", null, "high", 0),
                arguments("nothing set", null, null, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("priorities")
    void priorityOfUsesSpecPriorityThenBuiltInClasses(String rule, Integer priority, String className, int expected) {
        Pod pod = new PodBuilder().withNewSpec().withPriority(priority).withPriorityClassName(className).endSpec().build();

        assertThat(Preemption.priorityOf(pod)).isEqualTo(expected);
    }

    private static Pod candidate(String cpu, int priority) {
        return resourcePod("candidate", "n1", cpu, null, priority, 100);
    }

    static Stream<Arguments> victimCases() {
        return Stream.of(
                arguments("nothing is evicted when the pod already fits",
                        List.of(resourcePod("a", "n1", "200m", null, 0, 0)), candidate("500m", 100), List.of("")),
                arguments("lowest priority is evicted first",
                        List.of(resourcePod("mid", "n1", "500m", null, 10, 0), resourcePod("low", "n1", "500m", null, 5, 0)),
                        candidate("500m", 100), List.of("low")),
                arguments("among equal priorities the newest is evicted first",
                        List.of(resourcePod("older", "n1", "500m", null, 5, 1), resourcePod("newer", "n1", "500m", null, 5, 2)),
                        candidate("500m", 100), List.of("newer")),
                arguments("a victim that does not help is spared again",
                        List.of(resourcePod("tiny", "n1", "100m", null, 1, 0), resourcePod("big", "n1", "800m", null, 2, 0)),
                        candidate("500m", 100), List.of("big")),
                arguments("several victims when one is not enough",
                        List.of(resourcePod("a", "n1", "400m", null, 1, 0), resourcePod("b", "n1", "400m", null, 2, 0),
                                resourcePod("c", "n1", "200m", null, 3, 0)),
                        candidate("700m", 100), List.of("a", "b")),
                arguments("equal priority is never evicted",
                        List.of(resourcePod("peer", "n1", "800m", null, 100, 0)), candidate("500m", 100), null),
                arguments("higher priority is never evicted",
                        List.of(resourcePod("low", "n1", "300m", null, 1, 0), resourcePod("high", "n1", "600m", null, 1000, 0)),
                        candidate("500m", 100), null),
                arguments("no victims when evicting every lower pod is not enough",
                        List.of(resourcePod("low", "n1", "500m", null, 1, 0)), candidate("2", 100), null),
                arguments("pods already terminating are not chosen",
                        List.of(Fixtures.terminating(resourcePod("going", "n1", "800m", null, 1, 0))), candidate("500m", 100), null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("victimCases")
    void selectVictimsEvictsOnlyLowerPriorityAndNoMoreThanNeeded(String behaviour, List<Pod> podsOnNode, Pod candidate,
                                                                  List<String> victims) {
        var selected = Preemption.selectVictims(ONE_CPU, podsOnNode, candidate);

        if (victims == null) {
            assertThat(selected).isEmpty();
        } else {
            assertThat(selected).isPresent();
            assertThat(names(selected.get())).containsExactlyElementsOf(victims.equals(List.of("")) ? List.of() : victims);
        }
    }

    @Test
    void podSlotsCanBeFreedByPreemption() {
        Node onePodSlot = nodeWithAllocatable("n1", "4", "4Gi", "1");

        var victims = Preemption.selectVictims(onePodSlot, List.of(resourcePod("low", "n1", null, null, 0, 0)), candidate("100m", 1));

        assertThat(victims).hasValueSatisfying(v -> assertThat(names(v)).containsExactly("low"));
    }

    @Test
    void preemptionConditionNamesThePreemptor() {
        PodCondition condition = Preemption.preemptionCondition(candidate("1", 1), Fixtures.T0);

        assertThat(condition.getType()).isEqualTo("DisruptionTarget");
        assertThat(condition.getStatus()).isEqualTo("True");
        assertThat(condition.getReason()).isEqualTo("PreemptionByScheduler");
        assertThat(condition.getMessage()).contains("ns/candidate");
        assertThat(condition.getLastTransitionTime()).isEqualTo(Fixtures.T0.toString());
    }
}
