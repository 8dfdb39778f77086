package io.dsplane.noderegistry.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Rules of {@link NodeLifecycle} over arbitrary nodes: conditions, cordon, user and lifecycle taints, heartbeats. */
class NodeLifecyclePropertiesTest {

    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    static final Duration GRACE = Duration.ofSeconds(40);
    static final List<String> CONDITIONS = List.of("Ready", "MemoryPressure", "DiskPressure", "PIDPressure",
            "NetworkUnavailable", "CustomProbe");
    static final List<String> TAINT_KEYS = List.of("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable",
            "node.kubernetes.io/memory-pressure", "node.kubernetes.io/disk-pressure",
            "node.kubernetes.io/pid-pressure", "node.kubernetes.io/network-unavailable",
            "node.kubernetes.io/unschedulable", "dedicated", "example.com/gpu", "spot");

    record Input(Node node, Instant lastHeartbeat) {
    }

    @Provide
    Arbitrary<Input> nodes() {
        Arbitrary<List<NodeCondition>> conditions = Arbitraries.of("True", "False", "Unknown", "absent")
                .list().ofSize(CONDITIONS.size()).map(statuses -> {
                    List<NodeCondition> out = new ArrayList<>();
                    for (int i = 0; i < statuses.size(); i++) {
                        if (!statuses.get(i).equals("absent")) {
                            out.add(new NodeConditionBuilder().withType(CONDITIONS.get(i)).withStatus(statuses.get(i))
                                    .build());
                        }
                    }
                    return out;
                });
        Arbitrary<Taint> taint = Combinators.combine(Arbitraries.of(TAINT_KEYS),
                Arbitraries.of("NoSchedule", "NoExecute", "PreferNoSchedule"),
                Arbitraries.of("v1", "gpu").injectNull(0.6), Arbitraries.of("2026-01-01T00:00:00Z").injectNull(0.5))
                .as((k, e, v, t) -> new TaintBuilder().withKey(k).withEffect(e).withValue(v).withTimeAdded(t).build());
        // Taints are unique per key and effect, as validation demands.
        Arbitrary<List<Taint>> taints = taint.list().ofMaxSize(8).map(list -> {
            Map<String, Taint> unique = new LinkedHashMap<>();
            list.forEach(t -> unique.putIfAbsent(t.getKey() + ":" + t.getEffect(), t));
            return new ArrayList<>(unique.values());
        });
        // Heartbeats from just now to three grace periods ago, or none at all (a REST-only node).
        Arbitrary<Instant> heartbeat = Arbitraries.longs().between(0, 120).map(NOW::minusSeconds).injectNull(0.25);
        return Combinators.combine(conditions, taints, Arbitraries.of(true, false).injectNull(0.3), heartbeat)
                .as((cs, ts, cordon, hb) -> new Input(new NodeBuilder().withNewMetadata().withName("n").endMetadata()
                        .withNewSpec().withUnschedulable(cordon).withTaints(ts).endSpec()
                        .withNewStatus().withConditions(cs).endStatus().build(), hb));
    }

    private static List<Taint> taintsFor(Input in) {
        return NodeLifecycle.taintsFor(in.node(), in.lastHeartbeat(), NOW, GRACE);
    }

    @Property
    void userTaintsAreKeptExactlyAndInOrder(@ForAll("nodes") Input in) {
        List<Taint> user = in.node().getSpec().getTaints().stream().filter(t -> !NodeLifecycle.isManaged(t)).toList();

        assertThat(taintsFor(in).stream().filter(t -> !NodeLifecycle.isManaged(t)).toList()).isEqualTo(user);
    }

    @Property
    void lifecycleTaintsAreUniqueAndCarryTimeAddedButNoValue(@ForAll("nodes") Input in) {
        List<Taint> managed = taintsFor(in).stream().filter(NodeLifecycle::isManaged).toList();

        assertThat(managed).extracting(t -> t.getKey() + ":" + t.getEffect()).doesNotHaveDuplicates();
        assertThat(managed).allSatisfy(t -> {
            assertThat(t.getTimeAdded()).isNotNull();
            assertThat(t.getValue()).isNull();
        });
    }

    @Property
    void cordonTaintIsThereExactlyWhenTheNodeIsCordoned(@ForAll("nodes") Input in) {
        boolean cordoned = Boolean.TRUE.equals(in.node().getSpec().getUnschedulable());

        assertThat(taintsFor(in)).extracting(t -> t.getKey() + ":" + t.getEffect())
                .matches(l -> l.contains("node.kubernetes.io/unschedulable:NoSchedule") == cordoned);
    }

    @Property
    void notReadyAndUnreachableNeverComeTogether(@ForAll("nodes") Input in) {
        List<String> keys = taintsFor(in).stream().filter(NodeLifecycle::isManaged).map(Taint::getKey).toList();

        assertThat(keys.contains("node.kubernetes.io/not-ready") && keys.contains("node.kubernetes.io/unreachable"))
                .isFalse();
    }

    @Property
    void recomputingIsIdempotent(@ForAll("nodes") Input in) {
        List<Taint> once = taintsFor(in);
        Node stored = NodeLifecycle.withTaints(in.node(), once);

        Instant heartbeatAsOld = in.lastHeartbeat() == null ? null : in.lastHeartbeat().plusSeconds(1);
        assertThat(NodeLifecycle.taintsFor(stored, heartbeatAsOld, NOW.plusSeconds(1), GRACE)).isEqualTo(once);
    }

    @Property
    void markingUnknownNeverChangesTheTaintsASilentNodeGets(@ForAll("nodes") Input in) {
        Node marked = NodeLifecycle.markUnknownAfterGracePeriod(in.node(), in.lastHeartbeat(), NOW, GRACE);

        assertThat(NodeLifecycle.taintsFor(marked, in.lastHeartbeat(), NOW, GRACE)).isEqualTo(taintsFor(in));
    }

    @Property
    void markingTwiceIsMarkingOnce(@ForAll("nodes") Input in) {
        Node once = NodeLifecycle.markUnknownAfterGracePeriod(in.node(), in.lastHeartbeat(), NOW, GRACE);

        assertThat(NodeLifecycle.markUnknownAfterGracePeriod(once, in.lastHeartbeat(), NOW, GRACE))
                .isSameAs(once);
    }
}
