package io.dsplane.scheduler.placement;

import static io.dsplane.scheduler.placement.Fixtures.nodeWithAllocatable;
import static io.dsplane.scheduler.placement.Fixtures.resourcePod;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Properties of victim selection over random nodes full of pods of random priority. */
class PreemptionPropertiesTest {

    private static final Node NODE = nodeWithAllocatable("n1", "4", "8Gi", "8");

    /** Pod specs as (millicores, priority) pairs. */
    @Provide
    Arbitrary<List<int[]>> podsOnNode() {
        return Arbitraries.integers().between(1, 20).map(i -> i * 100)
                .flatMap(cpu -> Arbitraries.integers().between(0, 5).map(prio -> new int[]{cpu, prio}))
                .list().ofMaxSize(10);
    }

    private static List<Pod> pods(List<int[]> specs) {
        List<Pod> pods = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            pods.add(resourcePod("p" + i, "n1", specs.get(i)[0] + "m", null, specs.get(i)[1], i));
        }
        return pods;
    }

    @Property
    void victimsHaveLowerPriorityMakeRoomAndAreAllNeeded(@ForAll("podsOnNode") List<int[]> specs,
                                                       @ForAll @IntRange(min = 1, max = 40) int candidateCpuTenths,
                                                       @ForAll @IntRange(min = 0, max = 6) int candidatePriority) {
        List<Pod> pods = pods(specs);
        Pod candidate = resourcePod("candidate", "n1", (candidateCpuTenths * 100) + "m", null, candidatePriority, 99);

        Optional<List<Pod>> victims = Preemption.selectVictims(NODE, pods, candidate);

        List<Pod> lower = pods.stream().filter(p -> Preemption.priorityOf(p) < candidatePriority).toList();
        List<Pod> withoutLower = new ArrayList<>(pods);
        withoutLower.removeAll(lower);
        if (victims.isEmpty()) {
            assertThat(ResourceFit.fits(NODE, withoutLower, candidate).fits())
                    .as("no victims only when evicting every lower-priority pod is not enough").isFalse();
            return;
        }
        assertThat(victims.get()).allMatch(v -> Preemption.priorityOf(v) < candidatePriority);
        List<Pod> remaining = new ArrayList<>(pods);
        remaining.removeAll(victims.get());
        assertThat(ResourceFit.fits(NODE, remaining, candidate).fits()).isTrue();
        for (Pod victim : victims.get()) {
            List<Pod> spared = new ArrayList<>(remaining);
            spared.add(victim);
            assertThat(ResourceFit.fits(NODE, spared, candidate).fits())
                    .as("sparing %s must break the fit", victim.getMetadata().getName()).isFalse();
        }
    }
}
