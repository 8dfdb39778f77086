package io.dsplane.noderegistry;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.dsplane.broker.KafkaTestResource;
import io.dsplane.broker.TopicProbe;
import io.dsplane.contracts.event.EventCodec;
import io.dsplane.contracts.event.EventType;
import io.dsplane.contracts.event.Parking;
import io.dsplane.contracts.event.ResourceEvent;
import io.dsplane.contracts.event.Topics;
import io.dsplane.noderegistry.Batches.Rec;
import io.dsplane.noderegistry.messaging.NodeStatusConsumer;
import io.dsplane.noderegistry.service.NodeRegistry;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
class NodeStatusConsumerTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    NodeStatusConsumer consumer;

    @Inject
    NodeRegistry nodes;

    @Inject
    MeterRegistry meters;

    /** rowReads is how many stored statuses the consumer has read to compare a report with. */
    private double rowReads() {
        return count("dsplane.node.reports.row-reads");
    }

    /** statusDecodes is how many reports had their status decoded. */
    private double statusDecodes() {
        return count("dsplane.node.reports.status-decodes");
    }

    private double count(String meter) {
        Counter c = meters.find(meter).counter();
        return c == null ? 0 : c.count();
    }

    private static void publish(String key, String value) {
        TopicProbe.publish(KafkaTestResource.bootstrapServers(), Topics.NODE_STATUS,
                List.of(new TopicProbe.Record(key, value, Map.of())));
    }

    private static String report(String name, String ready, String heartbeat) {
        return """
                {"metadata":{"name":"%s","labels":{"pool":"agents"}},
                 "status":{"allocatable":{"cpu":"2","memory":"4Gi","pods":"110"},
                   "conditions":[{"type":"Ready","status":"%s","lastHeartbeatTime":"%s"}]}}
                """.formatted(name, ready, heartbeat);
    }

    private static String report(String name, String ready, String memoryPressure, String heartbeat) {
        return """
                {"metadata":{"name":"%s"},
                 "status":{"allocatable":{"cpu":"2","memory":"4Gi","pods":"110"},
                   "conditions":[{"type":"Ready","status":"%s","lastHeartbeatTime":"%s"},
                     {"type":"MemoryPressure","status":"%s","lastHeartbeatTime":"%s"}]}}
                """.formatted(name, ready, heartbeat, memoryPressure, heartbeat);
    }

    /**
     * consumeAsOneBatch hands the records to the consumer as ONE batch, as if one poll had returned
     * them, and returns once the batch is applied and committed and its parked records are on the broker.
     */
    private void consumeAsOneBatch(Rec... records) {
        consumer.consume(Batches.of(records));
    }

    private static Node get(String name) {
        String body = given().get("/api/v1/nodes/" + name).then().statusCode(200).extract().asString();
        return EventCodec.decode(body.getBytes(StandardCharsets.UTF_8), Node.class);
    }

    private static NodeCondition condition(Node node, String type) {
        return node.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst()
                .orElseThrow();
    }

    /**
     * eventsUpToMarker labels the node through the API (an event of its own) and returns the node's
     * events up to and including that one. Events leave the outbox in order, so whatever the node's
     * reports emitted before is complete once the marker is seen.
     */
    private static List<ResourceEvent<Node>> eventsUpToMarker(String name) {
        String marker = "m" + Batches.unique();
        given().contentType("application/merge-patch+json")
                .body("{\"metadata\":{\"labels\":{\"marker\":\"" + marker + "\"}}}")
                .patch("/api/v1/nodes/" + name).then().statusCode(200);
        List<TopicProbe.Record> records = TopicProbe.readUntil(KafkaTestResource.bootstrapServers(), Topics.NODES,
                rs -> decode(name, rs).stream().anyMatch(e -> isMarker(e, marker)), WAIT);
        List<ResourceEvent<Node>> events = decode(name, records);
        assertThat(events).anyMatch(e -> isMarker(e, marker));
        return events.subList(0, events.indexOf(events.stream().filter(e -> isMarker(e, marker)).findFirst()
                .orElseThrow()) + 1);
    }

    private static boolean isMarker(ResourceEvent<Node> e, String marker) {
        Map<String, String> labels = e.object().getMetadata().getLabels();
        return labels != null && marker.equals(labels.get("marker"));
    }

    private static List<ResourceEvent<Node>> decode(String name, List<TopicProbe.Record> records) {
        return records.stream().filter(r -> name.equals(r.key()) && r.value() != null)
                .map(r -> EventCodec.decodeResourceEvent(r.value().getBytes(StandardCharsets.UTF_8), Node.class))
                .toList();
    }

    private Instant lastHeartbeat(String name) {
        return QuarkusTransaction.requiringNew().call(() -> nodes.lastHeartbeat(name)).orElseThrow();
    }

    @Test
    void agentReportRegistersNodeAndHeartbeatsAloneEmitNothing() {
        publish("agent-1", report("agent-1", "True", "2026-01-01T00:00:00Z"));
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/api/v1/nodes/agent-1")
                .then().statusCode(200).body("metadata.labels.pool", equalTo("agents"))
                .body("status.allocatable.cpu", equalTo("2")));
        String rv = given().get("/api/v1/nodes/agent-1").then().extract().path("metadata.resourceVersion");

        // Two heartbeats that change only lastHeartbeatTime, then a real change (NotReady).
        publish("agent-1", report("agent-1", "True", "2026-01-01T00:00:10Z"));
        publish("agent-1", report("agent-1", "True", "2026-01-01T00:00:20Z"));
        publish("agent-1", report("agent-1", "False", "2026-01-01T00:00:30Z"));
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/api/v1/nodes/agent-1")
                .then().body("status.conditions[0].status", equalTo("False")));

        List<TopicProbe.Record> events = TopicProbe.readUntil(KafkaTestResource.bootstrapServers(), Topics.NODES,
                rs -> rs.stream().filter(r -> "agent-1".equals(r.key())).count() >= 2, Duration.ofSeconds(30))
                .stream().filter(r -> "agent-1".equals(r.key())).toList();
        assertThat(events).hasSize(2);
        assertThat(events.get(0).value()).contains("\"ADDED\"").contains("\"resourceVersion\":\"" + rv + "\"");
        assertThat(events.get(1).value()).contains("\"MODIFIED\"").contains("\"False\"");
    }

    @Test
    void malformedReportsAreParkedWithReasonAndDoNotBlockThePartition() {
        publish("junk-1", "{this is not json");
        publish("other-name", report("agent-key-mismatch", "True", "2026-01-01T00:00:00Z"));
        publish("agent-after-junk", report("agent-after-junk", "True", "2026-01-01T00:00:00Z"));

        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(
                () -> given().get("/api/v1/nodes/agent-after-junk").then().statusCode(200));
        given().get("/api/v1/nodes/agent-key-mismatch").then().statusCode(404);
        List<TopicProbe.Record> parked = TopicProbe.readUntil(KafkaTestResource.bootstrapServers(), Topics.PARKED,
                rs -> rs.stream().filter(r -> "junk-1".equals(r.key()) || "other-name".equals(r.key())).count() >= 2,
                Duration.ofSeconds(30));
        assertThat(parked).filteredOn(r -> "junk-1".equals(r.key())).singleElement()
                .satisfies(r -> assertThat(r.headers().get(Parking.REASON)).contains("not valid JSON"));
        assertThat(parked).filteredOn(r -> "other-name".equals(r.key())).singleElement()
                .satisfies(r -> assertThat(r.headers().get(Parking.REASON)).contains("differs from metadata.name"));
    }

    @Test
    void severalReportsOfOneNodeInOneBatchYieldOneEventWithTheNewestStatus() {
        consumeAsOneBatch(new Rec("batch-known", report("batch-known", "True", "False", "2026-01-01T00:00:00Z")));

        consumeAsOneBatch(
                new Rec("batch-known", report("batch-known", "False", "False", "2026-01-01T00:00:10Z")),
                new Rec("batch-other", report("batch-other", "True", "False", "2026-01-01T00:00:10Z")),
                new Rec("batch-known", report("batch-known", "False", "True", "2026-01-01T00:00:20Z")),
                new Rec("batch-known", report("batch-known", "False", "True", "2026-01-01T00:00:30Z")));

        Node stored = get("batch-known");
        assertThat(condition(stored, "Ready").getStatus()).isEqualTo("False");
        assertThat(condition(stored, "MemoryPressure").getStatus()).isEqualTo("True");
        // The newest report stands for the batch, heartbeat times included.
        assertThat(condition(stored, "Ready").getLastHeartbeatTime()).isEqualTo("2026-01-01T00:00:30Z");
        List<ResourceEvent<Node>> events = eventsUpToMarker("batch-known");
        assertThat(events).extracting(ResourceEvent::type)
                .containsExactly(EventType.ADDED, EventType.MODIFIED, EventType.MODIFIED);
        ResourceEvent<Node> change = events.get(1);
        assertThat(condition(change.object(), "Ready").getStatus()).isEqualTo("False");
        assertThat(condition(change.object(), "MemoryPressure").getStatus()).isEqualTo("True");
        assertThat(condition(change.object(), "MemoryPressure").getLastHeartbeatTime())
                .isEqualTo("2026-01-01T00:00:30Z");
        assertThat(change.object().getSpec().getTaints()).extracting(t -> t.getKey() + ":" + t.getEffect())
                .containsExactly("node.kubernetes.io/not-ready:NoSchedule", "node.kubernetes.io/not-ready:NoExecute",
                        "node.kubernetes.io/memory-pressure:NoSchedule");
        assertThat(change.resourceVersion()).isEqualTo(stored.getMetadata().getResourceVersion());
    }

    @Test
    void severalReportsOfANewNodeInOneBatchRegisterItOnceAsTheyWouldOneByOne() {
        String unlabelled = "{\"name\":\"batch-new\"}";
        consumeAsOneBatch(
                new Rec("batch-new", report("batch-new", "True", "False", "2026-01-01T00:00:00Z")
                        .replace(unlabelled, "{\"name\":\"batch-new\",\"labels\":{\"pool\":\"first\"}}")),
                new Rec("batch-new", report("batch-new", "False", "False", "2026-01-01T00:00:10Z")
                        .replace(unlabelled, "{\"name\":\"batch-new\",\"labels\":{\"pool\":\"second\"}}")));

        // The first report registers the node; the later one replaces its status only.
        Node stored = get("batch-new");
        assertThat(stored.getMetadata().getLabels()).containsEntry("pool", "first");
        assertThat(condition(stored, "Ready").getStatus()).isEqualTo("False");
        List<ResourceEvent<Node>> events = eventsUpToMarker("batch-new");
        assertThat(events).extracting(ResourceEvent::type).containsExactly(EventType.ADDED, EventType.MODIFIED);
        Node added = events.get(0).object();
        assertThat(added.getMetadata().getLabels()).containsEntry("pool", "first");
        assertThat(condition(added, "Ready").getStatus()).isEqualTo("False");
        assertThat(condition(added, "Ready").getLastHeartbeatTime()).isEqualTo("2026-01-01T00:00:10Z");
        assertThat(added.getSpec().getTaints()).extracting(t -> t.getKey() + ":" + t.getEffect())
                .containsExactly("node.kubernetes.io/not-ready:NoSchedule", "node.kubernetes.io/not-ready:NoExecute");
    }

    @Test
    void malformedAndRefusedRecordsInsideABatchAreParkedAndTheOthersApplied() {
        // Two refused nodes: the batch is applied without the first, then node by node.
        String badTaint = """
                {"metadata":{"name":"batch-refused"},"spec":{"taints":[{"key":"a","effect":"Sometimes"}]},
                 "status":{"conditions":[{"type":"Ready","status":"True"}]}}
                """;
        consumeAsOneBatch(
                new Rec("batch-good-1", report("batch-good-1", "True", "False", "2026-01-01T00:00:00Z")),
                new Rec("batch-junk", "{this is not json"),
                new Rec("batch-refused", badTaint),
                new Rec("batch-refused-too", badTaint.replace("batch-refused", "batch-refused-too")),
                new Rec("batch-mismatch", report("batch-someone-else", "True", "False", "2026-01-01T00:00:00Z")),
                new Rec("batch-nameless", "{\"status\":{}}"),
                new Rec("batch-empty", null),
                // The same node again, now valid: applied as it would have been on its own.
                new Rec("batch-refused", report("batch-refused", "False", "False", "2026-01-01T00:00:10Z")),
                new Rec("batch-good-2", report("batch-good-2", "True", "False", "2026-01-01T00:00:00Z")));

        // consume returned: applied and committed, parked records acknowledged by the broker.
        given().get("/api/v1/nodes/batch-good-1").then().statusCode(200);
        given().get("/api/v1/nodes/batch-good-2").then().statusCode(200);
        given().get("/api/v1/nodes/batch-someone-else").then().statusCode(404);
        assertThat(condition(get("batch-refused"), "Ready").getStatus()).isEqualTo("False");
        assertThat(get("batch-refused").getSpec().getTaints()).extracting(t -> t.getKey() + ":" + t.getEffect())
                .containsExactly("node.kubernetes.io/not-ready:NoSchedule", "node.kubernetes.io/not-ready:NoExecute");

        given().get("/api/v1/nodes/batch-refused-too").then().statusCode(404);

        List<String> keys = List.of("batch-junk", "batch-refused", "batch-refused-too", "batch-mismatch",
                "batch-nameless", "batch-empty");
        Map<String, TopicProbe.Record> parked = new java.util.HashMap<>();
        TopicProbe.readUntil(KafkaTestResource.bootstrapServers(), Topics.PARKED,
                rs -> rs.stream().filter(r -> keys.contains(r.key())).count() >= keys.size(), WAIT)
                .stream().filter(r -> keys.contains(r.key()))
                .forEach(r -> assertThat(parked.put(r.key(), r)).as("parked once: " + r.key()).isNull());
        assertThat(parked).containsOnlyKeys(keys);
        assertThat(parked.values()).allSatisfy(r -> {
            assertThat(r.headers().get(Parking.CONSUMER)).isEqualTo(NodeStatusConsumer.CONSUMER);
            assertThat(r.headers().get(Parking.TOPIC)).isEqualTo(Topics.NODE_STATUS);
        });
        assertThat(parked.get("batch-junk").headers().get(Parking.REASON)).contains("not valid JSON");
        assertThat(parked.get("batch-junk").headers().get(Parking.CAUSE)).isEqualTo(NodeStatusConsumer.MALFORMED);
        assertThat(parked.get("batch-junk").value()).isEqualTo("{this is not json");
        assertThat(parked.get("batch-refused").headers().get(Parking.REASON)).contains("node report rejected")
                .contains("spec.taints[0].effect");
        assertThat(parked.get("batch-refused").value()).isEqualTo(badTaint);
        assertThat(parked.get("batch-refused").headers().get(Parking.CAUSE)).isEqualTo("Invalid");
        assertThat(parked.get("batch-refused-too").headers().get(Parking.REASON)).contains("node report rejected");
        assertThat(parked.get("batch-mismatch").headers().get(Parking.REASON)).contains("differs from metadata.name");
        assertThat(parked.get("batch-nameless").headers().get(Parking.REASON)).contains("without metadata.name");
        assertThat(parked.get("batch-empty").headers().get(Parking.REASON)).contains("empty node report");
    }

    @Test
    void heartbeatsOnlyBatchEmitsNoEventsButRecordsTheHeartbeat() {
        consumeAsOneBatch(new Rec("batch-beats", report("batch-beats", "True", "False", "2026-01-01T00:00:00Z")));
        String rv = get("batch-beats").getMetadata().getResourceVersion();
        Instant registered = lastHeartbeat("batch-beats");
        double reads = rowReads();
        double decodes = statusDecodes();

        consumeAsOneBatch(
                new Rec("batch-beats", report("batch-beats", "True", "False", "2026-01-01T00:00:10Z")),
                new Rec("batch-beats", report("batch-beats", "True", "False", "2026-01-01T00:00:20Z")));
        Instant afterFirstBatch = lastHeartbeat("batch-beats");
        consumeAsOneBatch(new Rec("batch-beats", report("batch-beats", "True", "False", "2026-01-01T00:00:30Z")));

        assertThat(afterFirstBatch).isAfter(registered);
        assertThat(lastHeartbeat("batch-beats")).isAfter(afterFirstBatch);
        // The status digest remembered at registration told them apart: no stored node was read, and
        // no report's status was decoded.
        assertHeartbeatsOnly("batch-beats", rv, reads, decodes);
    }

    /**
     * assertHeartbeatsOnly checks that the node's reports since {@code rv} were heartbeats only: no
     * write, no stored status read, no report's status decoded, and no event after registration.
     */
    private void assertHeartbeatsOnly(String name, String rv, double reads, double decodes) {
        assertThat(get(name).getMetadata().getResourceVersion()).isEqualTo(rv);
        assertThat(rowReads()).isEqualTo(reads);
        assertThat(statusDecodes()).isEqualTo(decodes);
        assertThat(eventsUpToMarker(name)).extracting(ResourceEvent::type)
                .containsExactly(EventType.ADDED, EventType.MODIFIED);
    }

    @Test
    void aStatusWrittenOtherwiseThanTheRegistryRendersItIsStillRecognisedAsAHeartbeat() {
        // Nulls and field order the registry does not keep: the stored status reads differently.
        String written = """
                {"metadata":{"name":"batch-written"},
                 "status":{"phase":null,"conditions":[{"lastHeartbeatTime":"%s","status":"True","type":"Ready",
                   "reason":null}],"allocatable":{"pods":"110","cpu":"2"}}}
                """;
        consumeAsOneBatch(new Rec("batch-written", written.formatted("2026-01-01T00:00:00Z")));
        String rv = get("batch-written").getMetadata().getResourceVersion();
        double reads = rowReads();
        double decodes = statusDecodes();

        consumeAsOneBatch(new Rec("batch-written", written.formatted("2026-01-01T00:00:10Z")));
        consumeAsOneBatch(new Rec("batch-written", written.formatted("2026-01-01T00:00:20Z")));

        assertHeartbeatsOnly("batch-written", rv, reads, decodes);
    }

    @Test
    void aHeartbeatWithMalformedMetadataOrHeartbeatTimeIsParkedThoughItsStatusIsKnown() {
        String good = report("batch-bad-meta", "True", "False", "2026-01-01T00:00:00Z");
        consumeAsOneBatch(new Rec("batch-bad-meta", good));
        String rv = get("batch-bad-meta").getMetadata().getResourceVersion();
        Instant registered = lastHeartbeat("batch-bad-meta");

        String badLabels = report("batch-bad-meta", "True", "False", "2026-01-01T00:00:10Z")
                .replace("{\"name\":\"batch-bad-meta\"}", "{\"name\":\"batch-bad-meta\",\"labels\":5}");
        assertThat(badLabels).contains("\"labels\":5");
        // The digest leaves heartbeat times out: one that is not a time makes the report malformed too.
        String badBeat = report("batch-bad-meta", "True", "False", "2026-01-01T00:00:20Z")
                .replace("\"2026-01-01T00:00:20Z\"", "{\"at\":20}");
        assertThat(badBeat).contains("{\"at\":20}");
        consumeAsOneBatch(new Rec("batch-bad-meta", badLabels), new Rec("batch-bad-meta", badBeat));

        assertThat(get("batch-bad-meta").getMetadata().getResourceVersion()).isEqualTo(rv);
        assertThat(lastHeartbeat("batch-bad-meta")).isEqualTo(registered);
        List<TopicProbe.Record> parked = TopicProbe.readUntil(KafkaTestResource.bootstrapServers(), Topics.PARKED,
                rs -> rs.stream().filter(r -> "batch-bad-meta".equals(r.key())).count() >= 2, WAIT);
        assertThat(parked).filteredOn(r -> "batch-bad-meta".equals(r.key())).hasSize(2).allSatisfy(r -> {
            assertThat(r.headers().get(Parking.REASON)).contains("not valid JSON for Node");
            assertThat(r.headers().get(Parking.CAUSE)).isEqualTo(NodeStatusConsumer.MALFORMED);
        }).extracting(TopicProbe.Record::value).containsExactly(badLabels, badBeat);
    }

    @Test
    void unchangedReportRestoresAStatusChangedThroughTheApi() {
        String sent = report("batch-restored", "True", "False", "2026-01-01T00:00:00Z");
        consumeAsOneBatch(new Rec("batch-restored", sent));
        given().contentType("application/merge-patch+json")
                .body("{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"False\"}]}}")
                .patch("/api/v1/nodes/batch-restored/status").then().statusCode(200);
        assertThat(get("batch-restored").getStatus().getConditions()).hasSize(1);

        // The agent's report is the one it sent before; the stored node is not what it says any more,
        // which its new resourceVersion gives away, so the stored status is read and compared.
        double reads = rowReads();
        double decodes = statusDecodes();
        consumeAsOneBatch(new Rec("batch-restored", sent));
        assertThat(rowReads()).isEqualTo(reads + 1);
        // Its status is the one remembered, so it was decoded only once the comparison needed it.
        assertThat(statusDecodes()).isEqualTo(decodes + 1);

        Node restored = get("batch-restored");
        assertThat(condition(restored, "Ready").getStatus()).isEqualTo("True");
        assertThat(condition(restored, "MemoryPressure").getStatus()).isEqualTo("False");
        assertThat(restored.getSpec() == null || restored.getSpec().getTaints() == null ? List.of()
                : restored.getSpec().getTaints()).isEmpty();
    }
}
