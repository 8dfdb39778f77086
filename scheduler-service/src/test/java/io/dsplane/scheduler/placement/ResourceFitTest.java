package io.dsplane.scheduler.placement;

import static io.dsplane.scheduler.placement.Fixtures.container;
import static io.dsplane.scheduler.placement.Fixtures.nodeWithAllocatable;
import static io.dsplane.scheduler.placement.Fixtures.resourcePod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ResourceFitTest {

    private static final Node NODE = nodeWithAllocatable("n1", "1", "1Gi", "3");

    static Stream<Arguments> fitCases() {
        return Stream.of(
                arguments("pod fits when every resource has room", List.of(resourcePod("a", "n1", "300m", "256Mi", null, 0)),
                        resourcePod("c", "n1", "500m", "512Mi", null, 9), List.of()),
                arguments("pod that takes exactly what is free fits", List.of(resourcePod("a", "n1", "500m", "512Mi", null, 0)),
                        resourcePod("c", "n1", "500m", "512Mi", null, 9), List.of()),
                arguments("cpu shortage names request, free and missing amount", List.of(resourcePod("a", "n1", "800m", null, null, 0)),
                        resourcePod("c", "n1", "500m", null, null, 9),
                        List.of("Insufficient cpu: requested 500m, free 200m (short by 300m)")),
                arguments("memory shortage uses binary suffixes when exact", List.of(resourcePod("a", "n1", null, "768Mi", null, 0)),
                        resourcePod("c", "n1", null, "512Mi", null, 9),
                        List.of("Insufficient memory: requested 512Mi, free 256Mi (short by 256Mi)")),
                arguments("every pod takes one pod slot", List.of(resourcePod("a", "n1", null, null, null, 0),
                                resourcePod("b", "n1", null, null, null, 0), resourcePod("d", "n1", null, null, null, 0)),
                        resourcePod("c", "n1", null, null, null, 9), List.of("Insufficient pods: requested 1, free 0 (short by 1)")),
                arguments("every shortage is listed", List.of(resourcePod("a", "n1", "2", "2Gi", null, 0),
                                resourcePod("b", "n1", null, null, null, 0), resourcePod("d", "n1", null, null, null, 0)),
                        resourcePod("c", "n1", "1500m", "1G", null, 9),
                        List.of("Insufficient cpu: requested 1500m, free -1 (short by 2500m)",
                                "Insufficient memory: requested 1G, free -1Gi (short by 2073741824)",
                                "Insufficient pods: requested 1, free 0 (short by 1)")),
                arguments("a pod without requests fits an overcommitted node", List.of(resourcePod("a", "n1", "4", "4Gi", null, 0)),
                        resourcePod("c", "n1", null, null, null, 9), List.of()),
                arguments("terminal pods hold no resources", List.of(
                                new PodBuilder(resourcePod("a", "n1", "1", "1Gi", null, 0)).editStatus().withPhase("Succeeded").endStatus().build(),
                                new PodBuilder(resourcePod("b", "n1", "1", "1Gi", null, 0)).editStatus().withPhase("Failed").endStatus().build()),
                        resourcePod("c", "n1", "1", "1Gi", null, 9), List.of()),
                arguments("terminating pods still hold resources", List.of(Fixtures.terminating(resourcePod("a", "n1", "1", null, null, 0))),
                        resourcePod("c", "n1", "100m", null, null, 9), List.of("Insufficient cpu: requested 100m, free 0 (short by 100m)")),
                arguments("the candidate itself is not counted twice", List.of(resourcePod("c", "n1", "1", "1Gi", null, 9)),
                        resourcePod("c", "n1", "1", "1Gi", null, 9), List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fitCases")
    void fitsComparesAllocatableWithBoundRequests(String behaviour, List<Pod> podsOnNode, Pod candidate, List<String> shortages) {
        FitResult result = ResourceFit.fits(NODE, podsOnNode, candidate);

        assertThat(result.fits()).isEqualTo(shortages.isEmpty());
        assertThat(result.shortages()).extracting(Shortage::message).containsExactlyElementsOf(shortages);
    }

    @Test
    void resourcesTheNodeDoesNotReportAreNotLimited() {
        Node cpuOnly = nodeWithAllocatable("n1", "1", null, null);

        assertThat(ResourceFit.fits(cpuOnly, List.of(), resourcePod("c", "n1", "1", "100Gi", null, 0)).fits()).isTrue();
        assertThat(ResourceFit.fits(Fixtures.node("bare"), List.of(), resourcePod("c", "n1", "64", "1Ti", null, 0)).fits()).isTrue();
    }

    @Test
    void shortageCarriesQuantities() {
        Shortage shortage = ResourceFit.fits(NODE, List.of(resourcePod("a", "n1", "800m", null, null, 0)),
                resourcePod("c", "n1", "500m", null, null, 9)).shortages().get(0);

        assertThat(shortage.resource()).isEqualTo("cpu");
        assertThat(shortage.shortBy()).isEqualTo(new Quantity("300m"));
        assertThat(shortage.requested()).isEqualTo(new Quantity("0.5"));
    }

    @Test
    void fitResultMessageJoinsShortages() {
        FitResult result = ResourceFit.fits(nodeWithAllocatable("n1", "1", "1Gi", "0"), List.of(), resourcePod("c", "n1", "2", null, null, 0));

        assertThat(result.message()).isEqualTo("Insufficient cpu: requested 2, free 1 (short by 1); Insufficient pods: requested 1, free 0 (short by 1)");
    }

    @Test
    void podRequestIsTheLargerOfContainerSumAndLargestInitContainer() {
        Pod pod = new PodBuilder(resourcePod("p", "n1", "100m", "100Mi", null, 0)).editSpec()
                .addToContainers(container("second", "100m", "100Mi"))
                .addToInitContainers(container("init-small", "150m", "50Mi"), container("init-big", "500m", "150Mi"))
                .endSpec().build();

        assertThat(PodRequests.request(pod, "cpu")).isEqualByComparingTo("0.5");
        assertThat(PodRequests.request(pod, "memory")).isEqualByComparingTo(BigDecimal.valueOf(200L << 20));
    }

    @Test
    void sidecarInitContainersAddToTheRunningTotalAndToLaterInitContainers() {
        Pod pod = new PodBuilder(resourcePod("p", "n1", "200m", null, null, 0)).editSpec()
                .addToInitContainers(new ContainerBuilder(container("sidecar", "100m", null)).withRestartPolicy("Always").build(),
                        container("after-sidecar", "250m", null))
                .endSpec().build();

        // Running: 200m + 100m sidecar = 300m; the later init container runs next to the sidecar: 350m.
        assertThat(PodRequests.request(pod, "cpu")).isEqualByComparingTo("0.35");
    }

    @Test
    void limitsCountWhenRequestsAreMissingAndOverheadIsAdded() {
        Pod pod = new PodBuilder().withNewSpec()
                .addNewContainer().withName("c").withNewResources().withLimits(Map.of("cpu", new Quantity("300m"))).endResources().endContainer()
                .withOverhead(Map.of("cpu", new Quantity("50m")))
                .endSpec().build();

        assertThat(PodRequests.request(pod, "cpu")).isEqualByComparingTo("0.35");
    }

    @Test
    void podLevelRequestsReplaceTheContainerSum() {
        Pod pod = new PodBuilder(resourcePod("p", "n1", "100m", "1Gi", null, 0)).editSpec()
                .withNewResources().withRequests(Map.of("cpu", new Quantity("2"))).endResources().endSpec().build();

        assertThat(PodRequests.request(pod, "cpu")).isEqualByComparingTo("2");
        assertThat(PodRequests.request(pod, "memory")).isEqualByComparingTo(BigDecimal.valueOf(1L << 30));
    }

    @Test
    void quantitiesAreRenderedTheWayUsersWriteThem() {
        assertThat(ResourceFit.quantity("cpu", new BigDecimal("2")).toString()).isEqualTo("2");
        assertThat(ResourceFit.quantity("cpu", new BigDecimal("0.0005")).toString()).isEqualTo("1m");
        assertThat(ResourceFit.quantity("memory", new BigDecimal(1L << 30)).toString()).isEqualTo("1Gi");
        assertThat(ResourceFit.quantity("memory", new BigDecimal("1500000")).toString()).isEqualTo("1500k");
        assertThat(ResourceFit.quantity("memory", new BigDecimal("1001")).toString()).isEqualTo("1001");
        assertThat(ResourceFit.quantity("memory", BigDecimal.ZERO).toString()).isEqualTo("0");
        assertThat(ResourceFit.quantity("pods", new BigDecimal("3")).toString()).isEqualTo("3");
    }
}
