package io.dsplane.scheduler.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.dsplane.contracts.event.EventCodec;
import io.dsplane.scheduler.rollout.RolloutGrant;
import io.dsplane.scheduler.rollout.RolloutNodeState;

/**
 * The rollout coordinator plans only DaemonSets it knows to have pods of an old template. Kafka
 * Streams initialises it again after a rebalance or a restore, with the node states as restored:
 * it must learn from them which rollouts are under way, or a rollout would stall after a restart.
 */
class RolloutProcessorReinitTest {

    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

    private MockProcessorContext<String, byte[]> context;
    private KeyValueStore<String, byte[]> states;

    @BeforeEach
    void setUp() {
        context = new MockProcessorContext<>();
        context.setCurrentSystemTimeMs(NOW.toEpochMilli());
        for (String name : List.of(RolloutProcessor.STATES, RolloutProcessor.GRANTS)) {
            KeyValueStore<String, byte[]> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name),
                    Serdes.String(), Serdes.ByteArray()).withLoggingDisabled().build();
            store.init(context.getStateStoreContext(), store);
            context.addStateStore(store);
        }
        states = context.getStateStore(RolloutProcessor.STATES);
    }

    /** A node with one ready pod: of the old template, or already of the new one. */
    private static RolloutNodeState state(String node, boolean old) {
        Instant since = NOW.minusSeconds(60);
        return new RolloutNodeState("ops/agent", "ds-uid", 2, "new-hash",
                new RolloutNodeState.Strategy("RollingUpdate", "1", null, 0), node, true, old ? 0 : 1, old ? 1 : 0,
                !old, old ? null : since, old, old ? since : null);
    }

    /** Runs the once-a-second tick (every DaemonSet dirty) and then the plan round. */
    private void tickAndPlan() {
        var punctuators = context.scheduledPunctuators().stream()
                .filter(p -> p.getType() == PunctuationType.WALL_CLOCK_TIME).toList();
        punctuators.stream().filter(p -> p.getInterval().equals(Duration.ofSeconds(1))).findFirst().orElseThrow()
                .getPunctuator().punctuate(NOW.toEpochMilli());
        punctuators.stream().filter(p -> p.getInterval().equals(Duration.ofMillis(200))).findFirst().orElseThrow()
                .getPunctuator().punctuate(NOW.toEpochMilli());
    }

    private List<RolloutGrant> grants() {
        return context.forwarded().stream()
                .map(f -> EventCodec.decode(f.record().value(), RolloutGrant.class)).toList();
    }

    @Test
    void aRolloutRestoredInTheStoreGoesOnAfterTheProcessorIsInitialised() {
        states.put("ops/agent|n1", EventCodec.encode(state("n1", true)));
        states.put("ops/agent|n2", EventCodec.encode(state("n2", false)));

        new RolloutProcessor(Duration.ofMinutes(1)).init(context);
        tickAndPlan();

        assertThat(grants()).singleElement().satisfies(g -> {
            assertThat(g.nodeName()).isEqualTo("n1");
            assertThat(g.action()).isEqualTo(RolloutGrant.Action.DELETE_OLD);
        });
    }

    @Test
    void aDaemonSetWithoutOldPodsGetsNoGrant() {
        states.put("ops/agent|n1", EventCodec.encode(state("n1", false)));

        new RolloutProcessor(Duration.ofMinutes(1)).init(context);
        tickAndPlan();

        assertThat(grants()).isEmpty();
    }
}
