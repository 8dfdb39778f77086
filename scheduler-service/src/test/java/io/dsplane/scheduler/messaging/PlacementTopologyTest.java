package io.dsplane.scheduler.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
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

/** Drives the whole scheduler topology without a broker: inputs on the state topics, decisions out. */
class PlacementTopologyTest {

    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> nodes;
    private TestInputTopic<String, byte[]> daemonSets;
    private TestInputTopic<String, byte[]> pods;
    private TestOutputTopic<String, byte[]> decisions;
    private TestOutputTopic<String, byte[]> parked;
    private TestOutputTopic<String, byte[]> nodeStates;
    private long rv = 1;

    private static Properties streamsProps() {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "scheduler-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        try {
            p.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("topology").toString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return p;
    }

    @BeforeEach
    void setUp() {
        start(Duration.ofHours(1), Duration.ofMinutes(1));
    }

    /** start (re)builds the driver with the given resync interval and expectation timeout. */
    private void start(Duration resyncInterval, Duration expectationTimeout) {
        if (driver != null) {
            driver.close();
        }
        driver = new TopologyTestDriver(TopologyProducer.build(resyncInterval, expectationTimeout, 3),
                streamsProps());
        nodes = driver.createInputTopic(Topics.NODES, new StringSerializer(), new ByteArraySerializer());
        daemonSets = driver.createInputTopic(Topics.DAEMONSETS, new StringSerializer(), new ByteArraySerializer());
        pods = driver.createInputTopic(Topics.PODS, new StringSerializer(), new ByteArraySerializer());
        decisions = driver.createOutputTopic(Topics.PLACEMENT_DECISIONS, new StringDeserializer(),
                new ByteArrayDeserializer());
        parked = driver.createOutputTopic(Topics.PARKED, new StringDeserializer(), new ByteArrayDeserializer());
        nodeStates = driver.createOutputTopic(Topics.DAEMONSET_NODE_STATES, new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    private <T extends HasMetadata> byte[] event(EventType type, T obj) {
        obj.getMetadata().setResourceVersion(Long.toString(rv++));
        return EventCodec.encode(new ResourceEvent<>(1, UUID.randomUUID().toString(), type,
                obj.getMetadata().getResourceVersion(), Instant.now(), obj));
    }

    /** eventAt is an event of the object at the given resourceVersion. */
    private static <T extends HasMetadata> byte[] eventAt(EventType type, T obj, long version) {
        obj.getMetadata().setResourceVersion(Long.toString(version));
        return EventCodec.encode(new ResourceEvent<>(1, UUID.randomUUID().toString(), type,
                obj.getMetadata().getResourceVersion(), Instant.now(), obj));
    }

    private static Node node(String name, Map<String, String> labels) {
        return new NodeBuilder().withNewMetadata().withName(name).withUid(UUID.randomUUID().toString())
                .withLabels(labels).endMetadata().withNewSpec().endSpec().build();
    }

    private static DaemonSet ds(String name, Map<String, String> nodeSelector) {
        return new DaemonSetBuilder().withNewMetadata().withName(name).withNamespace("default")
                .withUid("uid-" + name).withGeneration(1L).endMetadata()
                .withNewSpec().withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().withNodeSelector(nodeSelector).addNewContainer().withName("c").withImage("img")
                .endContainer().endSpec().endTemplate().endSpec().build();
    }

    private List<PlacementDecision> drain() {
        return decisions.readRecordsToList().stream().map(r -> EventCodec.decodeDecision(r.value())).toList();
    }

    /** materialize plays pod-service: each CREATE becomes an ADDED pod event with a uid. */
    private void materialize(List<PlacementDecision> ds) {
        for (PlacementDecision d : ds) {
            if (d.action() == PlacementDecision.Action.CREATE) {
                Pod pod = d.pod();
                pod.getMetadata().setUid(UUID.randomUUID().toString());
                pods.pipeInput(pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName(),
                        event(EventType.ADDED, pod));
            }
        }
    }

    @Test
    void everyEligibleNodeGetsExactlyOnePod() {
        nodes.pipeInput("n1", event(EventType.ADDED, node("n1", Map.of("disk", "ssd"))));
        nodes.pipeInput("n2", event(EventType.ADDED, node("n2", Map.of("disk", "hdd"))));
        daemonSets.pipeInput("default/all", event(EventType.ADDED, ds("all", Map.of())));
        daemonSets.pipeInput("default/ssd", event(EventType.ADDED, ds("ssd", Map.of("disk", "ssd"))));
        List<PlacementDecision> out = drain();
        assertThat(out).allMatch(d -> d.action() == PlacementDecision.Action.CREATE);
        assertThat(out).extracting(d -> d.pod().getMetadata().getOwnerReferences().get(0).getName() + "@" + d.nodeName())
                .containsExactlyInAnyOrder("all@n1", "all@n2", "ssd@n1");
        PlacementDecision first = out.get(0);
        assertThat(first.pod().getSpec().getNodeName()).isEqualTo(first.nodeName());
        assertThat(first.pod().getMetadata().getName()).startsWith(first.pod().getMetadata().getOwnerReferences()
                .get(0).getName() + "-");
    }

    @Test
    void repeatedTriggersBeforePodServiceAnswersNeverDoubleAPod() {
        daemonSets.pipeInput("default/all", event(EventType.ADDED, ds("all", Map.of())));
        Node n1 = node("n1", Map.of());
        nodes.pipeInput("n1", event(EventType.ADDED, n1));
        nodes.pipeInput("n1", event(EventType.MODIFIED, n1));
        daemonSets.pipeInput("default/all", event(EventType.MODIFIED, ds("all", Map.of())));
        List<PlacementDecision> out = drain();
        assertThat(out).hasSize(1);
        materialize(out);
        nodes.pipeInput("n1", event(EventType.MODIFIED, n1));
        assertThat(drain()).isEmpty();
    }

    @Test
    void podsFollowLabelChangesNodeDeletionAndDaemonSetDeletion() {
        daemonSets.pipeInput("default/ssd", event(EventType.ADDED, ds("ssd", Map.of("disk", "ssd"))));
        Node n1 = node("n1", Map.of("disk", "ssd"));
        nodes.pipeInput("n1", event(EventType.ADDED, n1));
        List<PlacementDecision> created = drain();
        assertThat(created).hasSize(1);
        materialize(created);

        // Label no longer matches: the pod is deleted.
        nodes.pipeInput("n1", event(EventType.MODIFIED, node("n1", Map.of("disk", "hdd"))));
        List<PlacementDecision> deleted = drain();
        assertThat(deleted).singleElement().satisfies(d -> {
            assertThat(d.action()).isEqualTo(PlacementDecision.Action.DELETE);
            assertThat(d.podName()).isEqualTo(created.get(0).podName());
        });

        // A new matching node gets a pod; deleting the node removes it; deleting the DS removes the rest.
        nodes.pipeInput("n2", event(EventType.ADDED, node("n2", Map.of("disk", "ssd"))));
        List<PlacementDecision> onN2 = drain();
        assertThat(onN2).singleElement().extracting(PlacementDecision::nodeName).isEqualTo("n2");
        materialize(onN2);
        nodes.pipeInput("n2", event(EventType.DELETED, node("n2", Map.of("disk", "ssd"))));
        assertThat(drain()).singleElement().satisfies(d -> {
            assertThat(d.action()).isEqualTo(PlacementDecision.Action.DELETE);
            assertThat(d.reason()).isEqualTo(PlacementProcessor.REASON_NODE_DELETED);
        });

        nodes.pipeInput("n3", event(EventType.ADDED, node("n3", Map.of("disk", "ssd"))));
        materialize(drain());
        daemonSets.pipeInput("default/ssd", event(EventType.DELETED, ds("ssd", Map.of("disk", "ssd"))));
        assertThat(drain()).singleElement().satisfies(d -> {
            assertThat(d.action()).isEqualTo(PlacementDecision.Action.DELETE);
            assertThat(d.nodeName()).isEqualTo("n3");
            assertThat(d.reason()).isEqualTo(PlacementProcessor.REASON_DAEMONSET_DELETED);
        });
    }

    @Test
    void deletedPodIsReplacedOnceItIsGone() {
        daemonSets.pipeInput("default/all", event(EventType.ADDED, ds("all", Map.of())));
        nodes.pipeInput("n1", event(EventType.ADDED, node("n1", Map.of())));
        List<PlacementDecision> created = drain();
        materialize(created);
        Pod pod = created.get(0).pod();
        pods.pipeInput("default/" + pod.getMetadata().getName(), event(EventType.DELETED, pod));
        List<PlacementDecision> replacement = drain();
        assertThat(replacement).singleElement().satisfies(d -> {
            assertThat(d.action()).isEqualTo(PlacementDecision.Action.CREATE);
            assertThat(d.podName()).isNotEqualTo(pod.getMetadata().getName());
        });
    }

    @Test
    void unreadableInputIsParkedWithReasonAndProcessingGoesOn() {
        nodes.pipeInput(new TestRecord<>("n-bad", "{not json".getBytes()));
        nodes.pipeInput("n-other", event(EventType.ADDED, node("n-wrong-key", Map.of())));
        daemonSets.pipeInput("default/all", event(EventType.ADDED, ds("all", Map.of())));
        nodes.pipeInput("n1", event(EventType.ADDED, node("n1", Map.of())));
        var parkedRecords = parked.readRecordsToList();
        assertThat(parkedRecords).extracting(TestRecord::key).containsExactly("n-bad", "n-other");
        assertThat(new String(parkedRecords.get(0).headers().lastHeader("dead-letter-reason").value()))
                .contains("not valid JSON");
        assertThat(drain()).singleElement().extracting(PlacementDecision::nodeName).isEqualTo("n1");
    }

    private static Node sizedNode(String name, String cpu) {
        Node n = node(name, Map.of());
        n.setStatus(new io.fabric8.kubernetes.api.model.NodeStatusBuilder()
                .addToAllocatable("cpu", new io.fabric8.kubernetes.api.model.Quantity(cpu))
                .addToAllocatable("pods", new io.fabric8.kubernetes.api.model.Quantity("110")).build());
        return n;
    }

    private static DaemonSet requesting(String name, String cpu, String priorityClass) {
        DaemonSet d = ds(name, Map.of());
        var c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
        c.setResources(new io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder()
                .addToRequests("cpu", new io.fabric8.kubernetes.api.model.Quantity(cpu)).build());
        d.getSpec().getTemplate().getSpec().setPriorityClassName(priorityClass);
        return d;
    }

    private Pod workload(String name, String node, String cpu, int priority) {
        Pod p = new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata().withName(name)
                .withNamespace("default").withUid(UUID.randomUUID().toString()).addToLabels("app", "web")
                .withCreationTimestamp("2026-01-01T00:00:00Z").endMetadata()
                .withNewSpec().withNodeName(node).withPriority(priority).addNewContainer().withName("c")
                .withImage("web").withNewResources().addToRequests("cpu",
                        new io.fabric8.kubernetes.api.model.Quantity(cpu)).endResources().endContainer().endSpec()
                .withNewStatus().withPhase("Running").endStatus().build();
        pods.pipeInput("default/" + name, event(EventType.ADDED, p));
        return p;
    }

    @Test
    void nodeStatesAreEmittedOnChangeOnlyAndTombstonedWhenTheNodeGoes() {
        daemonSets.pipeInput("default/all", event(EventType.ADDED, ds("all", Map.of())));
        Node n1 = node("n1", Map.of());
        nodes.pipeInput("n1", event(EventType.ADDED, n1));
        materialize(drain());
        var states = nodeStates.readRecordsToList();
        var last = EventCodec.decode(states.get(states.size() - 1).value(),
                io.dsplane.contracts.event.DaemonSetNodeState.class);
        assertThat(states.get(states.size() - 1).key()).isEqualTo("default/all|n1");
        assertThat(last.shouldRun()).isTrue();
        assertThat(last.pods()).isEqualTo(1);
        assertThat(last.oldestPod().ready()).isFalse();

        // A status-only DaemonSet change decides nothing and states nothing new.
        DaemonSet withStatus = ds("all", Map.of());
        withStatus.setStatus(new io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder()
                .withDesiredNumberScheduled(1).build());
        daemonSets.pipeInput("default/all", event(EventType.MODIFIED, withStatus));
        nodes.pipeInput("n1", event(EventType.MODIFIED, n1));
        assertThat(drain()).isEmpty();
        assertThat(nodeStates.readRecordsToList()).isEmpty();

        nodes.pipeInput("n1", event(EventType.DELETED, n1));
        drain();
        assertThat(nodeStates.readRecordsToList()).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo("default/all|n1");
            assertThat(r.value()).isNull();
        });
    }

    @Test
    void podThatDoesNotFitStaysPendingUnboundAndIsBoundWhenRoomAppears() {
        nodes.pipeInput("small", event(EventType.ADDED, sizedNode("small", "1")));
        Pod web = workload("web-1", "small", "800m", 0);
        daemonSets.pipeInput("default/agent", event(EventType.ADDED, requesting("agent", "500m", null)));
        List<PlacementDecision> out = drain();
        assertThat(out).singleElement().satisfies(d -> {
            assertThat(d.action()).isEqualTo(PlacementDecision.Action.CREATE);
            assertThat(d.pod().getSpec().getNodeName()).isNull();
            assertThat(d.pod().getStatus().getConditions()).anySatisfy(c -> {
                assertThat(c.getType()).isEqualTo("PodScheduled");
                assertThat(c.getStatus()).isEqualTo("False");
                assertThat(c.getReason()).isEqualTo("Unschedulable");
                assertThat(c.getMessage()).contains("Insufficient cpu");
            });
        });
        materialize(out);
        assertThat(drain()).isEmpty();

        pods.pipeInput("default/web-1", event(EventType.DELETED, web));
        assertThat(drain()).singleElement().satisfies(d -> {
            assertThat(d.action()).isEqualTo(PlacementDecision.Action.BIND);
            assertThat(d.podName()).isEqualTo(out.get(0).podName());
            assertThat(d.nodeName()).isEqualTo("small");
        });
    }

    @Test
    void criticalDaemonPodPreemptsLowerPriorityPodsOnly() {
        nodes.pipeInput("small", event(EventType.ADDED, sizedNode("small", "1")));
        workload("low", "small", "400m", 10);
        workload("high", "small", "400m", 2_000_001_000);
        daemonSets.pipeInput("default/cni", event(EventType.ADDED,
                requesting("cni", "500m", "system-node-critical")));
        List<PlacementDecision> out = drain();
        assertThat(out).extracting(PlacementDecision::action)
                .containsExactly(PlacementDecision.Action.EVICT, PlacementDecision.Action.CREATE);
        assertThat(out.get(0).podName()).isEqualTo("low");
        assertThat(out.get(0).reason()).isEqualTo("PreemptionByScheduler");
        assertThat(out.get(1).pod().getSpec().getNodeName()).isEqualTo("small");
    }

    @Test
    void orphanPodMatchingTheSelectorIsAdoptedInsteadOfCreatingAnother() {
        nodes.pipeInput("n1", event(EventType.ADDED, node("n1", Map.of())));
        Pod orphan = new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata().withName("stray")
                .withNamespace("default").withUid("uid-stray").addToLabels("app", "all")
                .withCreationTimestamp("2026-01-01T00:00:00Z").endMetadata()
                .withNewSpec().withNodeName("n1").addNewContainer().withName("c").withImage("i").endContainer()
                .endSpec().withNewStatus().withPhase("Running").endStatus().build();
        pods.pipeInput("default/stray", event(EventType.ADDED, orphan));
        daemonSets.pipeInput("default/all", event(EventType.ADDED, ds("all", Map.of())));
        assertThat(drain()).singleElement().satisfies(d -> {
            assertThat(d.action()).isEqualTo(PlacementDecision.Action.ADOPT);
            assertThat(d.podName()).isEqualTo("stray");
            assertThat(d.daemonSetUid()).isEqualTo("uid-all");
        });
    }

    @Test
    void failedPodIsDeletedAndReplaced() {
        daemonSets.pipeInput("default/all", event(EventType.ADDED, ds("all", Map.of())));
        nodes.pipeInput("n1", event(EventType.ADDED, node("n1", Map.of())));
        List<PlacementDecision> created = drain();
        materialize(created);
        Pod pod = created.get(0).pod();
        pod.getMetadata().setUid("uid-failing");
        pod.getStatus().setPhase("Failed");
        pods.pipeInput("default/" + pod.getMetadata().getName(), event(EventType.MODIFIED, pod));
        assertThat(drain()).singleElement().satisfies(d -> {
            assertThat(d.action()).isEqualTo(PlacementDecision.Action.DELETE);
            assertThat(d.reason()).isEqualTo("FailedDaemonPod");
        });
        pods.pipeInput("default/" + pod.getMetadata().getName(), event(EventType.DELETED, pod));
        assertThat(drain()).singleElement().extracting(PlacementDecision::action)
                .isEqualTo(PlacementDecision.Action.CREATE);
    }

    @Test
    void anEventOlderThanThePodKnownChangesNothing() {
        daemonSets.pipeInput("default/all", event(EventType.ADDED, ds("all", Map.of())));
        nodes.pipeInput("n1", event(EventType.ADDED, node("n1", Map.of())));
        Pod pod = drain().get(0).pod();
        String key = "default/" + pod.getMetadata().getName();
        pod.getMetadata().setUid("uid-p");
        pods.pipeInput(key, eventAt(EventType.ADDED, pod, 20));
        assertThat(drain()).isEmpty();
        // Published again after a newer state (an outbox replay, or a record from another partition).
        pod.getStatus().setPhase("Failed");
        pods.pipeInput(key, eventAt(EventType.MODIFIED, pod, 19));
        assertThat(drain()).isEmpty();
        pods.pipeInput(key, eventAt(EventType.MODIFIED, pod, 21));
        assertThat(drain()).singleElement().extracting(PlacementDecision::reason).isEqualTo("FailedDaemonPod");
    }

    @Test
    void podsOfTheTasksOwnNodesAreReadInPlaceAndOthersReachItThroughARepartition() {
        // The driver runs partition 0 of every topic, of the 3 the topology is built for.
        String here = nodeNameOnPartition(true);
        String there = nodeNameOnPartition(false);
        TestOutputTopic<String, byte[]> elsewhere = driver.createOutputTopic(
                "scheduler-test-" + TopologyProducer.PODS_ELSEWHERE + "-repartition", new StringDeserializer(),
                new ByteArrayDeserializer());
        daemonSets.pipeInput("default/all", event(EventType.ADDED, ds("all", Map.of())));
        nodes.pipeInput(here, event(EventType.ADDED, node(here, Map.of())));
        nodes.pipeInput(there, event(EventType.ADDED, node(there, Map.of())));
        materialize(drain());
        assertThat(elsewhere.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly(there);
        KeyValueStore<String, byte[]> known = driver.getKeyValueStore(PlacementProcessor.PODS);
        List<String> podNodes = new java.util.ArrayList<>();
        try (var it = known.all()) {
            it.forEachRemaining(kv -> podNodes.add(kv.key.substring(0, kv.key.indexOf('|'))));
        }
        assertThat(podNodes).containsExactlyInAnyOrder(here, there);
        assertThat(drain()).isEmpty();
    }

    /** nodeNameOnPartition is a node name that the partitioner puts on partition 0 of 3, or not. */
    private static String nodeNameOnPartition(boolean zero) {
        for (int i = 0; ; i++) {
            String name = "node-" + i;
            if ((Topics.partitionOf(name, 3) == 0) == zero) {
                return name;
            }
        }
    }

    /** failAndDelete plays the agent and pod-service: the pod fails, is deleted as asked, and is gone. */
    private void failAndDelete(Pod pod) {
        pod.getStatus().setPhase("Failed");
        pods.pipeInput("default/" + pod.getMetadata().getName(), event(EventType.MODIFIED, pod));
        assertThat(drain()).singleElement().extracting(PlacementDecision::action)
                .isEqualTo(PlacementDecision.Action.DELETE);
        pods.pipeInput("default/" + pod.getMetadata().getName(), event(EventType.DELETED, pod));
    }

    private Map<String, String> attempts() {
        KeyValueStore<String, byte[]> store = driver.getKeyValueStore(PlacementProcessor.ATTEMPTS);
        Map<String, String> all = new java.util.TreeMap<>();
        try (var it = store.all()) {
            it.forEachRemaining(kv -> all.put(kv.key, new String(kv.value, java.nio.charset.StandardCharsets.UTF_8)));
        }
        return all;
    }

    @Test
    void aReplacementNeverTakesTheNameOfAnEarlierPodOfTheNodeAndOnlyAPodThatLeavesWritesItsAttempt() {
        daemonSets.pipeInput("default/all", event(EventType.ADDED, ds("all", Map.of())));
        nodes.pipeInput("n1", event(EventType.ADDED, node("n1", Map.of())));
        nodes.pipeInput("n2", event(EventType.ADDED, node("n2", Map.of())));
        List<PlacementDecision> created = drain();
        assertThat(created).hasSize(2);
        materialize(created);
        assertThat(attempts()).as("a cold start writes no attempt").isEmpty();

        List<String> names = new java.util.ArrayList<>();
        Pod pod = created.stream().filter(d -> d.nodeName().equals("n1")).findFirst().orElseThrow().pod();
        for (int i = 1; i <= 3; i++) {
            names.add(pod.getMetadata().getName());
            driver.advanceWallClockTime(Duration.ofSeconds(20)); // past the failed-pod backoff of the last failure
            failAndDelete(pod);
            assertThat(attempts()).containsExactly(Map.entry("uid-all|n1", Integer.toString(i)));
            PlacementDecision replacement = drain().get(0);
            assertThat(replacement.action()).isEqualTo(PlacementDecision.Action.CREATE);
            assertThat(replacement.podName()).isNotIn(names);
            materialize(List.of(replacement));
            pod = replacement.pod();
        }
    }

    @Test
    void theAttemptsOfADeletedDaemonSetAreDroppedAndThoseOfOthersKept() {
        daemonSets.pipeInput("default/a", event(EventType.ADDED, ds("a", Map.of())));
        daemonSets.pipeInput("default/b", event(EventType.ADDED, ds("b", Map.of())));
        nodes.pipeInput("n1", event(EventType.ADDED, node("n1", Map.of())));
        List<PlacementDecision> created = drain();
        materialize(created);
        Map<String, Pod> live = new java.util.HashMap<>();
        for (PlacementDecision d : created) {
            failAndDelete(d.pod());
            PlacementDecision replacement = drain().get(0);
            materialize(List.of(replacement));
            live.put(replacement.daemonSetUid(), replacement.pod());
        }
        assertThat(attempts()).containsOnlyKeys("uid-a|n1", "uid-b|n1");

        daemonSets.pipeInput("default/a", event(EventType.DELETED, ds("a", Map.of())));
        assertThat(drain()).singleElement().satisfies(d -> {
            assertThat(d.action()).isEqualTo(PlacementDecision.Action.DELETE);
            assertThat(d.podName()).isEqualTo(live.get("uid-a").getMetadata().getName());
        });
        Pod gone = live.get("uid-a");
        pods.pipeInput("default/" + gone.getMetadata().getName(), event(EventType.DELETED, gone));
        assertThat(attempts()).as("the deleted DaemonSet's pods leaving do not bring its attempts back")
                .containsOnlyKeys("uid-b|n1");
    }

    /** ready plays the agent: the pod runs and turns Ready. */
    private void ready(Pod pod) {
        pod.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Running")
                .addNewCondition().withType("Ready").withStatus("True")
                .withLastTransitionTime("2026-01-01T00:00:00Z").endCondition().build());
        pods.pipeInput("default/" + pod.getMetadata().getName(), event(EventType.MODIFIED, pod));
    }

    @Test
    void rollingUpdateReplacesOneNodeAtATimeWithinMaxUnavailable() {
        DaemonSet v1 = ds("roll", Map.of());
        daemonSets.pipeInput("default/roll", event(EventType.ADDED, v1));
        for (int i = 0; i < 4; i++) {
            nodes.pipeInput("n" + i, event(EventType.ADDED, node("n" + i, Map.of())));
        }
        Map<String, Pod> live = new java.util.HashMap<>();
        for (PlacementDecision d : drain()) {
            Pod p = d.pod();
            p.getMetadata().setUid(UUID.randomUUID().toString());
            pods.pipeInput("default/" + p.getMetadata().getName(), event(EventType.ADDED, p));
            ready(p);
            live.put(d.nodeName(), p);
        }
        assertThat(live).hasSize(4);
        String oldHash = live.get("n0").getMetadata().getLabels().get("controller-revision-hash");

        DaemonSet v2 = ds("roll", Map.of());
        v2.getMetadata().setGeneration(2L);
        v2.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("img:2");
        daemonSets.pipeInput("default/roll", event(EventType.MODIFIED, v2));

        int replaced = 0;
        for (int round = 0; round < 10 && replaced < 4; round++) {
            driver.advanceWallClockTime(Duration.ofMillis(300));
            List<PlacementDecision> deletes = drain();
            assertThat(deletes).as("round %d", round).hasSizeLessThanOrEqualTo(1);
            if (deletes.isEmpty()) {
                continue;
            }
            PlacementDecision del = deletes.get(0);
            assertThat(del.action()).isEqualTo(PlacementDecision.Action.DELETE);
            assertThat(del.reason()).isEqualTo(PlacementProcessor.REASON_ROLLING_UPDATE);
            Pod gone = live.remove(del.nodeName());
            pods.pipeInput("default/" + gone.getMetadata().getName(), event(EventType.DELETED, gone));
            List<PlacementDecision> creates = drain();
            assertThat(creates).singleElement().satisfies(c -> {
                assertThat(c.action()).isEqualTo(PlacementDecision.Action.CREATE);
                assertThat(c.nodeName()).isEqualTo(del.nodeName());
                assertThat(c.pod().getMetadata().getLabels().get("controller-revision-hash")).isNotEqualTo(oldHash);
            });
            // Not ready yet: the budget (1) is used up, nothing else moves.
            Pod fresh = creates.get(0).pod();
            fresh.getMetadata().setUid(UUID.randomUUID().toString());
            pods.pipeInput("default/" + fresh.getMetadata().getName(), event(EventType.ADDED, fresh));
            driver.advanceWallClockTime(Duration.ofMillis(300));
            assertThat(drain()).isEmpty();
            ready(fresh);
            live.put(del.nodeName(), fresh);
            replaced++;
        }
        assertThat(replaced).isEqualTo(4);
    }

    /**
     * oneCreateOnN1WithShortTimeouts starts the driver with a 1-s resync and a 2-s expectation timeout,
     * adds the DaemonSet and node n1, and returns the single CREATE that follows.
     */
    private List<PlacementDecision> oneCreateOnN1WithShortTimeouts(String dsName) {
        start(Duration.ofSeconds(1), Duration.ofSeconds(2));
        daemonSets.pipeInput("default/" + dsName, event(EventType.ADDED, ds(dsName, Map.of())));
        nodes.pipeInput("n1", event(EventType.ADDED, node("n1", Map.of())));
        List<PlacementDecision> first = drain();
        assertThat(first).singleElement().extracting(PlacementDecision::action).isEqualTo(PlacementDecision.Action.CREATE);
        return first;
    }

    @Test
    void anUnconfirmedCreateIsRepeatedWithTheSamePodNameNeverANewOne() {
        List<PlacementDecision> first = oneCreateOnN1WithShortTimeouts("all");
        // pod-service answered nothing at all: it may just be behind, so the decision is not sent again yet ...
        driver.advanceWallClockTime(Duration.ofSeconds(4));
        assertThat(drain()).isEmpty();
        // ... but past the stalled limit (5 timeouts) it is, under the same name.
        driver.advanceWallClockTime(Duration.ofSeconds(2 * PlacementProcessor.STALLED_EXPECTATION_FACTOR));
        List<PlacementDecision> repeated = drain();
        assertThat(repeated).isNotEmpty().allSatisfy(d -> {
            assertThat(d.action()).isEqualTo(PlacementDecision.Action.CREATE);
            assertThat(d.podName()).isEqualTo(first.get(0).podName());
            // The whole pod goes out again, as first sent (the store holds only its placement view, and
            // the pod is built again from its DaemonSet): images, tolerations, conditions and their times.
            assertThat(d.pod()).isEqualTo(first.get(0).pod());
            assertThat(d.pod().getSpec().getContainers()).allSatisfy(c -> assertThat(c.getImage()).isNotBlank());
            assertThat(d.pod().getSpec().getTolerations()).isNotEmpty();
        });
    }

    @Test
    void anUnconfirmedCreateOfATemplateReplacedSinceIsNotRepeated() {
        List<PlacementDecision> first = oneCreateOnN1WithShortTimeouts("all");

        DaemonSet v2 = ds("all", Map.of());
        v2.getMetadata().setGeneration(2L);
        v2.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("img:2");
        daemonSets.pipeInput("default/all", event(EventType.MODIFIED, v2));
        List<PlacementDecision> after = new ArrayList<>(drain());
        driver.advanceWallClockTime(Duration.ofSeconds(4 + 2 * PlacementProcessor.STALLED_EXPECTATION_FACTOR));
        after.addAll(drain());

        assertThat(after).as("the pod of the replaced template is never asked for again")
                .noneMatch(d -> d.action() == PlacementDecision.Action.CREATE
                        && d.podName().equals(first.get(0).podName()));
        assertThat(after).filteredOn(d -> d.action() == PlacementDecision.Action.CREATE)
                .isNotEmpty()
                .allSatisfy(d -> assertThat(d.pod().getSpec().getContainers().get(0).getImage()).isEqualTo("img:2"));
    }

    @Test
    void anUnconfirmedCreateIsRepeatedAfterTheTimeoutOncePodServiceAnsweredADecisionMadeATimeoutLater() {
        start(Duration.ofSeconds(1), Duration.ofSeconds(2));
        daemonSets.pipeInput("default/lost", event(EventType.ADDED, ds("lost", Map.of())));
        nodes.pipeInput("n1", event(EventType.ADDED, node("n1", Map.of())));
        List<PlacementDecision> lost = drain();
        assertThat(lost).singleElement().extracting(PlacementDecision::action).isEqualTo(PlacementDecision.Action.CREATE);

        // An answer to a decision made just after (within one timeout) may simply have overtaken this
        // one's on another partition: no repeat.
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        daemonSets.pipeInput("default/soon", event(EventType.ADDED, ds("soon", Map.of())));
        List<PlacementDecision> soon = drain();
        assertThat(soon).singleElement().satisfies(d -> assertThat(d.daemonSetUid())
                .isNotEqualTo(lost.get(0).daemonSetUid()));
        materialize(soon);
        driver.advanceWallClockTime(Duration.ofSeconds(3));
        assertThat(drain()).as("nothing repeated while only a close answer came").isEmpty();

        // pod-service answered a decision made more than a timeout later: this one was lost, not queued.
        daemonSets.pipeInput("default/later", event(EventType.ADDED, ds("later", Map.of())));
        List<PlacementDecision> later = drain();
        assertThat(later).singleElement().extracting(PlacementDecision::action)
                .isEqualTo(PlacementDecision.Action.CREATE);
        materialize(later);
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        List<PlacementDecision> repeated = drain();
        assertThat(repeated).isNotEmpty().allSatisfy(d -> {
            assertThat(d.action()).isEqualTo(PlacementDecision.Action.CREATE);
            assertThat(d.podName()).isEqualTo(lost.get(0).podName());
        });
    }

    @Test
    void aPodCreatedUnderAnotherNameConfirmsItsDecisionAndIsNeverRepeatedOrDoubled() {
        start(Duration.ofSeconds(1), Duration.ofSeconds(2));
        daemonSets.pipeInput("default/all", event(EventType.ADDED, ds("all", Map.of())));
        nodes.pipeInput("n1", event(EventType.ADDED, node("n1", Map.of())));
        PlacementDecision create = drain().get(0);

        // pod-service found the name taken by another pod and created this one as all-zzzzz.
        Pod pod = create.pod();
        pod.getMetadata().setName("all-zzzzz");
        pod.getMetadata().setUid(UUID.randomUUID().toString());
        pod.getMetadata().setAnnotations(Map.of(PlacementDecision.REQUESTED_NAME_ANNOTATION, create.podName()));
        pods.pipeInput("default/all-zzzzz", event(EventType.ADDED, pod));
        driver.advanceWallClockTime(Duration.ofSeconds(4));
        nodes.pipeInput("n1", event(EventType.MODIFIED, node("n1", Map.of())));
        // Neither a repeat of the CREATE nor a "duplicate" deletion: the renamed pod is the node's one pod.
        assertThat(drain()).isEmpty();
    }

    // ------------------------------------------------------------------ what each input re-evaluates

    private static io.fabric8.kubernetes.api.model.NodeCondition heartbeat(String at) {
        return new io.fabric8.kubernetes.api.model.NodeConditionBuilder().withType("Ready").withStatus("True")
                .withLastHeartbeatTime(at).build();
    }

    private Node storedNode(String name) {
        KeyValueStore<String, byte[]> store = driver.getKeyValueStore(PlacementProcessor.NODES);
        return EventCodec.decode(store.get(name), Node.class);
    }

    private DaemonSet storedDaemonSet(String key) {
        KeyValueStore<String, byte[]> store = driver.getKeyValueStore(PlacementProcessor.DAEMONSETS);
        return EventCodec.decode(store.get(key), DaemonSet.class);
    }

    @Test
    void aHeartbeatStopsAtTheRouterAndDecidesNothing() {
        daemonSets.pipeInput("default/all", event(EventType.ADDED, ds("all", Map.of())));
        Node n1 = sizedNode("n1", "4");
        n1.getStatus().setConditions(List.of(heartbeat("2026-01-01T00:00:00Z")));
        nodes.pipeInput("n1", event(EventType.ADDED, n1));
        materialize(drain());
        nodeStates.readRecordsToList();

        n1.getStatus().setConditions(List.of(heartbeat("2026-01-01T00:00:10Z")));
        n1.getStatus().getAllocatable().put("ephemeral-storage", new io.fabric8.kubernetes.api.model.Quantity("10Gi"));
        nodes.pipeInput("n1", event(EventType.MODIFIED, n1));

        assertThat(drain()).isEmpty();
        assertThat(nodeStates.readRecordsToList()).isEmpty();
        Node stored = storedNode("n1");
        assertThat(stored.getStatus().getConditions().get(0).getLastHeartbeatTime())
                .as("never reached the placement task").isEqualTo("2026-01-01T00:00:00Z");
        assertThat(stored.getStatus().getAllocatable()).doesNotContainKey("ephemeral-storage");

        n1.getMetadata().setLabels(Map.of("zone", "a"));
        nodes.pipeInput("n1", event(EventType.MODIFIED, n1));
        assertThat(storedNode("n1").getMetadata().getLabels()).as("a label change passes").containsEntry("zone", "a");
        assertThat(storedNode("n1").getStatus().getConditions().get(0).getLastHeartbeatTime())
                .as("with the status of its own event").isEqualTo("2026-01-01T00:00:10Z");
    }

    @Test
    void aNodeDeletedAndRegisteredAgainUnchangedGetsItsPodsAgain() {
        daemonSets.pipeInput("default/all", event(EventType.ADDED, ds("all", Map.of())));
        Node n1 = node("n1", Map.of());
        nodes.pipeInput("n1", event(EventType.ADDED, n1));
        List<PlacementDecision> first = drain();
        assertThat(first).singleElement().extracting(PlacementDecision::action)
                .isEqualTo(PlacementDecision.Action.CREATE);
        materialize(first);

        nodes.pipeInput("n1", event(EventType.DELETED, n1));
        nodes.pipeInput("n1", (byte[]) null);
        assertThat(drain()).extracting(PlacementDecision::action).containsExactly(PlacementDecision.Action.DELETE);
        Pod gone = first.get(0).pod();
        pods.pipeInput(gone.getMetadata().getNamespace() + "/" + gone.getMetadata().getName(),
                event(EventType.DELETED, gone));

        nodes.pipeInput("n1", event(EventType.ADDED, n1));
        assertThat(drain()).as("the same node, with the same placement view, passes the router again")
                .singleElement().satisfies(d -> {
                    assertThat(d.action()).isEqualTo(PlacementDecision.Action.CREATE);
                    assertThat(d.nodeName()).isEqualTo("n1");
                });
    }

    @Test
    void nodeChangesThatPlacementReadsAreActedOn() {
        daemonSets.pipeInput("default/big", event(EventType.ADDED, requesting("big", "800m", null)));
        daemonSets.pipeInput("default/ssd", event(EventType.ADDED, ds("ssd", Map.of("disk", "ssd"))));
        Node n1 = sizedNode("n1", "500m");
        nodes.pipeInput("n1", event(EventType.ADDED, n1));
        List<PlacementDecision> pending = drain();
        assertThat(pending).singleElement().satisfies(d -> assertThat(d.pod().getSpec().getNodeName()).isNull());
        materialize(pending);

        n1.getMetadata().setLabels(Map.of("disk", "ssd"));
        nodes.pipeInput("n1", event(EventType.MODIFIED, n1));
        List<PlacementDecision> labelled = drain();
        assertThat(labelled).singleElement().satisfies(d -> {
            assertThat(d.action()).isEqualTo(PlacementDecision.Action.CREATE);
            assertThat(d.daemonSetUid()).isEqualTo("uid-ssd");
        });
        materialize(labelled);

        n1.getStatus().getAllocatable().put("cpu", new io.fabric8.kubernetes.api.model.Quantity("2"));
        nodes.pipeInput("n1", event(EventType.MODIFIED, n1));
        assertThat(drain()).singleElement().satisfies(d -> {
            assertThat(d.action()).isEqualTo(PlacementDecision.Action.BIND);
            assertThat(d.podName()).isEqualTo(pending.get(0).podName());
        });

        n1.getSpec().setTaints(List.of(new io.fabric8.kubernetes.api.model.Taint("NoExecute", "dedicated", null, "x")));
        nodes.pipeInput("n1", event(EventType.MODIFIED, n1));
        assertThat(drain()).extracting(PlacementDecision::action, PlacementDecision::daemonSetUid).containsExactly(
                org.assertj.core.groups.Tuple.tuple(PlacementDecision.Action.DELETE, "uid-big"),
                org.assertj.core.groups.Tuple.tuple(PlacementDecision.Action.DELETE, "uid-ssd"));
    }

    @Test
    void aPodOfOneDaemonSetLeavesAnotherAloneUnlessItFreesRoomForItsPendingPod() {
        nodes.pipeInput("small", event(EventType.ADDED, sizedNode("small", "1")));
        daemonSets.pipeInput("default/a", event(EventType.ADDED, requesting("a", "600m", null)));
        daemonSets.pipeInput("default/b", event(EventType.ADDED, requesting("b", "600m", null)));
        List<PlacementDecision> created = drain();
        assertThat(created).extracting(d -> d.daemonSetUid() + ":" + d.pod().getSpec().getNodeName())
                .containsExactly("uid-a:small", "uid-b:null");
        materialize(created);
        assertThat(drain()).isEmpty();
        nodeStates.readRecordsToList();

        Pod a = created.get(0).pod();
        ready(a);
        assertThat(drain()).isEmpty();
        assertThat(nodeStates.readRecordsToList()).extracting(TestRecord::key).containsOnly("default/a|small");

        a.getStatus().setPhase("Failed");
        pods.pipeInput("default/" + a.getMetadata().getName(), event(EventType.MODIFIED, a));
        assertThat(drain()).extracting(PlacementDecision::action, PlacementDecision::podName).containsExactly(
                org.assertj.core.groups.Tuple.tuple(PlacementDecision.Action.DELETE, a.getMetadata().getName()),
                org.assertj.core.groups.Tuple.tuple(PlacementDecision.Action.BIND, created.get(1).podName()));

        pods.pipeInput("default/" + a.getMetadata().getName(), event(EventType.DELETED, a));
        assertThat(drain()).singleElement().satisfies(d -> {
            assertThat(d.action()).isEqualTo(PlacementDecision.Action.CREATE);
            assertThat(d.daemonSetUid()).isEqualTo("uid-a");
            assertThat(d.pod().getSpec().getNodeName()).as("b holds the room now").isNull();
        });
    }

    @Test
    void roomFreedByAPodOfAnyNamespaceOrOwnerLetsAPendingDaemonPodBind() {
        nodes.pipeInput("small", event(EventType.ADDED, sizedNode("small", "1")));
        Pod web = new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata().withName("web-1")
                .withNamespace("apps").withUid("uid-web-1").addToLabels("app", "web")
                .addNewOwnerReference().withKind("ReplicaSet").withName("web").withUid("uid-rs").withController(true)
                .endOwnerReference().endMetadata()
                .withNewSpec().withNodeName("small").addNewContainer().withName("c").withImage("web")
                .withNewResources().addToRequests("cpu", new io.fabric8.kubernetes.api.model.Quantity("800m"))
                .endResources().endContainer().endSpec()
                .withNewStatus().withPhase("Running").endStatus().build();
        pods.pipeInput("apps/web-1", event(EventType.ADDED, web));
        daemonSets.pipeInput("default/agent", event(EventType.ADDED, requesting("agent", "500m", null)));
        List<PlacementDecision> pending = drain();
        assertThat(pending).singleElement().satisfies(d -> assertThat(d.pod().getSpec().getNodeName()).isNull());
        materialize(pending);

        web.getStatus().setHostIP("10.0.0.9");
        pods.pipeInput("apps/web-1", event(EventType.MODIFIED, web));
        assertThat(drain()).as("the same room held").isEmpty();

        pods.pipeInput("apps/web-1", event(EventType.DELETED, web));
        assertThat(drain()).singleElement().satisfies(d -> {
            assertThat(d.action()).isEqualTo(PlacementDecision.Action.BIND);
            assertThat(d.podName()).isEqualTo(pending.get(0).podName());
        });
    }

    @Test
    void roomTakenOrFreedReEvaluatesOnlyTheDaemonSetsWithAnUnboundOrTerminatingPodOnTheNode() {
        nodes.pipeInput("small", event(EventType.ADDED, sizedNode("small", "1")));
        daemonSets.pipeInput("default/a", event(EventType.ADDED, requesting("a", "200m", null)));
        daemonSets.pipeInput("default/b", event(EventType.ADDED, requesting("b", "200m", null)));
        List<PlacementDecision> bound = drain();
        assertThat(bound).extracting(d -> d.pod().getSpec().getNodeName()).containsExactly("small", "small");
        materialize(bound);
        assertThat(drain()).isEmpty();

        double before = reconciliations();
        Pod web = workload("web-1", "small", "300m", 0);
        assertThat(drain()).isEmpty();
        assertThat(reconciliations() - before).as("a and b are settled: room cannot change their decisions")
                .isZero();

        daemonSets.pipeInput("default/c", event(EventType.ADDED, requesting("c", "500m", null)));
        List<PlacementDecision> pending = drain();
        assertThat(pending).singleElement().satisfies(d -> assertThat(d.pod().getSpec().getNodeName()).isNull());
        materialize(pending);
        assertThat(drain()).isEmpty();

        before = reconciliations();
        pods.pipeInput("default/web-1", event(EventType.DELETED, web));
        assertThat(drain()).singleElement().satisfies(d -> {
            assertThat(d.action()).isEqualTo(PlacementDecision.Action.BIND);
            assertThat(d.podName()).isEqualTo(pending.get(0).podName());
        });
        assertThat(reconciliations() - before).as("only c, whose pod was unbound").isEqualTo(1.0);

        Pod a = bound.get(0).pod();
        a.getMetadata().setDeletionTimestamp("2026-01-01T00:00:00Z");
        pods.pipeInput("default/" + a.getMetadata().getName(), event(EventType.MODIFIED, a));
        drain();
        before = reconciliations();
        workload("web-2", "small", "50m", 0);
        assertThat(reconciliations() - before).as("a has a terminating pod; b and c are settled").isEqualTo(1.0);
    }

    /** reconciliations is the placement processor's count of (node, DaemonSet) pairs re-evaluated. */
    private double reconciliations() {
        return driver.metrics().entrySet().stream()
                .filter(e -> e.getKey().group().equals("stream-" + PlacementProcessor.METRICS_SCOPE + "-metrics")
                        && e.getKey().name().equals(PlacementProcessor.RECONCILE_OPERATION + "-total"))
                .mapToDouble(e -> (Double) e.getValue().metricValue()).sum();
    }

    @Test
    void anOrphanArrivingLaterIsAdoptedOnlyByTheDaemonSetWhoseSelectorMatches() {
        Node n1 = node("n1", Map.of());
        n1.getSpec().setTaints(List.of(new io.fabric8.kubernetes.api.model.Taint("NoSchedule", "dedicated", null, "x")));
        nodes.pipeInput("n1", event(EventType.ADDED, n1));
        daemonSets.pipeInput("default/all", event(EventType.ADDED, ds("all", Map.of())));
        daemonSets.pipeInput("default/other", event(EventType.ADDED, ds("other", Map.of())));
        assertThat(drain()).as("NoSchedule: no new pods").isEmpty();

        Pod orphan = new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata().withName("stray")
                .withNamespace("default").withUid("uid-stray").addToLabels("app", "all")
                .withCreationTimestamp("2026-01-01T00:00:00Z").endMetadata()
                .withNewSpec().withNodeName("n1").addNewContainer().withName("c").withImage("i").endContainer()
                .endSpec().withNewStatus().withPhase("Running").endStatus().build();
        pods.pipeInput("default/stray", event(EventType.ADDED, orphan));

        assertThat(drain()).singleElement().satisfies(d -> {
            assertThat(d.action()).isEqualTo(PlacementDecision.Action.ADOPT);
            assertThat(d.daemonSetUid()).isEqualTo("uid-all");
        });
    }

    @Test
    void statusOnlyDaemonSetEventsStopAtTheRouterButCollisionCountAndObservedGenerationPass() {
        DaemonSet all = ds("all", Map.of());
        daemonSets.pipeInput("default/all", event(EventType.ADDED, all));
        nodes.pipeInput("n1", event(EventType.ADDED, node("n1", Map.of())));
        materialize(drain());

        all.setStatus(new io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder().withNumberReady(1)
                .withDesiredNumberScheduled(1).build());
        daemonSets.pipeInput("default/all", event(EventType.MODIFIED, all));
        assertThat(storedDaemonSet("default/all").getStatus()).as("never reached the placement task").isNull();

        all.getStatus().setObservedGeneration(1L);
        daemonSets.pipeInput("default/all", event(EventType.MODIFIED, all));
        assertThat(storedDaemonSet("default/all").getStatus().getObservedGeneration()).isEqualTo(1L);

        all.getStatus().setCollisionCount(1);
        daemonSets.pipeInput("default/all", event(EventType.MODIFIED, all));
        assertThat(storedDaemonSet("default/all").getStatus().getCollisionCount()).isEqualTo(1);
        nodes.pipeInput("n2", event(EventType.ADDED, node("n2", Map.of())));
        assertThat(drain()).singleElement().satisfies(d -> {
            assertThat(d.nodeName()).isEqualTo("n2");
            assertThat(d.pod().getMetadata().getLabels().get("controller-revision-hash"))
                    .isEqualTo(io.dsplane.contracts.event.TemplateHash.computeHash(all.getSpec().getTemplate(), 1));
        });
    }

    /**
     * Also while daemonset-service's first status (observedGeneration 1) arrives between the first
     * failure and the second: the backoff is the DaemonSet generation's, not restarted by its status.
     */
    @Test
    void aFailedPodWaitingForItsBackoffIsRetriedByALaterResync() {
        start(Duration.ofSeconds(1), Duration.ofMinutes(1));
        driver.advanceWallClockTime(Duration.ofMillis(1500)); // the first resync, which looks at every pair
        DaemonSet all = ds("all", Map.of());
        daemonSets.pipeInput("default/all", event(EventType.ADDED, all));
        nodes.pipeInput("n1", event(EventType.ADDED, node("n1", Map.of())));
        List<PlacementDecision> first = drain();
        materialize(first);
        Pod pod = first.get(0).pod();
        pod.getStatus().setPhase("Failed");
        pods.pipeInput("default/" + pod.getMetadata().getName(), event(EventType.MODIFIED, pod));
        assertThat(drain()).singleElement().extracting(PlacementDecision::action)
                .isEqualTo(PlacementDecision.Action.DELETE);
        all.setStatus(new io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder().withObservedGeneration(1L)
                .build());
        daemonSets.pipeInput("default/all", event(EventType.MODIFIED, all));
        assertThat(storedDaemonSet("default/all").getStatus().getObservedGeneration()).isEqualTo(1L);
        pods.pipeInput("default/" + pod.getMetadata().getName(), event(EventType.DELETED, pod));
        List<PlacementDecision> replacement = drain();
        materialize(replacement);

        Pod again = replacement.get(0).pod();
        again.getStatus().setPhase("Failed");
        pods.pipeInput("default/" + again.getMetadata().getName(), event(EventType.MODIFIED, again));
        assertThat(drain()).as("within the 1 s backoff").isEmpty();

        driver.advanceWallClockTime(Duration.ofSeconds(2));
        assertThat(drain()).singleElement().satisfies(d -> {
            assertThat(d.action()).isEqualTo(PlacementDecision.Action.DELETE);
            assertThat(d.podName()).isEqualTo(again.getMetadata().getName());
            assertThat(d.reason()).isEqualTo("FailedDaemonPod");
        });
    }
}
