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

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;

class DaemonSetChangeFilterTest {

    private static final String KEY = "default/agent";
    private DaemonSetChangeFilter filter;

    @BeforeEach
    void setUp() {
        MockProcessorContext<String, Routed> context = new MockProcessorContext<>();
        KeyValueStore<String, byte[]> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("parts"),
                Serdes.String(), Serdes.ByteArray()).withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        filter = new DaemonSetChangeFilter(store);
    }

    private static DaemonSet ds() {
        return new DaemonSetBuilder().withNewMetadata().withName("agent").withNamespace("default").withUid("uid-a")
                .withGeneration(3L).withResourceVersion("10").addToLabels("team", "x").endMetadata()
                .withNewSpec().withNewSelector().addToMatchLabels("app", "agent").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "agent").endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("img").endContainer().endSpec()
                .endTemplate().endSpec()
                .withNewStatus().withObservedGeneration(3L).withNumberReady(1).withDesiredNumberScheduled(5).endStatus()
                .build();
    }

    private static DaemonSet changed(UnaryOperator<DaemonSetBuilder> change) {
        return change.apply(new DaemonSetBuilder(ds())).build();
    }

    @Test
    void statusCountersAndResourceVersionAloneAreDropped() {
        assertThat(filter.passes(KEY, ds())).as("first event").isTrue();
        assertThat(filter.passes(KEY, changed(b -> b.editMetadata().withResourceVersion("11").endMetadata()
                .editStatus().withNumberReady(5).withNumberAvailable(5).withUpdatedNumberScheduled(5)
                .addNewCondition().withType("X").withStatus("True").endCondition().endStatus()))).isFalse();
    }

    @Test
    void everythingElseAndTheStatusFieldsPlacementReadsPass() {
        List<UnaryOperator<DaemonSetBuilder>> changes = List.of(
                b -> b.editStatus().withCollisionCount(1).endStatus(),
                b -> b.editStatus().withObservedGeneration(4L).endStatus(),
                b -> b.editMetadata().withGeneration(4L).endMetadata(),
                b -> b.editMetadata().addToAnnotations("deprecated.daemonset.template.generation", "2").endMetadata(),
                b -> b.editMetadata().addToLabels("team", "y").endMetadata(),
                b -> b.editMetadata().withUid("uid-b").endMetadata(),
                b -> b.editMetadata().withDeletionTimestamp("2026-01-01T00:00:00Z").endMetadata(),
                b -> b.editSpec().withMinReadySeconds(5).endSpec(),
                b -> b.editSpec().editTemplate().editSpec().editFirstContainer().withImage("img:2").endContainer()
                        .endSpec().endTemplate().endSpec());
        for (UnaryOperator<DaemonSetBuilder> change : changes) {
            filter.passes(KEY, ds());
            assertThat(filter.passes(KEY, changed(change))).isTrue();
        }
    }

    @Test
    void afterADeletionTheSameDaemonSetPassesAgain() {
        assertThat(filter.passes(KEY, ds())).isTrue();
        filter.deleted(KEY);
        assertThat(filter.passes(KEY, ds())).isTrue();
        assertThat(filter.passes("default/other", ds())).as("keys are separate").isTrue();
    }
}
