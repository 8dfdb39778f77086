package io.dsplane.scheduler.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.UnaryOperator;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;

class NodeChangeFilterTest {

    private NodeChangeFilter filter;

    @BeforeEach
    void setUp() {
        MockProcessorContext<String, Routed> context = new MockProcessorContext<>();
        KeyValueStore<String, byte[]> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("views"),
                Serdes.String(), Serdes.ByteArray()).withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        filter = new NodeChangeFilter(store);
    }

    private static Node node() {
        return new NodeBuilder().withNewMetadata().withName("n1").withUid("uid-1").withResourceVersion("10")
                .addToLabels("zone", "a").addToAnnotations("note", "x").endMetadata()
                .withNewSpec().addNewTaint().withKey("dedicated").withValue("gpu").withEffect("NoSchedule").endTaint()
                .endSpec()
                .withNewStatus().addToAllocatable("cpu", new Quantity("4")).addToAllocatable("memory", new Quantity("8Gi"))
                .addToAllocatable("pods", new Quantity("110")).addToAllocatable("ephemeral-storage", new Quantity("100Gi"))
                .addNewCondition().withType("Ready").withStatus("True").withLastHeartbeatTime("2026-01-01T00:00:00Z")
                .endCondition().addNewAddress().withType("InternalIP").withAddress("10.0.0.1").endAddress().endStatus()
                .build();
    }

    private static Node changed(UnaryOperator<NodeBuilder> change) {
        return change.apply(new NodeBuilder(node())).build();
    }

    @Test
    void whatPlacementIgnoresIsDropped() {
        List<UnaryOperator<NodeBuilder>> ignored = List.of(
                b -> b.editMetadata().withResourceVersion("11").endMetadata(),
                b -> b.editMetadata().addToAnnotations("note", "y").endMetadata(),
                b -> b.editStatus().editFirstCondition().withLastHeartbeatTime("2026-01-01T00:00:10Z").endCondition()
                        .endStatus(),
                b -> b.editStatus().editFirstCondition().withStatus("False").withReason("KubeletNotReady").endCondition()
                        .endStatus(),
                b -> b.editStatus().addToAllocatable("ephemeral-storage", new Quantity("99Gi")).endStatus(),
                b -> b.editStatus().addToCapacity("cpu", new Quantity("8")).endStatus(),
                b -> b.editStatus().editFirstAddress().withAddress("10.0.0.2").endAddress().endStatus(),
                // The same amount written another way is the same to resource fit.
                b -> b.editStatus().addToAllocatable("cpu", new Quantity("4000m")).endStatus());
        assertThat(filter.passes("n1", node())).as("first event").isTrue();
        for (UnaryOperator<NodeBuilder> change : ignored) {
            assertThat(filter.passes("n1", changed(change))).isFalse();
        }
    }

    @Test
    void whatPlacementReadsPasses() {
        List<UnaryOperator<NodeBuilder>> read = List.of(
                b -> b.editMetadata().addToLabels("zone", "b").endMetadata(),
                b -> b.editMetadata().addToLabels("gpu", "true").endMetadata(),
                b -> b.editMetadata().withUid("uid-2").endMetadata(),
                b -> b.editSpec().withTaints().endSpec(),
                b -> b.editSpec().editFirstTaint().withEffect("NoExecute").endTaint().endSpec(),
                b -> b.editSpec().withUnschedulable(true).endSpec(),
                b -> b.editStatus().addToAllocatable("cpu", new Quantity("3")).endStatus(),
                b -> b.editStatus().addToAllocatable("memory", new Quantity("4Gi")).endStatus(),
                b -> b.editStatus().addToAllocatable("pods", new Quantity("10")).endStatus(),
                b -> b.editStatus().removeFromAllocatable("cpu").endStatus());
        for (UnaryOperator<NodeBuilder> change : read) {
            filter.passes("n1", node());
            assertThat(filter.passes("n1", changed(change))).isTrue();
        }
    }

    @Test
    void afterADeletionTheSameNodePassesAgain() {
        assertThat(filter.passes("n1", node())).isTrue();
        filter.deleted("n1");
        assertThat(filter.passes("n1", node())).isTrue();
        assertThat(filter.passes("n2", node())).as("names are separate").isTrue();
    }
}
