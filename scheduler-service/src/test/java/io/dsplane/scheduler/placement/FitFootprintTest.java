package io.dsplane.scheduler.placement;

import static io.dsplane.scheduler.placement.Fixtures.T0;
import static io.dsplane.scheduler.placement.Fixtures.container;
import static io.dsplane.scheduler.placement.Fixtures.ready;
import static io.dsplane.scheduler.placement.Fixtures.resourcePod;
import static io.dsplane.scheduler.placement.Fixtures.terminating;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;

class FitFootprintTest {

    private static final String NODE = "n1";
    private final Pod pod = resourcePod("p", NODE, "500m", "1Gi", 10, 0);

    @Test
    void onlyBoundLivePodsHoldRoom() {
        assertThat(FitFootprint.holdsRoom(pod, NODE)).isTrue();
        assertThat(FitFootprint.holdsRoom(pod, "other")).isFalse();
        assertThat(FitFootprint.holdsRoom(new PodBuilder(pod).editSpec().withNodeName(null).endSpec().build(), NODE))
                .as("pending").isFalse();
        assertThat(FitFootprint.holdsRoom(terminating(pod), NODE)).isFalse();
        assertThat(FitFootprint.holdsRoom(new PodBuilder(pod).editStatus().withPhase("Failed").endStatus().build(), NODE))
                .as("terminal").isFalse();
        assertThat(FitFootprint.of(null, NODE)).isEqualTo(FitFootprint.NONE);
        assertThat(FitFootprint.of(terminating(pod), NODE)).isEqualTo(FitFootprint.NONE);
    }

    @Test
    void statusLabelsUidAndAgeDoNotChangeTheFootprint() {
        Pod other = new PodBuilder(ready(pod, T0)).editMetadata().withUid("uid-new").addToLabels("x", "y")
                .withCreationTimestamp(T0.plusSeconds(99).toString()).endMetadata()
                .editStatus().withHostIP("10.0.0.1").endStatus().build();

        assertThat(FitFootprint.of(other, NODE)).isEqualTo(FitFootprint.of(pod, NODE));
    }

    @Test
    void theSameAmountWrittenDifferentlyIsTheSameFootprint() {
        Pod inCores = new PodBuilder(pod).editSpec().withContainers(container("c", "0.5", "1024Mi")).endSpec().build();

        assertThat(FitFootprint.of(inCores, NODE)).isEqualTo(FitFootprint.of(pod, NODE));
    }

    @Test
    void requestsPriorityAndBindingChangeTheFootprint() {
        List<Pod> changed = List.of(
                resourcePod("p", NODE, "600m", "1Gi", 10, 0),
                resourcePod("p", NODE, "500m", "2Gi", 10, 0),
                resourcePod("p", NODE, "500m", "1Gi", 11, 0),
                new PodBuilder(pod).editSpec().withOverhead(java.util.Map.of("cpu", new Quantity("100m"))).endSpec().build(),
                new PodBuilder(pod).editSpec().withNodeName(null).endSpec().build());

        for (Pod p : changed) {
            assertThat(FitFootprint.of(p, NODE)).isNotEqualTo(FitFootprint.of(pod, NODE));
        }
    }
}
