package io.dsplane.scheduler.placement;

import static io.dsplane.scheduler.placement.Fixtures.labels;
import static io.dsplane.scheduler.placement.Fixtures.nodeWithAllocatable;
import static io.dsplane.scheduler.placement.Fixtures.taint;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;

class NodePlacementViewTest {

    private final Node node = new NodeBuilder(nodeWithAllocatable("n1", "4", "8Gi", "110"))
            .editMetadata().withUid("uid-n1").withLabels(labels("zone", "a")).endMetadata()
            .editStatus().addToAllocatable("ephemeral-storage", new Quantity("100Gi"))
            .addNewCondition().withType("Ready").withStatus("True").withLastHeartbeatTime("t0").endCondition()
            .endStatus().build();

    private boolean sameView(UnaryOperator<NodeBuilder> change) {
        return NodePlacementView.of(change.apply(new NodeBuilder(node)).build()).equals(NodePlacementView.of(node));
    }

    @Test
    void statusChangesPlacementDoesNotReadKeepTheView() {
        assertThat(sameView(b -> b.editStatus().editFirstCondition().withLastHeartbeatTime("t1").endCondition().endStatus()))
                .as("heartbeat").isTrue();
        assertThat(sameView(b -> b.editStatus().editFirstCondition().withStatus("False").endCondition().endStatus()))
                .as("condition (arrives as a taint)").isTrue();
        assertThat(sameView(b -> b.editStatus().addToAllocatable("ephemeral-storage", new Quantity("90Gi")).endStatus()))
                .as("allocatable placement does not check").isTrue();
        assertThat(sameView(b -> b.editStatus().addToCapacity("cpu", new Quantity("8")).endStatus())).as("capacity").isTrue();
        assertThat(sameView(b -> b.editMetadata().withResourceVersion("99").addToAnnotations("a", "b").endMetadata()))
                .as("resourceVersion, annotations").isTrue();
        assertThat(sameView(b -> b.editStatus().addToAllocatable("cpu", new Quantity("4000m")).endStatus()))
                .as("the same amount written differently").isTrue();
    }

    @Test
    void everythingPlacementReadsChangesTheView() {
        List<UnaryOperator<NodeBuilder>> changes = List.of(
                b -> b.editMetadata().addToLabels("disk", "ssd").endMetadata(),
                b -> b.editMetadata().withUid("uid-other").endMetadata(),
                b -> b.editSpec().withTaints(taint("k", "v", "NoSchedule")).endSpec(),
                b -> b.editSpec().withUnschedulable(true).endSpec(),
                b -> b.editStatus().addToAllocatable("cpu", new Quantity("2")).endStatus(),
                b -> b.editStatus().addToAllocatable("memory", new Quantity("4Gi")).endStatus(),
                b -> b.editStatus().addToAllocatable("pods", new Quantity("10")).endStatus(),
                b -> b.editStatus().removeFromAllocatable("pods").endStatus());

        for (UnaryOperator<NodeBuilder> change : changes) {
            assertThat(sameView(change)).isFalse();
        }
    }
}
