package io.dsplane.scheduler.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.dsplane.contracts.event.EventCodec;
import io.dsplane.contracts.event.EventType;
import io.dsplane.contracts.event.PlacementDecision;
import io.dsplane.contracts.event.ResourceEvent;
import io.dsplane.contracts.event.Topics;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;

/**
 * The placement processor keeps decoded views next to its stores. Kafka Streams initialises a
 * processor again after a rebalance or a restore, with the stores as restored: these tests make
 * sure it then decides from the stores, never from what it held before.
 */
class PlacementProcessorReinitTest {

    private static final List<String> STORES = List.of(PlacementProcessor.NODES, PlacementProcessor.DAEMONSETS,
            PlacementProcessor.PODS, PlacementProcessor.ATTEMPTS, PlacementProcessor.BACKOFFS);

    private MockProcessorContext<String, Output> context;
    private long rv = 1;

    @BeforeEach
    void setUp() {
        context = new MockProcessorContext<>();
        context.setCurrentSystemTimeMs(Instant.parse("2026-06-01T00:00:00Z").toEpochMilli());
        for (String name : STORES) {
            KeyValueStore<String, byte[]> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name),
                    Serdes.String(), Serdes.ByteArray()).withLoggingDisabled().build();
            store.init(context.getStateStoreContext(), store);
            context.addStateStore(store);
        }
    }

    private static final Duration RESYNC_INTERVAL = Duration.ofSeconds(10);

    private PlacementProcessor started() {
        PlacementProcessor p = new PlacementProcessor(RESYNC_INTERVAL, Duration.ofMinutes(1));
        p.init(context);
        return p;
    }

    /** A processor whose sweeps over every pair take one node per step. */
    private PlacementProcessor startedWithOneNodePerSweepStep() {
        PlacementProcessor p = new PlacementProcessor(RESYNC_INTERVAL, Duration.ofMinutes(1), Duration.ZERO);
        p.init(context);
        return p;
    }

    private <T extends HasMetadata> byte[] event(EventType type, T obj) {
        obj.getMetadata().setResourceVersion(Long.toString(rv++));
        return EventCodec.encode(new ResourceEvent<>(1, UUID.randomUUID().toString(), type,
                obj.getMetadata().getResourceVersion(), Instant.now(), obj));
    }

    private void in(PlacementProcessor p, WorkItem.Kind kind, String key, byte[] value) {
        p.process(new Record<>(key, new WorkItem(kind, value), context.currentSystemTimeMs()));
    }

    private static Node node(String name, Map<String, String> labels) {
        return new NodeBuilder().withNewMetadata().withName(name).withUid("uid-" + name).withLabels(labels)
                .endMetadata().withNewSpec().endSpec().build();
    }

    private static DaemonSet ds(String name) {
        return new DaemonSetBuilder().withNewMetadata().withName(name).withNamespace("default")
                .withUid("uid-" + name).withGeneration(1L).endMetadata()
                .withNewSpec().withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("img").endContainer().endSpec()
                .endTemplate().endSpec().build();
    }

    /** The records forwarded to daemonset-service (node states) since the last reset, by key; null = tombstone. */
    private List<Map.Entry<String, byte[]>> nodeStates() {
        return context.forwarded().stream()
                .filter(f -> Topics.DAEMONSET_NODE_STATES.equals(f.record().value().topic()))
                .map(f -> new java.util.AbstractMap.SimpleEntry<>(f.record().key(), f.record().value().value()))
                .map(e -> (Map.Entry<String, byte[]>) e).toList();
    }

    private List<PlacementDecision> decisions() {
        List<PlacementDecision> out = context.forwarded().stream().map(f -> f.record().value())
                .filter(o -> Topics.PLACEMENT_DECISIONS.equals(o.topic()))
                .map(o -> EventCodec.decodeDecision(o.value())).toList();
        context.resetForwards();
        return out;
    }

    /** A node with one confirmed pod of DaemonSet "all"; returns that pod. */
    private Pod nodeWithItsPod(PlacementProcessor p) {
        in(p, WorkItem.Kind.DAEMONSET, "default/all", event(EventType.ADDED, ds("all")));
        in(p, WorkItem.Kind.NODE, "n1", event(EventType.ADDED, node("n1", Map.of())));
        PlacementDecision create = decisions().get(0);
        Pod pod = create.pod();
        pod.getMetadata().setUid(UUID.randomUUID().toString());
        in(p, WorkItem.Kind.POD, "n1", event(EventType.ADDED, pod));
        assertThat(decisions()).isEmpty();
        return pod;
    }

    /**
     * goneInRestoredStores writes what a processor that handled the pod's deletion leaves in the stores
     * (the pod gone, its attempt remembered), behind the back of the processor under test.
     */
    private void goneInRestoredStores(Pod pod) {
        KeyValueStore<String, byte[]> pods = context.getStateStore(PlacementProcessor.PODS);
        pods.delete(PlacementProcessor.podKey("n1", pod));
        KeyValueStore<String, byte[]> attempts = context.getStateStore(PlacementProcessor.ATTEMPTS);
        attempts.put("uid-all|n1", "1".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** resync runs the resync of the processor initialised last. */
    private void resync() {
        punctuator(RESYNC_INTERVAL).orElseThrow().getPunctuator().punctuate(context.currentSystemTimeMs());
    }

    /** The step punctuator of the sweep in progress, if one is. */
    private Optional<MockProcessorContext.CapturedPunctuator> sweepSteps() {
        return punctuator(PlacementProcessor.SWEEP_STEP_INTERVAL);
    }

    /** nextSweepStep runs the next step of the sweep in progress. */
    private void nextSweepStep() {
        sweepSteps().orElseThrow().getPunctuator().punctuate(context.currentSystemTimeMs());
    }

    /**
     * Restored stores with these nodes, a processor that sweeps one node per step, and its first
     * resync: the sweep has decided the first node.
     */
    private PlacementProcessor sweptThroughTheFirstOf(String... nodeNames) {
        restoredWithoutPods(nodeNames);
        PlacementProcessor p = startedWithOneNodePerSweepStep();
        resync();
        assertThat(decisions()).extracting(PlacementDecision::nodeName).containsExactly(nodeNames[0]);
        return p;
    }

    /** The punctuator with that interval scheduled last and not cancelled. */
    private Optional<MockProcessorContext.CapturedPunctuator> punctuator(Duration interval) {
        return context.scheduledPunctuators().stream()
                .filter(c -> c.getType() == PunctuationType.WALL_CLOCK_TIME && c.getInterval().equals(interval))
                .reduce((a, b) -> b).filter(c -> !c.cancelled());
    }

    /** Stores as a restore leaves them: the DaemonSet "all" and these nodes, no pods; no input follows. */
    private void restoredWithoutPods(String... nodeNames) {
        KeyValueStore<String, byte[]> daemonSets = context.getStateStore(PlacementProcessor.DAEMONSETS);
        daemonSets.put("default/all", EventCodec.encode(ds("all")));
        KeyValueStore<String, byte[]> nodes = context.getStateStore(PlacementProcessor.NODES);
        for (String name : nodeNames) {
            nodes.put(name, EventCodec.encode(node(name, Map.of())));
        }
    }

    /** fail reports the pod as Failed; returns the decisions that follow. */
    private List<PlacementDecision> fail(PlacementProcessor p, Pod pod) {
        pod.getStatus().setPhase("Failed");
        in(p, WorkItem.Kind.POD, "n1", event(EventType.MODIFIED, pod));
        return decisions();
    }

    /** confirm reports the pod of a CREATE as pod-service stored it; returns it. */
    private Pod confirm(PlacementProcessor p, PlacementDecision create) {
        Pod pod = create.pod();
        pod.getMetadata().setUid(UUID.randomUUID().toString());
        in(p, WorkItem.Kind.POD, "n1", event(EventType.ADDED, pod));
        return pod;
    }

    @Test
    void theFailedPodBackoffOfANodeSurvivesANewProcessorOverTheStores() {
        PlacementProcessor p = started();
        Pod first = nodeWithItsPod(p);
        assertThat(fail(p, first)).singleElement().satisfies(d -> assertThat(d.reason()).isEqualTo("FailedDaemonPod"));
        in(p, WorkItem.Kind.POD, "n1", event(EventType.DELETED, first));
        Pod second = confirm(p, decisions().get(0));

        // Kafka Streams makes a new processor for the task (a rebalance, a restart) within the 1 s backoff.
        PlacementProcessor restarted = started();
        assertThat(fail(restarted, second)).as("within the backoff the failed pod stays").isEmpty();
        resync();
        assertThat(decisions()).as("the first resync, every pair, still within the backoff").isEmpty();

        context.setCurrentSystemTimeMs(context.currentSystemTimeMs() + 1_500);
        resync();
        assertThat(decisions()).singleElement().satisfies(d -> {
            assertThat(d.action()).isEqualTo(PlacementDecision.Action.DELETE);
            assertThat(d.podName()).isEqualTo(second.getMetadata().getName());
            assertThat(d.reason()).isEqualTo("FailedDaemonPod");
        });
    }

    @Test
    void aNewProcessorOverExistingStoresDoesNotCreateThePodsAgain() {
        nodeWithItsPod(started());

        PlacementProcessor restarted = started();
        resync();
        in(restarted, WorkItem.Kind.NODE, "n1", event(EventType.MODIFIED, node("n1", Map.of("new", "label"))));
        in(restarted, WorkItem.Kind.NODE, "n2", event(EventType.ADDED, node("n2", Map.of())));

        assertThat(decisions()).singleElement().satisfies(d -> {
            assertThat(d.action()).isEqualTo(PlacementDecision.Action.CREATE);
            assertThat(d.daemonSetUid()).isEqualTo("uid-all");
            assertThat(d.nodeName()).isEqualTo("n2");
        });
    }

    @Test
    void initialisedAgainItForgetsWhatItHeldAndReadsTheStoresAsRestored() {
        PlacementProcessor p = started();
        Pod pod = nodeWithItsPod(p);
        // The stores come back from a restore without the pod (its deletion was processed elsewhere).
        goneInRestoredStores(pod);

        p.init(context);
        in(p, WorkItem.Kind.NODE, "n1", event(EventType.MODIFIED, node("n1", Map.of("new", "label"))));

        assertThat(decisions()).singleElement().satisfies(d -> {
            assertThat(d.action()).isEqualTo(PlacementDecision.Action.CREATE);
            assertThat(d.podName()).isNotEqualTo(pod.getMetadata().getName());
        });
    }

    @Test
    void theFirstResyncAfterInitialisationLooksAtEveryPair() {
        PlacementProcessor p = started();
        Pod pod = nodeWithItsPod(p);
        // Restored stores in which the pod is gone but no input about it will come again.
        goneInRestoredStores(pod);
        p.init(context);

        resync();
        assertThat(decisions()).singleElement().extracting(PlacementDecision::action)
                .isEqualTo(PlacementDecision.Action.CREATE);
        resync();
        assertThat(decisions()).isEmpty();
    }

    @Test
    void aSweepOverEveryPairGoesInStepsWithCommitsBetweenAndCoversEveryNodeOnce() {
        restoredWithoutPods("n1", "n2", "n3");
        startedWithOneNodePerSweepStep();

        resync();
        assertThat(decisions()).as("the first step, in the resync itself").extracting(PlacementDecision::nodeName)
                .containsExactly("n1");
        assertThat(sweepSteps()).as("the rest of the sweep is scheduled").isPresent();
        nextSweepStep();
        assertThat(decisions()).extracting(PlacementDecision::nodeName).containsExactly("n2");
        nextSweepStep();
        assertThat(decisions()).extracting(PlacementDecision::nodeName).containsExactly("n3");

        assertThat(sweepSteps()).as("the sweep ended with the last node").isEmpty();
        resync();
        assertThat(decisions()).as("the next resync is no sweep and nothing is due").isEmpty();
    }

    @Test
    void aNodeThatJoinsDuringASweepIsDecidedOnceAndOneThatLeavesIsSkipped() {
        PlacementProcessor p = sweptThroughTheFirstOf("n1", "n3");

        in(p, WorkItem.Kind.NODE, "n2", event(EventType.ADDED, node("n2", Map.of())));
        in(p, WorkItem.Kind.NODE, "n3", null);
        assertThat(decisions()).as("n2 decided by its own event").extracting(PlacementDecision::nodeName)
                .containsExactly("n2");
        nextSweepStep();

        assertThat(decisions()).as("the sweep finds n2's pod expected and n3 gone").isEmpty();
        assertThat(sweepSteps()).isEmpty();
    }

    @Test
    void aSweepInProgressIsDroppedWhenTheProcessorIsInitialisedAgainAndTheFirstResyncStartsAnew() {
        PlacementProcessor p = sweptThroughTheFirstOf("n1", "n2");
        // A restore without the pod of n1 (the transaction that held its CREATE was aborted).
        KeyValueStore<String, byte[]> pods = context.getStateStore(PlacementProcessor.PODS);
        try (var all = pods.all()) {
            all.forEachRemaining(kv -> pods.delete(kv.key));
        }

        p.init(context);
        assertThat(sweepSteps()).as("the old sweep's steps are cancelled").isEmpty();
        resync();
        assertThat(decisions()).extracting(PlacementDecision::nodeName).containsExactly("n1");
        nextSweepStep();
        assertThat(decisions()).extracting(PlacementDecision::nodeName).containsExactly("n2");
        assertThat(sweepSteps()).isEmpty();
    }

    @Test
    void everySixthResyncAfterTheFirstLooksAtEveryPairAgain() {
        assertThat(PlacementProcessor.fullResyncDue(true, 1)).isTrue();
        for (int n = 2; n <= 13; n++) {
            assertThat(PlacementProcessor.fullResyncDue(false, n)).as("resync %d", n)
                    .isEqualTo(n % PlacementProcessor.FULL_RESYNC_EVERY == 0);
        }
    }

    @Test
    void aStateIsSentOnceWhileItStaysTheSameAndOnceMoreAfterInitialisation() {
        PlacementProcessor p = started();
        nodeWithItsPod(p);
        context.resetForwards();
        in(p, WorkItem.Kind.NODE, "n1", event(EventType.MODIFIED, node("n1", Map.of("new", "label"))));
        resync();
        assertThat(nodeStates()).as("nothing changed for the pair").isEmpty();

        // What was sent is kept in memory only: initialised again, the first resync sends it again.
        p.init(context);
        resync();
        assertThat(nodeStates()).singleElement().satisfies(e -> {
            assertThat(e.getKey()).isEqualTo("default/all|n1");
            assertThat(e.getValue()).isNotNull();
        });
    }

    @Test
    void aNodeDeletedAfterInitialisationHasItsStatesTombstonedThoughMemoryOfThemIsGone() {
        PlacementProcessor p = started();
        nodeWithItsPod(p);
        p.init(context);
        context.resetForwards();

        in(p, WorkItem.Kind.NODE, "n1", null);

        assertThat(nodeStates()).singleElement().satisfies(e -> {
            assertThat(e.getKey()).isEqualTo("default/all|n1");
            assertThat(e.getValue()).isNull();
        });
        assertThat(context.forwarded()).filteredOn(f -> PlacementProcessor.ROLLOUT.equals(f.record().value().topic()))
                .singleElement().satisfies(f -> assertThat(f.record().value().value()).isNull());
    }

    @Test
    void aDaemonSetDeletedAfterInitialisationHasItsStateOnEveryNodeTombstoned() {
        PlacementProcessor p = started();
        nodeWithItsPod(p);
        in(p, WorkItem.Kind.NODE, "n2", event(EventType.ADDED, node("n2", Map.of())));
        p.init(context);
        context.resetForwards();

        in(p, WorkItem.Kind.DAEMONSET, "default/all", null);

        assertThat(nodeStates()).extracting(Map.Entry::getKey).containsExactlyInAnyOrder("default/all|n1",
                "default/all|n2");
        assertThat(nodeStates()).allSatisfy(e -> assertThat(e.getValue()).isNull());
    }
}
