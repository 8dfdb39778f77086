package io.dsplane.noderegistry.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.dsplane.contracts.api.FieldErrors;
import io.dsplane.noderegistry.lifecycle.NodeLifecycle;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;

/** The Node strategy: lifecycle taints on every write path, and ValidateNode's taint checks. */
class NodeValidationTest {

    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    static final String EARLIER = "2026-03-01T11:00:00Z";

    final NodeValidation strategy = new NodeValidation(
            node -> NodeLifecycle.taintsFor(node, null, NOW, Duration.ofSeconds(40)));

    static NodeBuilder node(String ready) {
        return new NodeBuilder().withNewMetadata().withName("n1").endMetadata()
                .withNewStatus().addNewCondition().withType("Ready").withStatus(ready).endCondition().endStatus();
    }

    static Taint taint(String key, String effect, String timeAdded) {
        return new TaintBuilder().withKey(key).withEffect(effect).withTimeAdded(timeAdded).build();
    }

    static String render(Taint t) {
        return t.getKey() + ":" + t.getEffect();
    }

    @Test
    void createdNotReadyNodeIsStoredWithNotReadyTaints() {
        Node node = node("False").build();

        strategy.prepareForCreate(node);

        assertThat(node.getSpec().getTaints()).extracting(NodeValidationTest::render).containsExactly(
                "node.kubernetes.io/not-ready:NoSchedule", "node.kubernetes.io/not-ready:NoExecute");
    }

    @Test
    void createdReadyNodeWithoutSpecGetsNoEmptySpec() {
        Node node = node("True").build();

        strategy.prepareForCreate(node);

        assertThat(node.getSpec()).isNull();
    }

    @Test
    void replacementThatLeavesOutALifecycleTaintKeepsTheStoredOneWithItsTimeAdded() {
        Node old = node("True").withNewSpec().withUnschedulable(true)
                .withTaints(taint("node.kubernetes.io/unschedulable", "NoSchedule", EARLIER)).endSpec().build();
        Node put = node("True").withNewSpec().withUnschedulable(true)
                .withTaints(taint("dedicated", "NoSchedule", null)).endSpec().build();

        strategy.prepareForUpdate(put, old);

        assertThat(put.getSpec().getTaints()).extracting(NodeValidationTest::render, Taint::getTimeAdded)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("dedicated:NoSchedule", null),
                        org.assertj.core.groups.Tuple.tuple("node.kubernetes.io/unschedulable:NoSchedule", EARLIER));
    }

    @Test
    void uncordoningReplacementDropsTheUnschedulableTaintAndKeepsUserTaints() {
        Node old = node("True").withNewSpec().withUnschedulable(true)
                .withTaints(taint("dedicated", "NoSchedule", null),
                        taint("node.kubernetes.io/unschedulable", "NoSchedule", EARLIER)).endSpec().build();
        Node patched = new NodeBuilder(old).editSpec().withUnschedulable(false).endSpec().build();

        strategy.prepareForUpdate(patched, old);

        assertThat(patched.getSpec().getTaints()).extracting(NodeValidationTest::render)
                .containsExactly("dedicated:NoSchedule");
    }

    @Test
    void statusWriteRecomputesTheTaintsOfTheNodeAboutToBeStored() {
        Node old = node("True").withNewSpec().withTaints(taint("dedicated", "NoSchedule", null)).endSpec().build();
        Node next = new NodeBuilder(old).editStatus().editFirstCondition().withStatus("False").endCondition()
                .endStatus().build();
        FieldErrors errors = new FieldErrors();

        strategy.validateStatusUpdate(next, old, errors);

        assertThat(errors.isEmpty()).isTrue();
        assertThat(next.getSpec().getTaints()).extracting(NodeValidationTest::render).containsExactly(
                "dedicated:NoSchedule", "node.kubernetes.io/not-ready:NoSchedule",
                "node.kubernetes.io/not-ready:NoExecute");
    }

    @Test
    void badUserTaintsAreStillReportedWithTheirFieldPaths() {
        Node node = node("False").withNewSpec().withTaints(taint("bad key", "Sometimes", null),
                taint("dup", "NoSchedule", null), taint("dup", "NoSchedule", null)).endSpec().build();
        strategy.prepareForCreate(node);
        FieldErrors errors = new FieldErrors();

        strategy.validate(node, errors);

        assertThat(errors.causes()).extracting(StatusCause::getField, StatusCause::getReason).containsExactly(
                org.assertj.core.groups.Tuple.tuple("spec.taints[0].key", FieldErrors.INVALID),
                org.assertj.core.groups.Tuple.tuple("spec.taints[0].effect", FieldErrors.NOT_SUPPORTED),
                org.assertj.core.groups.Tuple.tuple("spec.taints[2]", FieldErrors.DUPLICATE));
    }
}
