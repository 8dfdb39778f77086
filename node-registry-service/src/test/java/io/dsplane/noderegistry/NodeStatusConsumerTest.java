package io.dsplane.noderegistry;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.dsplane.broker.KafkaTestResource;
import io.dsplane.broker.TopicProbe;
import io.dsplane.contracts.event.Parking;
import io.dsplane.contracts.event.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
class NodeStatusConsumerTest {

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
}
