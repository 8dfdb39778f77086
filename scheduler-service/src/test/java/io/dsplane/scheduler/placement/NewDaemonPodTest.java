package io.dsplane.scheduler.placement;

import static io.dsplane.scheduler.placement.Fixtures.T0;
import static io.dsplane.scheduler.placement.Fixtures.daemonSet;
import static io.dsplane.scheduler.placement.Fixtures.labels;
import static io.dsplane.scheduler.placement.Fixtures.req;
import static io.dsplane.scheduler.placement.Fixtures.specWithAffinity;
import static io.dsplane.scheduler.placement.Fixtures.term;
import static io.dsplane.scheduler.placement.Fixtures.toleration;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NewDaemonPodTest {

    private static final NodeSelectorTerm PIN_N1 = Fixtures.fieldTerm(req("metadata.name", "In", "n1"));

    private static DaemonSet templatedDs() {
        DaemonSet ds = daemonSet(new PodSpecBuilder(specWithAffinity(term(req("zone", "In", "a"))))
                .editAffinity().editNodeAffinity()
                .addNewPreferredDuringSchedulingIgnoredDuringExecution().withWeight(5).withPreference(term(req("disk", "Exists")))
                .endPreferredDuringSchedulingIgnoredDuringExecution()
                .endNodeAffinity().endAffinity()
                .withTolerations(toleration("dedicated", "Exists", null, "NoSchedule"))
                .addNewContainer().withName("agent").withImage("agent:1").endContainer()
                .build());
        return new DaemonSetBuilder(ds)
                .editSpec().editTemplate().editMetadata().addToAnnotations("team", "infra").addToFinalizers("example.com/keep").endMetadata().endTemplate().endSpec()
                .build();
    }

    @Test
    void newPodIsBoundPendingAndScheduled() {
        Pod pod = NewDaemonPod.newPod(templatedDs(), "n1", "abc123", 0);

        assertThat(pod.getSpec().getNodeName()).isEqualTo("n1");
        assertThat(pod.getStatus().getPhase()).isEqualTo("Pending");
        assertThat(pod.getStatus().getConditions()).singleElement()
                .satisfies(c -> {
                    assertThat(c.getType()).isEqualTo("PodScheduled");
                    assertThat(c.getStatus()).isEqualTo("True");
                });
        assertThat(pod.getApiVersion()).isEqualTo("v1");
        assertThat(pod.getKind()).isEqualTo("Pod");
    }

    @Test
    void newPodCarriesTemplateMetadataRevisionHashAndOwner() {
        Pod pod = NewDaemonPod.newPod(templatedDs(), "n1", "abc123", 0);

        assertThat(pod.getMetadata().getNamespace()).isEqualTo("ns");
        assertThat(pod.getMetadata().getLabels()).isEqualTo(labels("app", "ds", "controller-revision-hash", "abc123"));
        assertThat(pod.getMetadata().getAnnotations()).containsEntry("team", "infra");
        assertThat(pod.getMetadata().getFinalizers()).containsExactly("example.com/keep");
        assertThat(pod.getMetadata().getOwnerReferences()).singleElement().satisfies(ref -> {
            assertThat(ref.getApiVersion()).isEqualTo("apps/v1");
            assertThat(ref.getKind()).isEqualTo("DaemonSet");
            assertThat(ref.getName()).isEqualTo("ds");
            assertThat(ref.getUid()).isEqualTo("uid-1");
            assertThat(ref.getController()).isTrue();
            assertThat(ref.getBlockOwnerDeletion()).isTrue();
        });
        assertThat(DaemonPods.controllerRefUid(pod)).isEqualTo("uid-1");
    }

    @Test
    void templateGenerationAnnotationAddsPodTemplateGenerationLabel() {
        DaemonSet ds = new DaemonSetBuilder(templatedDs()).editMetadata()
                .addToAnnotations("deprecated.daemonset.template.generation", "4").endMetadata().build();

        assertThat(NewDaemonPod.newPod(ds, "n1", "h", 0).getMetadata().getLabels()).containsEntry("pod-template-generation", "4");
        assertThat(NewDaemonPod.newPod(templatedDs(), "n1", "h", 0).getMetadata().getLabels()).doesNotContainKey("pod-template-generation");
    }

    @Test
    void emptyRevisionHashAddsNoHashLabel() {
        assertThat(NewDaemonPod.newPod(templatedDs(), "n1", "", 0).getMetadata().getLabels()).doesNotContainKey("controller-revision-hash");
    }

    @Test
    void requiredAffinityIsReplacedByThePinningTermAndTheRestKept() {
        Pod pod = NewDaemonPod.newPod(templatedDs(), "n1", "h", 0);
        Affinity affinity = pod.getSpec().getAffinity();

        assertThat(affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms()).containsExactly(PIN_N1);
        assertThat(affinity.getNodeAffinity().getPreferredDuringSchedulingIgnoredDuringExecution()).hasSize(1);
        assertThat(DaemonPods.getTargetNodeName(new PodBuilder(pod).editSpec().withNodeName(null).endSpec().build())).isEqualTo("n1");
    }

    @Test
    void podWithoutAffinityGetsThePinningTerm() {
        Pod pod = NewDaemonPod.newPod(daemonSet(), "n7", "h", 0);

        assertThat(pod.getSpec().getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms())
                .containsExactly(Fixtures.fieldTerm(req("metadata.name", "In", "n7")));
    }

    @Test
    void daemonTolerationsAreAddedAfterTheUsersOnes() {
        Pod pod = NewDaemonPod.newPod(templatedDs(), "n1", "h", 0);

        assertThat(pod.getSpec().getTolerations()).hasSize(7);
        assertThat(pod.getSpec().getTolerations().get(0).getKey()).isEqualTo("dedicated");
    }

    @Test
    void theDaemonSetIsNotChanged() {
        DaemonSet ds = templatedDs();
        DaemonSet before = new DaemonSetBuilder(ds).build();

        NewDaemonPod.newPod(ds, "n1", "h", 0);

        assertThat(ds).isEqualTo(before);
    }

    @Test
    void nameIsDeterministicPerDecisionAndChangesWithAttempt() {
        DaemonSet ds = templatedDs();
        String name = NewDaemonPod.newPod(ds, "n1", "h", 0).getMetadata().getName();

        assertThat(name).matches("ds-[a-z0-9]{5}");
        assertThat(NewDaemonPod.newPod(ds, "n1", "h", 0).getMetadata().getName()).isEqualTo(name);
        assertThat(NewDaemonPod.newPod(ds, "n1", "h", 1).getMetadata().getName()).isNotEqualTo(name);
        assertThat(NewDaemonPod.newPod(ds, "n2", "h", 0).getMetadata().getName()).isNotEqualTo(name);
        assertThat(NewDaemonPod.newPod(ds, "n1", "h2", 0).getMetadata().getName()).isNotEqualTo(name);
    }

    @Test
    void suffixesRarelyCollideAcrossNodes() {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            names.add(NewDaemonPod.podName("ds", "uid-1", "node-" + i, "h", 0));
        }
        assertThat(names).hasSizeGreaterThan(995);
    }

    @Test
    void attemptOfFindsTheAttemptANameWasDerivedFromWithinTheRange() {
        String third = NewDaemonPod.podName("ds", "uid-1", "n1", "h", 3);
        record Case(String name, String dsName, String node, String hash, int from, int to, OptionalInt want) {
        }
        List<Case> cases = List.of(
                new Case(third, "ds", "n1", "h", 1, 8, OptionalInt.of(3)),
                new Case(third, "ds", "n1", "h", 3, 3, OptionalInt.of(3)),
                new Case(third, "ds", "n1", "h", 4, 8, OptionalInt.empty()), // below the range
                new Case(third, "ds", "n1", "h", 1, 2, OptionalInt.empty()), // above the range
                new Case(third, "ds", "n2", "h", 1, 8, OptionalInt.empty()), // another node's
                new Case(third, "ds", "n1", "h2", 1, 8, OptionalInt.empty()), // another revision's
                new Case(third, "other", "n1", "h", 1, 8, OptionalInt.empty()), // another DaemonSet's prefix
                new Case("stray", "ds", "n1", "h", 1, 8, OptionalInt.empty()), // an adopted pod's own name
                new Case(null, "ds", "n1", "h", 1, 8, OptionalInt.empty()),
                new Case(NewDaemonPod.podName("ds", "uid-1", "n1", "h", 1), "ds", "n1", "h", 0, 8, OptionalInt.of(1)));
        for (Case c : cases) {
            assertThat(NewDaemonPod.attemptOf(c.name(), c.dsName(), "uid-1", c.node(), c.hash(), c.from(), c.to()))
                    .as("%s", c).isEqualTo(c.want());
        }
    }

    @Test
    void longDaemonSetNamesAreCutLikeGenerateName() {
        String longName = "a".repeat(70);

        String name = NewDaemonPod.podName(longName, "uid", "n1", "h", 0);

        assertThat(name).hasSize(63).startsWith("a".repeat(58));
        assertThat(NewDaemonPod.podNamePrefix("a".repeat(57))).isEqualTo("a".repeat(57) + "-");
        assertThat(NewDaemonPod.podNamePrefix("a".repeat(58))).isEqualTo("a".repeat(58));
    }

    @Test
    void markUnschedulableUnbindsButKeepsThePodPinned() {
        Pod pod = NewDaemonPod.newPod(templatedDs(), "n1", "h", 0, T0);

        Pod unschedulable = NewDaemonPod.markUnschedulable(pod, "Insufficient cpu: requested 500m, free 200m (short by 300m)", T0.plusSeconds(1));

        assertThat(unschedulable.getSpec().getNodeName()).isNull();
        assertThat(DaemonPods.getTargetNodeName(unschedulable)).isEqualTo("n1");
        assertThat(unschedulable.getStatus().getPhase()).isEqualTo("Pending");
        PodCondition scheduled = unschedulable.getStatus().getConditions().stream().filter(c -> c.getType().equals("PodScheduled")).findFirst().orElseThrow();
        assertThat(List.of(scheduled.getStatus(), scheduled.getReason(), scheduled.getMessage(), scheduled.getLastTransitionTime()))
                .containsExactly("False", "Unschedulable", "Insufficient cpu: requested 500m, free 200m (short by 300m)", T0.plusSeconds(1).toString());
        assertThat(unschedulable.getStatus().getConditions()).hasSize(1);
        assertThat(pod.getSpec().getNodeName()).as("input untouched").isEqualTo("n1");
    }

    @Test
    void markUnschedulableKeepsOtherConditions() {
        Pod pod = new PodBuilder(NewDaemonPod.newPod(daemonSet(), "n1", "h", 0)).editStatus()
                .addNewCondition().withType("Initialized").withStatus("True").endCondition().endStatus().build();

        assertThat(NewDaemonPod.markUnschedulable(pod, "no room").getStatus().getConditions())
                .extracting(PodCondition::getType).containsExactly("Initialized", "PodScheduled");
    }
}
