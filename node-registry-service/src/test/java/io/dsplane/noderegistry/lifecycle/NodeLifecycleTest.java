package io.dsplane.noderegistry.lifecycle;

import static io.dsplane.noderegistry.lifecycle.NodeLifecycle.NODE_STATUS_NEVER_UPDATED;
import static io.dsplane.noderegistry.lifecycle.NodeLifecycle.NODE_STATUS_UNKNOWN;
import static io.dsplane.noderegistry.lifecycle.NodeLifecycle.NODE_STATUS_UNKNOWN_MESSAGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;

class NodeLifecycleTest {

    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    static final Duration GRACE = Duration.ofSeconds(40);
    static final Instant FRESH = NOW.minusSeconds(5);
    static final Instant STALE = NOW.minusSeconds(41);
    static final Instant NEVER = null;
    static final String EARLIER = "2026-03-01T11:00:00Z";

    static final String NOT_READY_NS = "node.kubernetes.io/not-ready:NoSchedule";
    static final String NOT_READY_NE = "node.kubernetes.io/not-ready:NoExecute";
    static final String UNREACHABLE_NS = "node.kubernetes.io/unreachable:NoSchedule";
    static final String UNREACHABLE_NE = "node.kubernetes.io/unreachable:NoExecute";
    static final String MEMORY_NS = "node.kubernetes.io/memory-pressure:NoSchedule";
    static final String DISK_NS = "node.kubernetes.io/disk-pressure:NoSchedule";
    static final String PID_NS = "node.kubernetes.io/pid-pressure:NoSchedule";
    static final String NETWORK_NS = "node.kubernetes.io/network-unavailable:NoSchedule";
    static final String UNSCHEDULABLE_NS = "node.kubernetes.io/unschedulable:NoSchedule";

    // ---------------------------------------------------------------- test data

    /** node builds a node from "Type=Status" conditions. */
    static NodeBuilder node(String... conditions) {
        List<NodeCondition> cs = new ArrayList<>();
        for (String c : conditions) {
            String[] kv = c.split("=");
            cs.add(new NodeConditionBuilder().withType(kv[0]).withStatus(kv[1])
                    .withLastHeartbeatTime("2026-03-01T11:59:55Z").build());
        }
        return new NodeBuilder().withNewMetadata().withName("n1").endMetadata()
                .withNewStatus().withConditions(cs).endStatus();
    }

    /** taint parses "key[=value]:effect", optionally with timeAdded. */
    static Taint taint(String spec, String timeAdded) {
        int colon = spec.lastIndexOf(':');
        String kv = spec.substring(0, colon);
        int eq = kv.indexOf('=');
        return new TaintBuilder().withKey(eq < 0 ? kv : kv.substring(0, eq)).withValue(eq < 0 ? null : kv.substring(eq + 1))
                .withEffect(spec.substring(colon + 1)).withTimeAdded(timeAdded).build();
    }

    static Taint taint(String spec) {
        return taint(spec, null);
    }

    static String render(Taint t) {
        return t.getKey() + (t.getValue() == null ? "" : "=" + t.getValue()) + ":" + t.getEffect();
    }

    static Node withTaints(NodeBuilder b, String... taints) {
        return b.editOrNewSpec().withTaints(Stream.of(taints).map(NodeLifecycleTest::taint).toList()).endSpec().build();
    }

    static Node cordoned(NodeBuilder b, String... taints) {
        return b.editOrNewSpec().withUnschedulable(true)
                .withTaints(Stream.of(taints).map(NodeLifecycleTest::taint).toList()).endSpec().build();
    }

    // ---------------------------------------------------------------- taintsFor: the table

    static Stream<Arguments> taintTable() {
        return Stream.of(
                arguments("readyNodeGetsNoTaints", node("Ready=True").build(), FRESH, List.of()),
                arguments("notReadyNodeGetsNotReadyTaintsBothEffects", node("Ready=False").build(), FRESH,
                        List.of(NOT_READY_NS, NOT_READY_NE)),
                arguments("unknownReadyNodeGetsUnreachableTaintsBothEffects", node("Ready=Unknown").build(), FRESH,
                        List.of(UNREACHABLE_NS, UNREACHABLE_NE)),
                arguments("nodeWithoutReadyConditionGetsNoReadinessTaint", node().build(), FRESH, List.of()),
                arguments("memoryPressureAddsMemoryPressureNoSchedule",
                        node("Ready=True", "MemoryPressure=True").build(), FRESH, List.of(MEMORY_NS)),
                arguments("diskPressureAddsDiskPressureNoSchedule",
                        node("Ready=True", "DiskPressure=True").build(), FRESH, List.of(DISK_NS)),
                arguments("pidPressureAddsPidPressureNoSchedule",
                        node("Ready=True", "PIDPressure=True").build(), FRESH, List.of(PID_NS)),
                arguments("networkUnavailableAddsNetworkUnavailableNoSchedule",
                        node("Ready=True", "NetworkUnavailable=True").build(), FRESH, List.of(NETWORK_NS)),
                arguments("pressureConditionsThatAreFalseOrUnknownAddNothing",
                        node("Ready=True", "MemoryPressure=False", "DiskPressure=Unknown", "PIDPressure=False",
                                "NetworkUnavailable=False").build(), FRESH, List.of()),
                arguments("everyConditionAtOnceGetsEveryTaintInAFixedOrder",
                        cordoned(node("Ready=False", "MemoryPressure=True", "DiskPressure=True", "PIDPressure=True",
                                "NetworkUnavailable=True")), FRESH,
                        List.of(NOT_READY_NS, NOT_READY_NE, MEMORY_NS, DISK_NS, PID_NS, NETWORK_NS,
                                UNSCHEDULABLE_NS)),
                arguments("cordonAddsUnschedulableTaint", cordoned(node("Ready=True")), FRESH,
                        List.of(UNSCHEDULABLE_NS)),
                arguments("uncordonRemovesUnschedulableTaint", withTaints(node("Ready=True"), UNSCHEDULABLE_NS),
                        FRESH, List.of()),
                arguments("recoveredNodeLosesNotReadyTaints",
                        withTaints(node("Ready=True"), NOT_READY_NS, NOT_READY_NE), FRESH, List.of()),
                arguments("relievedPressureRemovesItsTaint",
                        withTaints(node("Ready=True", "MemoryPressure=False"), MEMORY_NS), FRESH, List.of()),
                arguments("notReadyTurningUnknownSwapsNotReadyForUnreachable",
                        withTaints(node("Ready=Unknown"), NOT_READY_NS, NOT_READY_NE), FRESH,
                        List.of(UNREACHABLE_NS, UNREACHABLE_NE)),
                arguments("staleHeartbeatMakesNodeUnreachable", node("Ready=True").build(), STALE,
                        List.of(UNREACHABLE_NS, UNREACHABLE_NE)),
                arguments("heartbeatExactlyOneGracePeriodOldIsNotStale", node("Ready=True").build(),
                        NOW.minus(GRACE), List.of()),
                arguments("staleHeartbeatReplacesNotReadyWithUnreachable",
                        withTaints(node("Ready=False"), NOT_READY_NS, NOT_READY_NE), STALE,
                        List.of(UNREACHABLE_NS, UNREACHABLE_NE)),
                arguments("staleHeartbeatDropsPressureTaintsBecauseNoConditionIsKnownAnyMore",
                        withTaints(node("Ready=True", "DiskPressure=True", "NetworkUnavailable=True"), DISK_NS,
                                NETWORK_NS), STALE,
                        List.of(UNREACHABLE_NS, UNREACHABLE_NE)),
                arguments("staleHeartbeatKeepsTheCordonTaint", cordoned(node("Ready=True"), UNSCHEDULABLE_NS), STALE,
                        List.of(UNSCHEDULABLE_NS, UNREACHABLE_NS, UNREACHABLE_NE)),
                arguments("nodeThatNeverHeartbeatsNeverBecomesUnreachable", node("Ready=True").build(), NEVER,
                        List.of()),
                arguments("nodeThatNeverHeartbeatsStillFollowsItsConditions", node("Ready=False").build(), NEVER,
                        List.of(NOT_READY_NS, NOT_READY_NE)),
                arguments("userTaintsAreKeptUnchanged",
                        withTaints(node("Ready=False"), "dedicated=gpu:NoSchedule", "spot:PreferNoSchedule",
                                "example.com/drain:NoExecute"), FRESH,
                        List.of("dedicated=gpu:NoSchedule", "spot:PreferNoSchedule", "example.com/drain:NoExecute",
                                NOT_READY_NS, NOT_READY_NE)),
                arguments("userTaintWithALifecycleKeyButAnotherEffectIsTheUsers",
                        withTaints(node("Ready=True"), "node.kubernetes.io/not-ready:PreferNoSchedule",
                                "node.kubernetes.io/memory-pressure:NoExecute"), FRESH,
                        List.of("node.kubernetes.io/not-ready:PreferNoSchedule",
                                "node.kubernetes.io/memory-pressure:NoExecute")),
                arguments("lifecycleTaintSetByHandIsRemovedWhenNotCalledFor",
                        withTaints(node("Ready=True"), "a:NoSchedule", UNREACHABLE_NE, "b:NoSchedule"), FRESH,
                        List.of("a:NoSchedule", "b:NoSchedule")),
                arguments("managedTaintThatStaysKeepsItsPlaceAmongUserTaints",
                        cordoned(node("Ready=True"), "a:NoSchedule", UNSCHEDULABLE_NS, "b:NoSchedule"), FRESH,
                        List.of("a:NoSchedule", UNSCHEDULABLE_NS, "b:NoSchedule")),
                arguments("duplicateManagedTaintIsKeptOnce",
                        cordoned(node("Ready=True"), UNSCHEDULABLE_NS, UNSCHEDULABLE_NS), FRESH,
                        List.of(UNSCHEDULABLE_NS)),
                arguments("nodeWithoutStatusOrSpecGetsNoTaints",
                        new NodeBuilder().withNewMetadata().withName("bare").endMetadata().build(), FRESH, List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("taintTable")
    void taintsFollowConditionsCordonAndHeartbeats(String behaviour, Node node, Instant lastHeartbeat,
            List<String> expected) {
        List<Taint> taints = NodeLifecycle.taintsFor(node, lastHeartbeat, NOW, GRACE);

        assertThat(taints).extracting(NodeLifecycleTest::render).containsExactlyElementsOf(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("taintTable")
    void recomputingTheResultChangesNothing(String behaviour, Node node, Instant lastHeartbeat,
            List<String> expected) {
        List<Taint> once = NodeLifecycle.taintsFor(node, lastHeartbeat, NOW, GRACE);
        Node stored = NodeLifecycle.withTaints(node, once);

        // A second later, with the heartbeat as old as before: the taints, and their timeAdded, stay.
        Instant later = NOW.plusSeconds(1);
        List<Taint> twice = NodeLifecycle.taintsFor(stored, lastHeartbeat == null ? null : lastHeartbeat.plusSeconds(1),
                later, GRACE);

        assertThat(twice).isEqualTo(once);
        assertThat(NodeLifecycle.withTaints(stored, twice)).isSameAs(stored);
    }

    // ---------------------------------------------------------------- taintsFor: timeAdded and identity

    @Test
    void newLifecycleTaintsCarryTimeAddedNow() {
        List<Taint> taints = NodeLifecycle.taintsFor(node("Ready=False").build(), FRESH, NOW, GRACE);

        assertThat(taints).extracting(Taint::getTimeAdded).containsOnly("2026-03-01T12:00:00Z");
    }

    @Test
    void timeAddedIsWholeSecondsInUtc() {
        List<Taint> taints = NodeLifecycle.taintsFor(cordoned(node()), NEVER, Instant.parse("2026-03-01T12:00:07.987Z"),
                GRACE);

        assertThat(taints).singleElement().extracting(Taint::getTimeAdded).isEqualTo("2026-03-01T12:00:07Z");
    }

    @Test
    void lifecycleTaintThatWasAlreadyThereKeepsItsTimeAdded() {
        Node node = node("Ready=False").editOrNewSpec()
                .withTaints(taint(NOT_READY_NE, EARLIER)).endSpec().build();

        List<Taint> taints = NodeLifecycle.taintsFor(node, FRESH, NOW, GRACE);

        assertThat(taints).extracting(NodeLifecycleTest::render, Taint::getTimeAdded).containsExactly(
                org.assertj.core.groups.Tuple.tuple(NOT_READY_NE, EARLIER),
                org.assertj.core.groups.Tuple.tuple(NOT_READY_NS, "2026-03-01T12:00:00Z"));
    }

    @Test
    void lifecycleTaintSetByHandWithoutTimeAddedGetsOne() {
        Node node = cordoned(node("Ready=True"), UNSCHEDULABLE_NS);

        assertThat(NodeLifecycle.taintsFor(node, FRESH, NOW, GRACE)).singleElement()
                .extracting(Taint::getTimeAdded).isEqualTo("2026-03-01T12:00:00Z");
    }

    @Test
    void userTaintObjectsAreReturnedAsTheyWere() {
        Taint user = taint("dedicated=gpu:NoExecute", EARLIER);
        Node node = node("Ready=False").editOrNewSpec().withTaints(user).endSpec().build();

        List<Taint> taints = NodeLifecycle.taintsFor(node, FRESH, NOW, GRACE);

        assertThat(taints.get(0)).isEqualTo(taint("dedicated=gpu:NoExecute", EARLIER));
    }

    @Test
    void taintsForDoesNotChangeTheNodeItIsGiven() {
        Node node = withTaints(node("Ready=False"), "a:NoSchedule", UNSCHEDULABLE_NS);
        Node copy = new NodeBuilder(node).build();

        NodeLifecycle.taintsFor(node, STALE, NOW, GRACE);

        assertThat(node).isEqualTo(copy);
    }

    @Test
    void withTaintsReturnsTheSameNodeWhenNothingChanges() {
        Node node = withTaints(node("Ready=True"), "a:NoSchedule");

        assertThat(NodeLifecycle.withTaints(node, List.of(taint("a:NoSchedule")))).isSameAs(node);
        assertThat(NodeLifecycle.withTaints(node, List.of())).isNotSameAs(node)
                .satisfies(n -> assertThat(n.getSpec().getTaints()).isEmpty());
        assertThat(node.getSpec().getTaints()).hasSize(1);
    }

    // ---------------------------------------------------------------- markUnknownAfterGracePeriod

    @Test
    void staleHeartbeatTurnsEveryConditionUnknown() {
        Node node = node("Ready=True", "MemoryPressure=False", "DiskPressure=True", "NetworkUnavailable=False").build();

        Node marked = NodeLifecycle.markUnknownAfterGracePeriod(node, STALE, NOW, GRACE);

        assertThat(marked.getStatus().getConditions()).hasSize(4).allSatisfy(c -> {
            assertThat(c.getStatus()).isEqualTo("Unknown");
            assertThat(c.getReason()).isEqualTo(NODE_STATUS_UNKNOWN);
            assertThat(c.getMessage()).isEqualTo("Kubelet stopped posting node status.");
            assertThat(c.getLastTransitionTime()).isEqualTo("2026-03-01T12:00:00Z");
            assertThat(c.getLastHeartbeatTime()).isEqualTo("2026-03-01T11:59:55Z");
        });
        assertThat(marked.getStatus().getConditions()).extracting(NodeCondition::getType)
                .containsExactly("Ready", "MemoryPressure", "DiskPressure", "NetworkUnavailable");
    }

    @Test
    void conditionThatIsUnknownAlreadyIsLeftAsItIs() {
        NodeCondition alreadyUnknown = new NodeConditionBuilder().withType("DiskPressure").withStatus("Unknown")
                .withReason("AgentSaysSo").withMessage("disk probe timed out").withLastTransitionTime(EARLIER).build();
        Node node = node("Ready=True").editStatus().addToConditions(alreadyUnknown).endStatus().build();

        Node marked = NodeLifecycle.markUnknownAfterGracePeriod(node, STALE, NOW, GRACE);

        assertThat(marked.getStatus().getConditions().get(0).getReason()).isEqualTo(NODE_STATUS_UNKNOWN);
        assertThat(marked.getStatus().getConditions().get(1)).isEqualTo(alreadyUnknown);
    }

    @Test
    void nodeWhoseConditionsAreAllUnknownIsReturnedUnchanged() {
        Node once = NodeLifecycle.markUnknownAfterGracePeriod(node("Ready=True", "PIDPressure=False").build(), STALE,
                NOW, GRACE);

        assertThat(NodeLifecycle.markUnknownAfterGracePeriod(once, STALE, NOW.plusSeconds(30), GRACE)).isSameAs(once);
    }

    @Test
    void freshHeartbeatLeavesConditionsAlone() {
        Node node = node("Ready=True").build();

        assertThat(NodeLifecycle.markUnknownAfterGracePeriod(node, FRESH, NOW, GRACE)).isSameAs(node);
        assertThat(NodeLifecycle.markUnknownAfterGracePeriod(node, NOW.minus(GRACE), NOW, GRACE)).isSameAs(node);
    }

    @Test
    void nodeThatNeverHeartbeatsIsNeverMarkedUnknown() {
        Node node = node("Ready=True").build();

        assertThat(NodeLifecycle.markUnknownAfterGracePeriod(node, NEVER, NOW, GRACE)).isSameAs(node);
    }

    @Test
    void silentNodeWithoutReadyConditionGetsReadyUnknownNeverUpdated() {
        Node marked = NodeLifecycle.markUnknownAfterGracePeriod(node("MemoryPressure=False").build(), STALE, NOW, GRACE);

        assertThat(marked.getStatus().getConditions()).extracting(NodeCondition::getType, NodeCondition::getStatus,
                NodeCondition::getReason).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("Ready", "Unknown", NODE_STATUS_NEVER_UPDATED),
                        org.assertj.core.groups.Tuple.tuple("MemoryPressure", "Unknown", NODE_STATUS_UNKNOWN));
        assertThat(marked.getStatus().getConditions().get(0).getMessage())
                .isEqualTo("Kubelet never posted node status.");
    }

    @Test
    void silentNodeWithoutStatusGetsReadyUnknown() {
        Node bare = new NodeBuilder().withNewMetadata().withName("bare").endMetadata().build();

        Node marked = NodeLifecycle.markUnknownAfterGracePeriod(bare, STALE, NOW, GRACE);

        assertThat(marked.getStatus().getConditions()).singleElement()
                .satisfies(c -> assertThat(c.getType() + "=" + c.getStatus()).isEqualTo("Ready=Unknown"));
        assertThat(bare.getStatus()).isNull();
    }

    @Test
    void markingDoesNotChangeTheNodeItIsGiven() {
        Node node = node("Ready=True", "DiskPressure=True").build();
        Node copy = new NodeBuilder(node).build();

        NodeLifecycle.markUnknownAfterGracePeriod(node, STALE, NOW, GRACE);

        assertThat(node).isEqualTo(copy);
    }

    @Test
    void markedNodeGetsTheSameTaintsAsTheSilentNodeItWas() {
        Node silent = withTaints(node("Ready=False", "MemoryPressure=True"), "a:NoSchedule", NOT_READY_NS, MEMORY_NS);

        Node marked = NodeLifecycle.markUnknownAfterGracePeriod(silent, STALE, NOW, GRACE);

        assertThat(NodeLifecycle.taintsFor(marked, STALE, NOW, GRACE))
                .isEqualTo(NodeLifecycle.taintsFor(silent, STALE, NOW, GRACE))
                .extracting(NodeLifecycleTest::render).containsExactly("a:NoSchedule", UNREACHABLE_NS, UNREACHABLE_NE);
        // Even once heartbeats are not consulted, Ready=Unknown alone keeps the node unreachable.
        assertThat(NodeLifecycle.taintsFor(marked, NEVER, NOW, GRACE)).extracting(NodeLifecycleTest::render)
                .containsExactly("a:NoSchedule", UNREACHABLE_NS, UNREACHABLE_NE);
    }

    @Test
    void isManagedKnowsExactlyTheLifecycleKeyEffectPairs() {
        assertThat(Stream.of(NOT_READY_NS, NOT_READY_NE, UNREACHABLE_NS, UNREACHABLE_NE, MEMORY_NS, DISK_NS, PID_NS,
                NETWORK_NS, UNSCHEDULABLE_NS).map(NodeLifecycleTest::taint)).allMatch(NodeLifecycle::isManaged);
        assertThat(Stream.of("node.kubernetes.io/not-ready:PreferNoSchedule", "node.kubernetes.io/disk-pressure:NoExecute",
                "node.kubernetes.io/unschedulable:NoExecute", "example.com/not-ready:NoSchedule", "not-ready:NoSchedule")
                .map(NodeLifecycleTest::taint)).noneMatch(NodeLifecycle::isManaged);
    }
}
