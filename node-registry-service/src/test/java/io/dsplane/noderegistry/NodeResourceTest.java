package io.dsplane.noderegistry;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.dsplane.broker.KafkaTestResource;
import io.dsplane.broker.TopicProbe;
import io.dsplane.contracts.event.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
class NodeResourceTest {

    private static String node(String name, String labels) {
        return """
                {"apiVersion":"v1","kind":"Node","metadata":{"name":"%s","labels":{%s}},
                 "spec":{"taints":[]},"futureField":{"kept":true}}
                """.formatted(name, labels);
    }

    @Test
    void createdNodeGetsServerMetadataAndKeepsUnknownFields() {
        given().contentType(ContentType.JSON).body(node("n-create", "\"zone\":\"a\"")).post("/api/v1/nodes")
                .then().statusCode(201)
                .body("metadata.uid", notNullValue())
                .body("metadata.resourceVersion", notNullValue())
                .body("metadata.creationTimestamp", notNullValue())
                .body("metadata.generation", equalTo(1))
                .body("futureField.kept", equalTo(true));
        given().get("/api/v1/nodes/n-create").then().statusCode(200).body("metadata.labels.zone", equalTo("a"));
    }

    @Test
    void yamlBodyIsAccepted() {
        given().contentType("application/yaml").body("""
                apiVersion: v1
                kind: Node
                metadata:
                  name: n-yaml
                  labels:
                    disk: ssd
                """.getBytes(java.nio.charset.StandardCharsets.UTF_8)).post("/api/v1/nodes").then().statusCode(201).body("metadata.labels.disk", equalTo("ssd"));
    }

    @Test
    void missingNodeIsNotFoundStatus() {
        given().get("/api/v1/nodes/nope").then().statusCode(404)
                .body("kind", equalTo("Status")).body("reason", equalTo("NotFound"))
                .body("message", equalTo("nodes \"nope\" not found"));
    }

    @Test
    void secondCreateIsAlreadyExists() {
        given().contentType(ContentType.JSON).body(node("n-dup", "")).post("/api/v1/nodes").then().statusCode(201);
        given().contentType(ContentType.JSON).body(node("n-dup", "")).post("/api/v1/nodes").then().statusCode(409)
                .body("reason", equalTo("AlreadyExists"));
    }

    @Test
    void staleResourceVersionIsConflictAndChangesNothing() {
        String rv = given().contentType(ContentType.JSON).body(node("n-rv", "\"a\":\"1\"")).post("/api/v1/nodes")
                .then().statusCode(201).extract().path("metadata.resourceVersion");
        given().contentType(ContentType.JSON)
                .body("{\"metadata\":{\"name\":\"n-rv\",\"labels\":{\"a\":\"2\"}}}")
                .put("/api/v1/nodes/n-rv").then().statusCode(200);
        given().contentType(ContentType.JSON)
                .body("{\"metadata\":{\"name\":\"n-rv\",\"resourceVersion\":\"" + rv + "\",\"labels\":{\"a\":\"3\"}}}")
                .put("/api/v1/nodes/n-rv").then().statusCode(409).body("reason", equalTo("Conflict"));
        given().get("/api/v1/nodes/n-rv").then().body("metadata.labels.a", equalTo("2"));
    }

    @Test
    void mergePatchChangesLabelsAndStatusPatchChangesOnlyStatus() {
        given().contentType(ContentType.JSON).body(node("n-patch", "\"a\":\"1\",\"b\":\"1\"")).post("/api/v1/nodes")
                .then().statusCode(201);
        given().contentType("application/merge-patch+json").body("{\"metadata\":{\"labels\":{\"a\":\"2\",\"b\":null}}}")
                .patch("/api/v1/nodes/n-patch").then().statusCode(200)
                .body("metadata.labels.a", equalTo("2")).body("metadata.labels.b", equalTo(null));
        given().contentType("application/merge-patch+json")
                .body("{\"metadata\":{\"labels\":{\"a\":\"9\"}},\"status\":{\"allocatable\":{\"cpu\":\"4\"}}}")
                .patch("/api/v1/nodes/n-patch/status").then().statusCode(200)
                .body("status.allocatable.cpu", equalTo("4")).body("metadata.labels.a", equalTo("2"));
        given().contentType("application/json-patch+json").body("[]").patch("/api/v1/nodes/n-patch").then()
                .statusCode(415).body("reason", equalTo("UnsupportedMediaType"));
    }

    @Test
    void listFiltersByLabelAndFieldSelectors() {
        given().contentType(ContentType.JSON).body(node("n-sel-1", "\"tier\":\"gpu\",\"zone\":\"a\""))
                .post("/api/v1/nodes").then().statusCode(201);
        given().contentType(ContentType.JSON).body(node("n-sel-2", "\"tier\":\"cpu\",\"zone\":\"b\""))
                .post("/api/v1/nodes").then().statusCode(201);
        given().queryParam("labelSelector", "tier in (gpu,tpu),zone").get("/api/v1/nodes").then().statusCode(200)
                .body("kind", equalTo("NodeList")).body("items", hasSize(1))
                .body("items[0].metadata.name", equalTo("n-sel-1"));
        given().queryParam("labelSelector", "tier!=gpu,zone=b").get("/api/v1/nodes").then()
                .body("items.metadata.name", equalTo(List.of("n-sel-2")));
        given().queryParam("labelSelector", "!tier").get("/api/v1/nodes").then()
                .body("items.metadata.name", org.hamcrest.Matchers.not(hasItem("n-sel-1")));
        given().queryParam("fieldSelector", "metadata.name=n-sel-2").get("/api/v1/nodes").then()
                .body("items.metadata.name", equalTo(List.of("n-sel-2")));
        given().queryParam("fieldSelector", "spec.podCIDR=x").get("/api/v1/nodes").then().statusCode(400)
                .body("reason", equalTo("BadRequest"));
        given().queryParam("labelSelector", "tier in (gpu").get("/api/v1/nodes").then().statusCode(400);
    }

    @Test
    void invalidNodeIsRejectedWithFieldPathsAndNothingIsStoredOrPublished() {
        given().contentType(ContentType.JSON).body("""
                {"metadata":{"name":"Bad_Name","labels":{"in valid":"x"}},
                 "spec":{"taints":[{"key":"k","effect":"Sometimes"}]}}
                """).post("/api/v1/nodes").then().statusCode(422)
                .body("reason", equalTo("Invalid"))
                .body("details.causes.field", hasItem("metadata.name"))
                .body("details.causes.field", hasItem("metadata.labels"))
                .body("details.causes.field", hasItem("spec.taints[0].effect"));
        given().get("/api/v1/nodes/Bad_Name").then().statusCode(404);
        given().contentType(ContentType.JSON).body("{not json").post("/api/v1/nodes").then().statusCode(400)
                .body("kind", equalTo("Status"));
        // A node created afterwards is published; the rejected one never is.
        given().contentType(ContentType.JSON).body(node("n-after-bad", "")).post("/api/v1/nodes").then()
                .statusCode(201);
        List<TopicProbe.Record> records = TopicProbe.readUntil(KafkaTestResource.bootstrapServers(), Topics.NODES,
                rs -> rs.stream().anyMatch(r -> "n-after-bad".equals(r.key())), Duration.ofSeconds(30));
        assertThat(records).extracting(TopicProbe.Record::key).contains("n-after-bad").doesNotContain("Bad_Name");
    }

    @Test
    void everyChangeIsPublishedInOrderWithTombstoneAfterDelete() {
        given().contentType(ContentType.JSON).body(node("n-events", "")).post("/api/v1/nodes").then().statusCode(201);
        given().contentType("application/merge-patch+json").body("{\"metadata\":{\"labels\":{\"x\":\"y\"}}}")
                .patch("/api/v1/nodes/n-events").then().statusCode(200);
        given().delete("/api/v1/nodes/n-events").then().statusCode(200);
        List<TopicProbe.Record> records = TopicProbe.readUntil(KafkaTestResource.bootstrapServers(), Topics.NODES,
                rs -> rs.stream().filter(r -> "n-events".equals(r.key())).count() >= 4, Duration.ofSeconds(30));
        List<TopicProbe.Record> mine = records.stream().filter(r -> "n-events".equals(r.key())).toList();
        assertThat(mine).hasSize(4);
        assertThat(mine.get(0).value()).contains("\"type\":\"ADDED\"");
        assertThat(mine.get(1).value()).contains("\"type\":\"MODIFIED\"").contains("\"x\":\"y\"");
        assertThat(mine.get(2).value()).contains("\"type\":\"DELETED\"");
        assertThat(mine.get(3).value()).isNull();
    }
}
