package io.dsplane.scheduler.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Toleration;

class SharedEmptiesTest {

    @Test
    void emptyCollectionsBecomeTheSharedOnesAndTheRestIsLeftAlone() {
        PodSpec spec = new PodSpecBuilder().withNodeName("node-1").addToNodeSelector("zone", "a")
                .addNewToleration().withKey("k").withOperator("Exists").endToleration().build();
        List<Toleration> tolerations = spec.getTolerations();
        Map<String, String> selector = spec.getNodeSelector();
        assertThat(spec.getVolumes()).isEmpty();
        assertThat(spec.getVolumes()).isNotSameAs(List.of());

        assertThat(SharedEmpties.apply(spec)).isSameAs(spec);

        assertThat(spec.getVolumes()).isSameAs(List.of());
        assertThat(spec.getContainers()).isSameAs(List.of());
        assertThat(spec.getAdditionalProperties()).isSameAs(Map.of());
        assertThat(spec.getTolerations()).isSameAs(tolerations).hasSize(1);
        assertThat(spec.getNodeSelector()).isSameAs(selector).containsEntry("zone", "a");
        assertThat(spec.getNodeName()).isEqualTo("node-1");
        assertThat(spec).isEqualTo(new PodSpecBuilder().withNodeName("node-1").addToNodeSelector("zone", "a")
                .addNewToleration().withKey("k").withOperator("Exists").endToleration().build());
    }

    @Test
    void nullIsLeftNull() {
        assertThat(SharedEmpties.apply((PodSpec) null)).isNull();
    }
}
