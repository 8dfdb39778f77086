package io.dsplane.pod;

import static io.dsplane.pod.Fixtures.podEvents;
import static io.dsplane.pod.Fixtures.podJson;
import static io.dsplane.pod.Fixtures.types;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.dsplane.broker.KafkaTestResource;
import io.dsplane.broker.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
class PodResourceTest {

    private static final String NS = "rest";
    private static final String PODS = "/api/v1/namespaces/" + NS + "/pods";
    private static final String MERGE = "application/merge-patch+json";

    private static void create(String namespace, String name, String node, String labels) {
        given().contentType(ContentType.JSON).body(podJson(namespace, name, node, labels))
                .post("/api/v1/namespaces/" + namespace + "/pods").then().statusCode(201);
    }

    @Test
    void createdPodGetsServerMetadataAndStartsPendingWhateverStatusWasSent() {
        given().contentType(ContentType.JSON).body("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-1","labels":{"app":"web"}},
                 "spec":{"nodeName":"node-a","containers":[{"name":"web","image":"nginx:1.27"}]},
                 "status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]}}
                """).post(PODS).then().statusCode(201)
                .body("metadata.namespace", equalTo(NS))
                .body("metadata.uid", notNullValue())
                .body("metadata.resourceVersion", notNullValue())
                .body("metadata.creationTimestamp", notNullValue())
                .body("spec.restartPolicy", equalTo("Always"))
                .body("status.phase", equalTo("Pending"))
                .body("status.conditions", nullValue());
        given().get(PODS + "/web-1").then().statusCode(200).body("spec.nodeName", equalTo("node-a"));
        given().get(PODS + "/web-1/status").then().statusCode(200).body("status.phase", equalTo("Pending"));
    }

    @Test
    void yamlBodyIsAcceptedUnparsableBodyIsBadRequestAndUnparsableQuantityIsInvalid() {
        given().contentType("application/yaml").body("""
                apiVersion: v1
                kind: Pod
                metadata:
                  name: from-yaml
                  labels:
                    tier: yaml
                spec:
                  nodeName: node-y
                  containers:
                  - name: main
                    image: busybox:1.36
                """.getBytes(StandardCharsets.UTF_8)).post(PODS).then().statusCode(201).body("metadata.labels.tier", equalTo("yaml"));
        given().contentType(ContentType.JSON).body("{not json").post(PODS).then().statusCode(400)
                .body("kind", equalTo("Status")).body("reason", equalTo("BadRequest"));
        given().contentType(ContentType.JSON).body(podJson(NS, "bad-cpu", "n", "").replace("100m", "lots"))
                .post(PODS).then().statusCode(422)
                .body("details.causes.field", equalTo(List.of("spec.containers[0].resources.requests[cpu]")));
    }

    @Test
    void missingPodIsNotFoundStatus() {
        given().get(PODS + "/nope").then().statusCode(404)
                .body("kind", equalTo("Status")).body("reason", equalTo("NotFound"))
                .body("message", equalTo("pods \"nope\" not found"));
        given().delete(PODS + "/nope").then().statusCode(404);
        given().contentType(MERGE).body("{\"status\":{\"phase\":\"Running\"}}").patch(PODS + "/nope/status").then()
                .statusCode(404);
    }

    @Test
    void secondCreateIsAlreadyExists() {
        create(NS, "dup", "node-a", "");
        given().contentType(ContentType.JSON).body(podJson(NS, "dup", "node-b", "")).post(PODS).then()
                .statusCode(409).body("reason", equalTo("AlreadyExists"))
                .body("message", equalTo("pods \"dup\" already exists"));
        given().get(PODS + "/dup").then().body("spec.nodeName", equalTo("node-a"));
    }

    @Test
    void staleResourceVersionIsConflictAndChangesNothing() {
        String rv = given().contentType(ContentType.JSON).body(podJson(NS, "rv", "node-a", "\"v\":\"1\""))
                .post(PODS).then().statusCode(201).extract().path("metadata.resourceVersion");
        given().contentType(MERGE).body("{\"metadata\":{\"labels\":{\"v\":\"2\"}}}").patch(PODS + "/rv").then()
                .statusCode(200).body("metadata.labels.v", equalTo("2"));
        given().contentType(MERGE)
                .body("{\"metadata\":{\"resourceVersion\":\"" + rv + "\",\"labels\":{\"v\":\"3\"}}}")
                .patch(PODS + "/rv").then().statusCode(409).body("reason", equalTo("Conflict"));
        given().get(PODS + "/rv").then().body("metadata.labels.v", equalTo("2"));
    }

    @Test
    void invalidPodIsRejectedWithFieldPathsAndNothingIsStoredOrPublished() {
        given().contentType(ContentType.JSON).body("""
                {"metadata":{"name":"Bad_Pod"},
                 "spec":{"nodeName":"Node_A","restartPolicy":"Sometimes","priority":-5,
                   "containers":[
                     {"name":"app","resources":{"requests":{"cpu":"-1"},"limits":{"memory":"1Gi"}}},
                     {"name":"app","image":"x","resources":{"requests":{"memory":"2Gi"},"limits":{"memory":"1Gi"}}},
                     {"name":"Not_A_Label","image":"x","ports":[{"containerPort":70000}]}],
                   "tolerations":[{"operator":"Equal","value":"x"}]}}
                """).post(PODS).then().statusCode(422)
                .body("kind", equalTo("Status")).body("reason", equalTo("Invalid"))
                .body("details.causes.field", hasItems("metadata.name", "spec.nodeName", "spec.restartPolicy",
                        "spec.priority", "spec.containers[0].image", "spec.containers[0].resources.requests[cpu]",
                        "spec.containers[1].name", "spec.containers[1].resources.requests[memory]",
                        "spec.containers[2].name", "spec.containers[2].ports[0].containerPort",
                        "spec.tolerations[0].operator"));
        given().contentType(ContentType.JSON)
                .body("{\"metadata\":{\"name\":\"no-containers\"},\"spec\":{\"containers\":[]}}").post(PODS).then()
                .statusCode(422).body("details.causes.field", equalTo(List.of("spec.containers")))
                .body("message", equalTo("Pod \"no-containers\" is invalid: spec.containers: Required value"));
        given().get(PODS + "/Bad_Pod").then().statusCode(404);
        given().get(PODS + "/no-containers").then().statusCode(404);

        // The outbox relay publishes in commit order: once a later pod is on the topic, an event of the
        // rejected ones would have been published before it.
        create(NS, "after-invalid", "node-a", "");
        List<TopicProbe.Record> all = TopicProbe.readUntil(KafkaTestResource.bootstrapServers(),
                io.dsplane.contracts.event.Topics.PODS, rs -> !Fixtures.ofKey(rs, NS + "/after-invalid").isEmpty(),
                Fixtures.WAIT);
        assertThat(all).extracting(TopicProbe.Record::key).contains(NS + "/after-invalid")
                .doesNotContain(NS + "/Bad_Pod", NS + "/no-containers");
    }

    @Test
    void specOfAnExistingPodIsFixedExceptImagesAndNewTolerations() {
        create(NS, "immutable", "node-a", "");
        given().contentType(MERGE).body("{\"spec\":{\"nodeName\":\"node-b\"}}").patch(PODS + "/immutable").then()
                .statusCode(422).body("details.causes.field", equalTo(List.of("spec")));
        given().contentType(MERGE)
                .body("{\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"registry.example/app:2\","
                        + "\"resources\":{\"requests\":{\"cpu\":\"100m\",\"memory\":\"64Mi\"},"
                        + "\"limits\":{\"cpu\":\"200m\",\"memory\":\"128Mi\"}}}],"
                        + "\"tolerations\":[{\"key\":\"dedicated\",\"operator\":\"Exists\"}]}}")
                .patch(PODS + "/immutable").then().statusCode(200)
                .body("spec.containers[0].image", equalTo("registry.example/app:2"))
                .body("spec.nodeName", equalTo("node-a"))
                .body("metadata.generation", equalTo(2));
        given().contentType(MERGE).body("{\"spec\":{\"tolerations\":[]}}").patch(PODS + "/immutable").then()
                .statusCode(422).body("details.causes.field", hasItem("spec.tolerations"));
    }

    @Test
    void listsAcrossNamespacesAndFiltersByNodeNamePhaseAndLabels() {
        create("sel-a", "p1", "node-sel-1", "\"app\":\"web\",\"tier\":\"front\"");
        create("sel-a", "p2", "node-sel-2", "\"app\":\"web\",\"tier\":\"back\"");
        create("sel-b", "p3", "node-sel-1", "\"app\":\"db\"");

        given().get("/api/v1/pods").then().statusCode(200).body("kind", equalTo("PodList"))
                .body("metadata.resourceVersion", notNullValue())
                .body("items.metadata.name", hasItems("p1", "p2", "p3"));
        given().get("/api/v1/namespaces/sel-a/pods").then().statusCode(200)
                .body("items.metadata.name", equalTo(List.of("p1", "p2")));
        given().queryParam("fieldSelector", "spec.nodeName=node-sel-1").get("/api/v1/pods").then()
                .body("items.metadata.name", equalTo(List.of("p1", "p3")));
        given().queryParam("fieldSelector", "spec.nodeName=node-sel-1,metadata.namespace=sel-b")
                .get("/api/v1/pods").then().body("items.metadata.name", equalTo(List.of("p3")));
        given().queryParam("fieldSelector", "status.phase=Pending").get("/api/v1/namespaces/sel-a/pods").then()
                .body("items.metadata.name", equalTo(List.of("p1", "p2")));
        given().queryParam("fieldSelector", "status.phase!=Pending").get("/api/v1/namespaces/sel-a/pods").then()
                .body("items.metadata.name", equalTo(List.of()));
        given().queryParam("labelSelector", "app=web,tier in (back)").get("/api/v1/pods").then()
                .body("items.metadata.name", equalTo(List.of("p2")));
        given().queryParam("labelSelector", "app!=web").get("/api/v1/namespaces/sel-b/pods").then()
                .body("items.metadata.name", equalTo(List.of("p3")));
        given().queryParam("fieldSelector", "spec.hostname=x").get("/api/v1/pods").then().statusCode(400)
                .body("reason", equalTo("BadRequest"));
    }

    @Test
    void statusPatchChangesOnlyTheStatus() {
        create(NS, "status-patch", "node-a", "\"app\":\"web\"");
        given().contentType(MERGE).body("""
                {"metadata":{"labels":{"app":"hijacked"}},"spec":{"nodeName":"node-z"},
                 "status":{"phase":"Running","podIP":"10.1.2.3",
                   "conditions":[{"type":"Ready","status":"True"}]}}
                """).patch(PODS + "/status-patch/status").then().statusCode(200)
                .body("status.phase", equalTo("Running"))
                .body("status.podIP", equalTo("10.1.2.3"))
                .body("status.conditions[0].type", equalTo("Ready"))
                .body("metadata.labels.app", equalTo("web"))
                .body("spec.nodeName", equalTo("node-a"))
                .body("metadata.generation", equalTo(1));
        given().contentType(MERGE).body("{\"status\":{\"phase\":\"Sleeping\",\"podIP\":\"not-an-ip\"}}")
                .patch(PODS + "/status-patch/status").then().statusCode(422)
                .body("details.causes.field", equalTo(List.of("status.phase", "status.podIP")));
        given().contentType(MERGE).body("{\"status\":{\"phase\":\"Failed\"}}")
                .patch(PODS + "/status-patch/status").then().statusCode(200);
        given().contentType(MERGE).body("{\"status\":{\"phase\":\"Running\"}}")
                .patch(PODS + "/status-patch/status").then().statusCode(422)
                .body("details.causes[0].field", equalTo("status.phase"))
                .body("details.causes[0].reason", equalTo("FieldValueForbidden"));
    }

    @Test
    void statusPutReplacesTheStatusAndKeepsTheRest() {
        create(NS, "status-put", "node-a", "\"app\":\"web\"");
        given().contentType(ContentType.JSON).body("""
                {"metadata":{"name":"status-put","labels":{"app":"other"}},
                 "status":{"phase":"Running","conditions":[{"type":"Ready","status":"False","reason":"Probing"}]}}
                """).put(PODS + "/status-put/status").then().statusCode(200)
                .body("status.phase", equalTo("Running"))
                .body("status.conditions[0].reason", equalTo("Probing"))
                .body("metadata.labels.app", equalTo("web"));
    }

    @Test
    void deleteWithZeroGraceRemovesThePodAndPublishesDeletedThenTombstone() {
        create(NS, "to-delete", "node-a", "");
        given().contentType(MERGE).body("{\"metadata\":{\"labels\":{\"x\":\"y\"}}}").patch(PODS + "/to-delete")
                .then().statusCode(200);
        given().queryParam("gracePeriodSeconds", 0).delete(PODS + "/to-delete").then().statusCode(200)
                .body("metadata.name", equalTo("to-delete"));
        given().get(PODS + "/to-delete").then().statusCode(404);
        List<TopicProbe.Record> events = podEvents(NS + "/to-delete", rs -> rs.size() >= 4);
        assertThat(types(events)).containsExactly("ADDED", "MODIFIED", "DELETED", "TOMBSTONE");
        assertThat(events.get(1).value()).contains("\"x\":\"y\"");
        given().get("/api/v1/pods").then().body("items.metadata.name", not(hasItem("to-delete")));
    }
}
