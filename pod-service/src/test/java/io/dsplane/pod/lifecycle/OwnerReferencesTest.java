package io.dsplane.pod.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;

class OwnerReferencesTest {

    private static Pod orphan() {
        return new PodBuilder().withNewMetadata().withName("p").endMetadata().build();
    }

    private static Pod ownedBy(String uid, boolean controller) {
        Pod p = orphan();
        p.getMetadata().setOwnerReferences(new java.util.ArrayList<>(java.util.List.of(new OwnerReferenceBuilder()
                .withApiVersion("apps/v1").withKind("DaemonSet").withName("x").withUid(uid).withController(controller)
                .build())));
        return p;
    }

    @Test
    void orphanIsAdoptedWithAControllerReference() {
        Pod p = orphan();
        assertThat(OwnerReferences.adopt(p, "ds-1", "agent")).isTrue();
        assertThat(p.getMetadata().getOwnerReferences()).singleElement().satisfies(r -> {
            assertThat(r.getUid()).isEqualTo("ds-1");
            assertThat(r.getName()).isEqualTo("agent");
            assertThat(r.getKind()).isEqualTo("DaemonSet");
            assertThat(r.getApiVersion()).isEqualTo("apps/v1");
            assertThat(r.getController()).isTrue();
            assertThat(r.getBlockOwnerDeletion()).isTrue();
        });
        assertThat(OwnerReferences.controllerUid(p)).isEqualTo("ds-1");
    }

    @Test
    void podWithAControllerIsNeverAdopted() {
        Pod p = ownedBy("other", true);
        assertThat(OwnerReferences.adopt(p, "ds-1", "agent")).isFalse();
        assertThat(OwnerReferences.controllerUid(p)).isEqualTo("other");
    }

    @Test
    void nonControllerReferenceToTheSameOwnerBecomesTheController() {
        Pod p = ownedBy("ds-1", false);
        assertThat(OwnerReferences.adopt(p, "ds-1", "agent")).isTrue();
        assertThat(p.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(r -> assertThat(r.getController()).isTrue());
    }

    @Test
    void releaseRemovesOnlyTheReleasingOwner() {
        Pod p = ownedBy("ds-1", true);
        p.getMetadata().getOwnerReferences().add(new OwnerReferenceBuilder().withKind("ConfigMap").withName("c")
                .withUid("cm-1").build());
        assertThat(OwnerReferences.release(p, "ds-1")).isTrue();
        assertThat(p.getMetadata().getOwnerReferences()).extracting(r -> r.getUid()).containsExactly("cm-1");
        assertThat(OwnerReferences.controllerUid(p)).isNull();
    }

    @Test
    void releaseOfAPodNotOwnedChangesNothing() {
        assertThat(OwnerReferences.release(orphan(), "ds-1")).isFalse();
        assertThat(OwnerReferences.release(ownedBy("other", true), "ds-1")).isFalse();
    }
}
