package io.dsplane.scheduler.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.dsplane.contracts.event.EventCodec;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;

/**
 * The pods the scheduler keeps are cut to {@link PlacementFields#placementView}: every rule that reads
 * a pod must answer the same on the cut pod as on the whole one, and the cut must really drop bytes.
 */
class PlacementFieldsTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    private static DaemonSet daemonSet() {
        return new DaemonSetBuilder().withNewMetadata().withName("agent").withNamespace("ops").withUid("ds-uid")
                .withGeneration(3L).endMetadata()
                .withNewSpec().withNewSelector().addToMatchLabels("app", "agent").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "agent").endMetadata()
                .withNewSpec().withPriorityClassName("system-node-critical")
                .addNewContainer().withName("agent").withImage("registry.example/agent:1.2.3")
                .withCommand("/agent", "--config", "/etc/agent.yaml").addNewEnv().withName("LEVEL").withValue("info")
                .endEnv().withNewResources().addToRequests("cpu", new Quantity("50m"))
                .addToRequests("memory", new Quantity("64Mi")).endResources().endContainer()
                .endSpec().endTemplate().endSpec().build();
    }

    /** A daemon pod as pod-service reports it: bound, running and ready, with a uid. */
    private static Pod reportedDaemonPod() {
        Pod pod = NewDaemonPod.newPod(daemonSet(), "node-1", "abc123", 1, NOW);
        return new PodBuilder(pod).editMetadata().withUid("pod-uid").withResourceVersion("17")
                .withCreationTimestamp("2026-12-01T11:00:00Z").endMetadata()
                .editSpec().withNodeName("node-1").endSpec()
                .withNewStatus().withPhase("Running").addNewCondition().withType("Ready").withStatus("True")
                .withLastTransitionTime("2026-12-01T11:00:10Z").endCondition().endStatus().build();
    }

    private static Pod workloadWithSidecarAndOverhead() {
        return new PodBuilder().withNewMetadata().withName("web").withNamespace("apps").withUid("w-uid")
                .withCreationTimestamp("2026-12-01T10:00:00Z").endMetadata()
                .withNewSpec().withNodeName("node-1").withPriority(100).addToOverhead("cpu", new Quantity("10m"))
                .addToInitContainers(new ContainerBuilder().withName("sidecar").withImage("proxy")
                        .withRestartPolicy("Always").withNewResources().addToRequests("cpu", new Quantity("100m"))
                        .endResources().build())
                .addToInitContainers(new ContainerBuilder().withName("init").withImage("init")
                        .withNewResources().addToRequests("cpu", new Quantity("2")).endResources().build())
                .addNewContainer().withName("app").withImage("web:1").withNewResources()
                .addToRequests("cpu", new Quantity("500m")).addToRequests("memory", new Quantity("1Gi")).endResources()
                .endContainer().endSpec()
                .withNewStatus().withPhase("Running").endStatus().build();
    }

    private static Pod terminatingFailed() {
        return new PodBuilder(reportedDaemonPod()).editMetadata().withDeletionTimestamp("2026-12-01T12:00:30Z")
                .endMetadata().editStatus().withPhase("Failed").endStatus().build();
    }

    /** Unbound: the target node comes from the required node affinity (matchFields metadata.name). */
    private static Pod pendingUnbound() {
        return new PodBuilder(NewDaemonPod.newPod(daemonSet(), "node-2", "abc123", 1, NOW)).editMetadata()
                .withUid("p-uid").endMetadata().build();
    }

    static Stream<Arguments> pods() {
        return Stream.of(Arguments.of("reported daemon pod", reportedDaemonPod()),
                Arguments.of("workload with sidecar, init container and overhead", workloadWithSidecarAndOverhead()),
                Arguments.of("terminating failed pod", terminatingFailed()),
                Arguments.of("pending unbound pod", pendingUnbound()));
    }

    private static final List<Function<Pod, Object>> RULES = List.of(
            p -> FitFootprint.of(p, "node-1"),
            p -> FitFootprint.of(p, "node-2"),
            p -> PodRequests.request(p, ResourceFit.RESOURCE_CPU),
            p -> PodRequests.request(p, ResourceFit.RESOURCE_MEMORY),
            Preemption::priorityOf,
            DaemonPods::getTargetNodeName,
            DaemonPods::isPodReady,
            p -> DaemonPods.isPodAvailable(p, 5, NOW),
            DaemonPods::controllerRefUid,
            DaemonPods::isTerminating,
            DaemonPods::isTerminal,
            DaemonPods::phase,
            DaemonPods::revisionHash,
            DaemonPods::creationTimestamp,
            p -> p.getMetadata().getLabels(),
            p -> p.getMetadata().getAnnotations(),
            p -> p.getStatus() == null ? null : p.getStatus().getConditions());

    @ParameterizedTest(name = "{0}")
    @MethodSource("pods")
    void everyRuleAnswersTheSameOnTheView(String description, Pod pod) {
        Pod view = PlacementFields.placementView(pod);
        for (int i = 0; i < RULES.size(); i++) {
            assertThat(RULES.get(i).apply(view)).as("rule %d on %s", i, description).isEqualTo(RULES.get(i).apply(pod));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pods")
    void theViewDropsWhatNoRuleReadsAndLeavesThePodAlone(String description, Pod pod) {
        byte[] whole = EventCodec.encode(pod);
        Pod view = PlacementFields.placementView(pod);
        assertThat(EventCodec.encode(pod)).as("input unchanged").isEqualTo(whole);
        assertThat(view.getSpec().getTolerations()).isNullOrEmpty();
        assertThat(view.getSpec().getContainers()).allSatisfy(c -> {
            assertThat(c.getImage()).isNull();
            assertThat(c.getCommand()).isNullOrEmpty();
            assertThat(c.getEnv()).isNullOrEmpty();
        });
        assertThat(EventCodec.encode(view).length).isLessThan(whole.length);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pods")
    void theViewSurvivesTheStoreRoundTrip(String description, Pod pod) {
        Pod view = PlacementFields.placementView(pod);
        Pod restored = EventCodec.decode(EventCodec.encode(view), Pod.class);
        for (int i = 0; i < RULES.size(); i++) {
            assertThat(RULES.get(i).apply(restored)).as("rule %d on %s", i, description).isEqualTo(RULES.get(i).apply(pod));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pods")
    void theCompactViewAnswersAndSerialisesLikeTheView(String description, Pod pod) {
        Pod compact = PlacementFields.compactView(pod, new SharedValues());
        for (int i = 0; i < RULES.size(); i++) {
            assertThat(RULES.get(i).apply(compact)).as("rule %d on %s", i, description)
                    .isEqualTo(RULES.get(i).apply(pod));
        }
        assertThat(new String(EventCodec.encode(compact), StandardCharsets.UTF_8))
                .isEqualTo(new String(EventCodec.encode(PlacementFields.placementView(pod)), StandardCharsets.UTF_8));
        assertThat(compact).isEqualTo(PlacementFields.placementView(pod));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pods")
    void theCompactViewCannotBeChangedThroughItsCollections(String description, Pod pod) {
        Pod compact = PlacementFields.compactView(pod, new SharedValues());
        assertThatThrownBy(() -> compact.getSpec().getTolerations().add(new Toleration()))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> compact.getSpec().getContainers().clear())
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> compact.getAdditionalProperties().put("x", "y"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void whatPodsHoldAlikeIsHeldOnce() {
        SharedValues shared = new SharedValues();
        // Two pods of one DaemonSet revision on one node (say, the first one and its replacement) and one
        // on another node; each decoded on its own, as pods arrive from Kafka.
        Pod a = EventCodec.decode(EventCodec.encode(NewDaemonPod.newPod(daemonSet(), "node-1", "abc123", 1, NOW)),
                Pod.class);
        Pod b = EventCodec.decode(EventCodec.encode(NewDaemonPod.newPod(daemonSet(), "node-1", "abc123", 2, NOW)),
                Pod.class);
        Pod c = EventCodec.decode(EventCodec.encode(NewDaemonPod.newPod(daemonSet(), "node-2", "abc123", 1, NOW)),
                Pod.class);
        Pod ca = PlacementFields.compactView(a, shared);
        Pod cb = PlacementFields.compactView(b, shared);
        Pod cc = PlacementFields.compactView(c, shared);

        assertThat(ca.getMetadata().getName()).isNotEqualTo(cb.getMetadata().getName());
        assertThat(cb.getMetadata().getLabels()).isSameAs(ca.getMetadata().getLabels());
        assertThat(cc.getMetadata().getLabels()).isSameAs(ca.getMetadata().getLabels());
        assertThat(cc.getMetadata().getOwnerReferences()).isSameAs(ca.getMetadata().getOwnerReferences());
        assertThat(cc.getSpec().getContainers()).isSameAs(ca.getSpec().getContainers());
        assertThat(cc.getMetadata().getNamespace()).isSameAs(ca.getMetadata().getNamespace());
        // The node affinity names the node: shared by the pods of one node only.
        assertThat(cb.getSpec().getAffinity()).isSameAs(ca.getSpec().getAffinity());
        assertThat(cc.getSpec().getAffinity()).isNotSameAs(ca.getSpec().getAffinity())
                .isNotEqualTo(ca.getSpec().getAffinity());
    }

    @Test
    void containersAreSharedByTheirRequestsAsWrittenAndEqualOnesWrittenOtherwiseStayApart() throws Exception {
        SharedValues shared = new SharedValues();
        Pod milli = EventCodec.decode(EventCodec.encode(NewDaemonPod.newPod(daemonSet(), "node-1", "abc123", 1, NOW)),
                Pod.class);
        Pod sameAgain = EventCodec.decode(EventCodec.encode(milli), Pod.class);
        Pod whole = EventCodec.decode(EventCodec.encode(milli), Pod.class);
        whole.getSpec().getContainers().get(0).setResources(new io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder()
                .addToRequests("cpu", new io.fabric8.kubernetes.api.model.Quantity("1")).build());
        milli.getSpec().getContainers().get(0).setResources(new io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder()
                .addToRequests("cpu", new io.fabric8.kubernetes.api.model.Quantity("1000m")).build());
        sameAgain.getSpec().getContainers().get(0).setResources(new io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder()
                .addToRequests("cpu", new io.fabric8.kubernetes.api.model.Quantity("1000m")).build());

        Pod a = PlacementFields.compactView(milli, shared);
        Pod b = PlacementFields.compactView(sameAgain, shared);
        Pod c = PlacementFields.compactView(whole, shared);

        assertThat(b.getSpec().getContainers()).isSameAs(a.getSpec().getContainers());
        assertThat(c.getSpec().getContainers()).isNotSameAs(a.getSpec().getContainers())
                .isEqualTo(a.getSpec().getContainers());
        for (Pod[] pair : new Pod[][] {{milli, a}, {sameAgain, b}, {whole, c}}) {
            assertThat(pair[1]).isEqualTo(PlacementFields.placementView(pair[0]));
            assertThat(EventCodec.encode(pair[1])).isEqualTo(EventCodec.encode(PlacementFields.placementView(pair[0])));
        }
        assertThatThrownBy(() -> a.getSpec().getContainers().clear()).isInstanceOf(UnsupportedOperationException.class);
    }
}
