package io.dsplane.daemonset.repository;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.dsplane.broker.KafkaTestResource;
import io.dsplane.contracts.event.DaemonSetNodeState;
import io.dsplane.contracts.event.DaemonSetNodeState.OldestPod;
import io.dsplane.daemonset.status.NodeStateRecords.Change;
import io.dsplane.daemonset.status.NodeTally;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** NodeStateRepositoryTest checks the revision hashes of stored node states against the database. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
class NodeStateRepositoryTest {

    private static final String KEY = "repository/agent";

    @Inject
    NodeStateRepository repository;

    private static Change state(String uid, String node, String... hashes) {
        return new Change(KEY, node, new DaemonSetNodeState(1, KEY, uid, 1, "h", node, true, true, hashes.length,
                null, List.of(hashes)));
    }

    @Test
    void hashesInUseAreTheUnionOverTheNodesOfThisDaemonSetOnly() {
        QuarkusTransaction.requiringNew().run(() -> repository.apply(List.of(
                state("uid-1", "node-a", "h1", "h2"),
                state("uid-1", "node-b", "h2", "h3"),
                state("uid-1", "node-c"),
                // Left over from an earlier DaemonSet of the same name.
                state("uid-0", "node-d", "h0"))));

        assertThat(QuarkusTransaction.requiringNew().call(() -> repository.revisionHashesInUse(KEY, "uid-1")))
                .containsExactly("h1", "h2", "h3");
        assertThat(QuarkusTransaction.requiringNew().call(() -> repository.revisionHashesInUse(KEY, "uid-9")))
                .isEmpty();
        assertThat(QuarkusTransaction.requiringNew().call(() -> repository.revisionHashesInUse(KEY, "uid-0")))
                .containsExactly("h0");

        // A newer state of a node replaces its hashes; a removed node takes its hashes with it.
        QuarkusTransaction.requiringNew().run(() -> repository.apply(List.of(
                state("uid-1", "node-a", "h3"),
                new Change(KEY, "node-b", null))));
        assertThat(QuarkusTransaction.requiringNew().call(() -> repository.revisionHashesInUse(KEY, "uid-1")))
                .containsExactly("h3");
    }

    private static Change stateAt(String key, String uid, String node, long generation) {
        return new Change(key, node, new DaemonSetNodeState(1, key, uid, generation, "h", node, true, true, 0, null,
                List.of()));
    }

    @Test
    void statesHaveCaughtUpOnlyWhenThereAreSomeAndAllAreOfTheGenerationOrLater() {
        String key = "repository/caught-up";
        assertThat(QuarkusTransaction.requiringNew().call(() -> repository.caughtUp(key, "uid-1", 1)))
                .as("no states at all").isFalse();
        QuarkusTransaction.requiringNew().run(() -> repository.apply(List.of(
                stateAt(key, "uid-1", "node-a", 3),
                stateAt(key, "uid-1", "node-b", 2),
                // Of an earlier DaemonSet of the same name: does not count.
                stateAt(key, "uid-0", "node-c", 1))));
        assertThat(QuarkusTransaction.requiringNew().call(() -> repository.caughtUp(key, "uid-1", 2))).isTrue();
        assertThat(QuarkusTransaction.requiringNew().call(() -> repository.caughtUp(key, "uid-1", 3)))
                .as("node-b is still at generation 2").isFalse();
        QuarkusTransaction.requiringNew().run(() -> repository.apply(List.of(stateAt(key, "uid-1", "node-b", 3))));
        assertThat(QuarkusTransaction.requiringNew().call(() -> repository.caughtUp(key, "uid-1", 3))).isTrue();
        assertThat(QuarkusTransaction.requiringNew().call(() -> repository.caughtUp(key, "uid-9", 1))).isFalse();
    }

    private static DaemonSetNodeState node(String key, String uid, String node, long generation, boolean shouldRun,
            int pods, OldestPod oldest) {
        return new DaemonSetNodeState(1, key, uid, generation, "h", node, shouldRun, shouldRun, pods, oldest,
                List.of());
    }

    @Test
    void talliesFromTheDatabaseAreTheGroupingOfTheStatesInJava() {
        String key = "repository/tallies";
        Instant cutoff = Instant.parse("2026-12-02T10:00:00Z");
        List<DaemonSetNodeState> own = List.of(
                node(key, "uid-1", "n01", 4, true, 1, new OldestPod("p1", true, cutoff.minusSeconds(60), true)),
                node(key, "uid-1", "n02", 4, true, 1, new OldestPod("p2", true, cutoff.minusSeconds(5), true)),
                // Ready exactly at the cutoff: available (the boundary counts).
                node(key, "uid-1", "n03", 4, true, 1, new OldestPod("p3", true, cutoff, false)),
                // Ready a moment after the cutoff: not yet.
                node(key, "uid-1", "n04", 4, true, 1, new OldestPod("p4", true, cutoff.plusMillis(1), true)),
                // Ready without a ready time: never available.
                node(key, "uid-1", "n05", 3, true, 1, new OldestPod("p5", true, null, true)),
                node(key, "uid-1", "n06", 4, true, 2, new OldestPod("p6", false, null, false)),
                node(key, "uid-1", "n07", 4, true, 0, null),
                node(key, "uid-1", "n08", 4, false, 1, new OldestPod("p8", true, cutoff.minusSeconds(9), true)),
                node(key, "uid-1", "n09", 4, false, 0, null));
        List<Change> changes = new java.util.ArrayList<>();
        own.forEach(s -> changes.add(new Change(key, s.nodeName(), s)));
        // Of an earlier DaemonSet of the same name: not counted.
        changes.add(new Change(key, "n10", node(key, "uid-0", "n10", 9, true, 1, null)));
        QuarkusTransaction.requiringNew().run(() -> repository.apply(changes));

        for (long generation : new long[] {3, 4, 5}) {
            assertThat(QuarkusTransaction.requiringNew().call(() -> repository.tallies(key, "uid-1", cutoff, generation)))
                    .as("generation %d", generation)
                    .isEqualTo(NodeTally.of(own, cutoff, generation))
                    .extracting(NodeTally::nodes).asList().hasSizeGreaterThan(1);
        }
        assertThat(NodeTally.of(own, cutoff, 4).stream().mapToInt(NodeTally::nodes).sum()).isEqualTo(own.size());
        assertThat(QuarkusTransaction.requiringNew().call(() -> repository.tallies(key, "uid-9", cutoff, 1))).isEmpty();
    }
}
