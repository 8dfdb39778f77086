package io.dsplane.noderegistry;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.dsplane.broker.KafkaTestResource;
import io.dsplane.broker.TopicProbe;
import io.dsplane.contracts.api.KubeJson;
import io.dsplane.contracts.event.EventCodec;
import io.dsplane.contracts.event.EventType;
import io.dsplane.contracts.event.ResourceEvent;
import io.dsplane.contracts.event.Topics;
import io.dsplane.noderegistry.messaging.NodeStatusConsumer;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Taint;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * The node lifecycle end to end: taints that follow reported conditions and cordon, and the monitor
 * that turns silent agents Unknown. A short grace period (2 s, monitor every 1 s) keeps it quick; the
 * profile is separate so the other test classes keep the 40 s default.
 */
@QuarkusTest
@TestProfile(NodeLifecycleMonitorTest.ShortGracePeriod.class)
@QuarkusTestResource(KafkaTestResource.class)
class NodeLifecycleMonitorTest {

    public static class ShortGracePeriod implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("dsplane.node-lifecycle.grace-period", "2s",
                    "dsplane.node-lifecycle.monitor-period", "1s");
        }
    }

    static final String NOT_READY = "node.kubernetes.io/not-ready";
    static final String UNREACHABLE = "node.kubernetes.io/unreachable";
    static final String UNSCHEDULABLE = "node.kubernetes.io/unschedulable";
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Inject
    NodeStatusConsumer consumer;

    // ---------------------------------------------------------------- helpers

    private static String reportValue(String name, String ready, String heartbeat) {
        return """
                {"metadata":{"name":"%s"},
                 "status":{"allocatable":{"cpu":"2","memory":"4Gi","pods":"110"},
                   "conditions":[{"type":"Ready","status":"%s","lastHeartbeatTime":"%s"}]}}
                """.formatted(name, ready, heartbeat);
    }

    private static void report(String name, String ready) {
        TopicProbe.publish(KafkaTestResource.bootstrapServers(), Topics.NODE_STATUS, List.of(
                new TopicProbe.Record(name, reportValue(name, ready, "2026-01-01T00:00:00Z"), Map.of())));
    }

    private static Node get(String name) {
        String body = given().get("/api/v1/nodes/" + name).then().statusCode(200).extract().asString();
        return EventCodec.decode(body.getBytes(StandardCharsets.UTF_8), Node.class);
    }

    private static Node body(String json) {
        return EventCodec.decode(json.getBytes(StandardCharsets.UTF_8), Node.class);
    }

    /** events reads dsplane.nodes.v1 until the node's events satisfy {@code done}; returns them in order. */
    private static List<ResourceEvent<Node>> events(String name, Predicate<List<ResourceEvent<Node>>> done) {
        List<TopicProbe.Record> records = TopicProbe.readUntil(KafkaTestResource.bootstrapServers(), Topics.NODES,
                rs -> done.test(decode(name, rs)), TIMEOUT);
        return decode(name, records);
    }

    private static List<ResourceEvent<Node>> decode(String name, List<TopicProbe.Record> records) {
        return records.stream().filter(r -> name.equals(r.key()) && r.value() != null)
                .map(r -> EventCodec.decodeResourceEvent(r.value().getBytes(StandardCharsets.UTF_8), Node.class))
                .toList();
    }

    private static List<String> taints(Node node) {
        return node.getSpec() == null || node.getSpec().getTaints() == null ? List.of()
                : node.getSpec().getTaints().stream().map(t -> t.getKey() + ":" + t.getEffect()).toList();
    }

    private static String ready(Node node) {
        return node.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType()))
                .map(NodeCondition::getStatus).findFirst().orElse(null);
    }

    private static boolean unreachable(Node node) {
        return "Unknown".equals(ready(node)) && taints(node).contains(UNREACHABLE + ":NoSchedule")
                && taints(node).contains(UNREACHABLE + ":NoExecute");
    }

    // ---------------------------------------------------------------- tests

    @Test
    void nodeReportedNotReadyIsPublishedWithNotReadyTaints() {
        report("lc-not-ready", "False");

        // The very first event already carries the taints: they are part of the write, not a follow-up.
        List<ResourceEvent<Node>> events = events("lc-not-ready", es -> !es.isEmpty());

        ResourceEvent<Node> added = events.get(0);
        assertThat(added.type()).isEqualTo(EventType.ADDED);
        assertThat(taints(added.object())).containsExactly(NOT_READY + ":NoSchedule", NOT_READY + ":NoExecute");
        assertThat(added.object().getSpec().getTaints()).extracting(Taint::getTimeAdded).doesNotContainNull();
    }

    @Test
    void cordonAddsUnschedulableTaintUncordonRemovesItAndUserTaintSurvivesEverything() {
        given().contentType(ContentType.JSON).body("""
                {"apiVersion":"v1","kind":"Node","metadata":{"name":"lc-cordon"},
                 "spec":{"taints":[{"key":"dedicated","value":"gpu","effect":"NoSchedule"}]},
                 "status":{"conditions":[{"type":"Ready","status":"True"}]}}
                """).post("/api/v1/nodes").then().statusCode(201);

        String cordoned = given().contentType("application/merge-patch+json").body("{\"spec\":{\"unschedulable\":true}}")
                .patch("/api/v1/nodes/lc-cordon").then().statusCode(200).extract().asString();
        assertThat(taints(body(cordoned))).containsExactly("dedicated:NoSchedule", UNSCHEDULABLE + ":NoSchedule");
        assertThat(given().queryParam("fieldSelector", "spec.unschedulable=true").get("/api/v1/nodes").then()
                .extract().<List<String>>path("items.metadata.name")).contains("lc-cordon");

        String uncordoned = given().contentType("application/merge-patch+json")
                .body("{\"spec\":{\"unschedulable\":false}}").patch("/api/v1/nodes/lc-cordon").then().statusCode(200)
                .extract().asString();
        assertThat(taints(body(uncordoned))).containsExactly("dedicated:NoSchedule");

        // A status write that turns the node NotReady adds the not-ready taints in the same write.
        String notReady = given().contentType("application/merge-patch+json")
                .body("{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"False\"}]}}")
                .patch("/api/v1/nodes/lc-cordon/status").then().statusCode(200).extract().asString();
        assertThat(taints(body(notReady))).containsExactly("dedicated:NoSchedule", NOT_READY + ":NoSchedule",
                NOT_READY + ":NoExecute");
        Taint user = body(notReady).getSpec().getTaints().get(0);
        assertThat(user.getValue()).isEqualTo("gpu");
        assertThat(user.getTimeAdded()).isNull();
    }

    @Test
    void lifecycleTaintLeftOutOfAReplacementIsKept() {
        given().contentType(ContentType.JSON).body("""
                {"metadata":{"name":"lc-put"},"spec":{"unschedulable":true}}
                """).post("/api/v1/nodes").then().statusCode(201);
        Node created = get("lc-put");
        assertThat(taints(created)).containsExactly(UNSCHEDULABLE + ":NoSchedule");

        String replaced = given().contentType(ContentType.JSON).body("""
                {"metadata":{"name":"lc-put","labels":{"a":"b"}},"spec":{"unschedulable":true}}
                """).put("/api/v1/nodes/lc-put").then().statusCode(200).extract().asString();

        assertThat(body(replaced).getSpec().getTaints()).singleElement().satisfies(t -> {
            assertThat(t.getKey()).isEqualTo(UNSCHEDULABLE);
            assertThat(t.getTimeAdded()).isEqualTo(created.getSpec().getTaints().get(0).getTimeAdded());
        });
    }

    @Test
    void agentThatStopsHeartbeatingBecomesUnreachableAndRecoversWithTheNextReadyReport() {
        report("lc-silent", "True");

        List<ResourceEvent<Node>> marked = events("lc-silent",
                es -> es.stream().anyMatch(e -> unreachable(e.object())));
        ResourceEvent<Node> unknown = marked.stream().filter(e -> unreachable(e.object())).findFirst().orElseThrow();
        assertThat(unknown.type()).isEqualTo(EventType.MODIFIED);
        assertThat(unknown.object().getStatus().getConditions()).allSatisfy(c -> {
            assertThat(c.getStatus()).isEqualTo("Unknown");
            assertThat(c.getReason()).isEqualTo("NodeStatusUnknown");
            assertThat(c.getMessage()).isEqualTo("Kubelet stopped posting node status.");
        });
        assertThat(taints(unknown.object())).containsExactly(UNREACHABLE + ":NoSchedule", UNREACHABLE + ":NoExecute");
        // Added, then marked: no event in between, since heartbeats alone change nothing.
        assertThat(marked.indexOf(unknown)).isEqualTo(1);

        report("lc-silent", "True");

        List<ResourceEvent<Node>> recovered = events("lc-silent", es -> es.size() > marked.indexOf(unknown) + 1);
        ResourceEvent<Node> back = recovered.get(marked.indexOf(unknown) + 1);
        assertThat(ready(back.object())).isEqualTo("True");
        assertThat(taints(back.object())).isEmpty();
    }

    @Test
    void heartbeatOnlyBatchesKeepTheNodeReachableWithoutWritingIt() {
        consumer.consume(Batches.of(new Batches.Rec("lc-beating",
                reportValue("lc-beating", "True", "2026-01-01T00:00:00Z"))));
        String rv = get("lc-beating").getMetadata().getResourceVersion();

        // For twice the grace period, batches of heartbeats only (new heartbeat times, nothing else).
        Awaitility.await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(250)).until(() -> {
                    String beat = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
                    consumer.consume(Batches.of(new Batches.Rec("lc-beating", reportValue("lc-beating", "True", beat)),
                            new Batches.Rec("lc-beating", reportValue("lc-beating", "True", beat))));
                    return get("lc-beating").getMetadata().getResourceVersion().equals(rv);
                });

        // Silence: the heartbeat time the batches recorded is what the monitor goes by.
        Awaitility.await().atMost(TIMEOUT).until(() -> unreachable(get("lc-beating")));
        List<ResourceEvent<Node>> events = events("lc-beating",
                es -> es.stream().anyMatch(e -> unreachable(e.object())));
        assertThat(events).extracting(ResourceEvent::type).containsExactly(EventType.ADDED, EventType.MODIFIED);
    }

    @Test
    void markedNodeIsNotWrittenAgainWhileItStaysSilent() {
        report("lc-quiet", "True");
        Awaitility.await().atMost(TIMEOUT).until(() -> given().get("/api/v1/nodes/lc-quiet").statusCode() == 200
                && unreachable(get("lc-quiet")));
        String rv = get("lc-quiet").getMetadata().getResourceVersion();

        Awaitility.await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> get("lc-quiet").getMetadata().getResourceVersion().equals(rv));
    }

    @Test
    void nodeRegisteredOnlyThroughTheApiIsNeverMarkedUnknown() {
        given().contentType(ContentType.JSON).body("""
                {"metadata":{"name":"lc-rest-only"},"status":{"conditions":[{"type":"Ready","status":"True"}]}}
                """).post("/api/v1/nodes").then().statusCode(201);

        Awaitility.await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10))
                .until(() -> "True".equals(ready(get("lc-rest-only"))) && taints(get("lc-rest-only")).isEmpty());
    }

    @Test
    void statusWriteThroughTheApiCountsAsAHeartbeat() {
        given().contentType(ContentType.JSON).body("""
                {"metadata":{"name":"lc-rest-status"}}
                """).post("/api/v1/nodes").then().statusCode(201);
        given().contentType(ContentType.JSON).body("""
                {"metadata":{"name":"lc-rest-status"},"status":{"conditions":[{"type":"Ready","status":"True"}]}}
                """).put("/api/v1/nodes/lc-rest-status/status").then().statusCode(200);

        Awaitility.await().atMost(TIMEOUT).until(() -> unreachable(get("lc-rest-status")));
    }

    @Test
    void deletedNodeForgetsItsHeartbeatsSoARecreatedOneIsNotMarked() {
        report("lc-recreated", "True");
        Awaitility.await().atMost(TIMEOUT).until(() -> given().get("/api/v1/nodes/lc-recreated").statusCode() == 200);
        given().delete("/api/v1/nodes/lc-recreated").then().statusCode(200);
        given().contentType(ContentType.JSON).body("""
                {"metadata":{"name":"lc-recreated"},"status":{"conditions":[{"type":"Ready","status":"True"}]}}
                """).post("/api/v1/nodes").then().statusCode(201);

        Awaitility.await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10))
                .until(() -> "True".equals(ready(get("lc-recreated"))));
    }
}
