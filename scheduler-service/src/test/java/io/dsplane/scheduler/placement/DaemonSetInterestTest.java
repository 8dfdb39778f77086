package io.dsplane.scheduler.placement;

import static io.dsplane.scheduler.placement.Fixtures.daemonSet;
import static io.dsplane.scheduler.placement.Fixtures.running;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;

class DaemonSetInterestTest {

    private final DaemonSet ds = daemonSet(); // ns/ds, uid-1, selector app=ds
    private final Pod orphan = running("p", "n1", 0); // ns, labels app=ds

    private static Pod ownedBy(Pod pod, String uid, boolean controller) {
        return new PodBuilder(pod).editMetadata().withOwnerReferences(new OwnerReferenceBuilder().withUid(uid)
                .withKind("DaemonSet").withName("x").withController(controller).build()).endMetadata().build();
    }

    @Test
    void theControllerCaresAndNoOtherDaemonSet() {
        assertThat(DaemonSetInterest.isInterested(ds, ownedBy(orphan, "uid-1", true))).isTrue();
        assertThat(DaemonSetInterest.isInterested(ds, ownedBy(orphan, "uid-2", true))).as("another controller").isFalse();
    }

    @Test
    void anOrphanMattersToDaemonSetsOfItsNamespaceThatWouldAdoptIt() {
        assertThat(DaemonSetInterest.isInterested(ds, orphan)).isTrue();
        assertThat(DaemonSetInterest.isInterested(ds, ownedBy(orphan, "uid-2", false)))
                .as("an owner that is not the controller leaves it an orphan").isTrue();
        assertThat(DaemonSetInterest.isInterested(ds, new PodBuilder(orphan).editMetadata().addToLabels("app", "web")
                .endMetadata().build())).as("selector does not match").isFalse();
        assertThat(DaemonSetInterest.isInterested(ds, new PodBuilder(orphan).editMetadata().withNamespace("other")
                .endMetadata().build())).as("other namespace").isFalse();
        assertThat(DaemonSetInterest.isInterested(ds, null)).isFalse();
    }

    @Test
    void aSelectorThatCannotBeReadOrSelectsEverythingErrsOnLooking() {
        DaemonSet empty = new DaemonSetBuilder(ds).editSpec().withSelector(new LabelSelectorBuilder().build()).endSpec()
                .build();
        DaemonSet invalid = new DaemonSetBuilder(ds).editSpec().withSelector(new LabelSelectorBuilder()
                .addNewMatchExpression().withKey("app").withOperator("Sometimes").endMatchExpression().build())
                .endSpec().build();
        Pod unrelated = new PodBuilder(orphan).editMetadata().addToLabels("app", "web").endMetadata().build();

        assertThat(DaemonSetInterest.isInterested(empty, unrelated)).isTrue();
        assertThat(DaemonSetInterest.isInterested(invalid, unrelated)).isTrue();
    }
}
