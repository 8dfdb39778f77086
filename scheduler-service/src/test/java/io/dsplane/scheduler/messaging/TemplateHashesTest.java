package io.dsplane.scheduler.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.dsplane.contracts.event.TemplateHash;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;

class TemplateHashesTest {

    private static DaemonSet ds(String image, Integer collisionCount) {
        return new DaemonSetBuilder().withNewMetadata().withName("agent").withNamespace("default").withUid("uid-a")
                .withGeneration(1L).withResourceVersion("7").endMetadata()
                .withNewSpec().withNewTemplate().withNewSpec().addNewContainer().withName("c").withImage(image)
                .endContainer().endSpec().endTemplate().endSpec()
                .withNewStatus().withCollisionCount(collisionCount).endStatus().build();
    }

    @Test
    void aChangedDaemonSetIsHashedAgainWhateverItsGenerationAndResourceVersionSay() {
        TemplateHashes hashes = new TemplateHashes();
        DaemonSet v1 = ds("img:1", null);
        DaemonSet v2 = ds("img:2", null);
        DaemonSet collided = ds("img:2", 1);

        assertThat(hashes.hash(v1)).isEqualTo(TemplateHash.computeHash(v1.getSpec().getTemplate(), null));
        assertThat(hashes.hash(v1)).isSameAs(hashes.hash(v1));
        assertThat(hashes.hash(v2)).isEqualTo(TemplateHash.computeHash(v2.getSpec().getTemplate(), null))
                .isNotEqualTo(TemplateHash.computeHash(v1.getSpec().getTemplate(), null));
        assertThat(hashes.hash(collided)).isEqualTo(TemplateHash.computeHash(collided.getSpec().getTemplate(), 1));
    }
}
