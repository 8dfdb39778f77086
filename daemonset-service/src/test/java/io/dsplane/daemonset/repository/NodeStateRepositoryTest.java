package io.dsplane.daemonset.repository;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.dsplane.broker.KafkaTestResource;
import io.dsplane.contracts.event.DaemonSetNodeState;
import io.dsplane.daemonset.status.NodeStateRecords.Change;
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
        assertThat(QuarkusTransaction.requiringNew().call(() -> repository.findByDaemonSet(KEY)))
                .extracting(DaemonSetNodeState::revisionHashes)
                .containsExactly(List.of("h1", "h2"), List.of("h2", "h3"), List.of(), List.of("h0"));

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
}
