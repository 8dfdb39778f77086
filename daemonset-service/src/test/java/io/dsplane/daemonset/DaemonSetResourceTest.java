package io.dsplane.daemonset;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.dsplane.broker.KafkaTestResource;
import io.dsplane.broker.TopicProbe;
import io.dsplane.contracts.api.KubeJson;
import io.dsplane.contracts.event.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
class DaemonSetResourceTest {

    private static final String API = "/apis/apps/v1";
    private static final String MERGE_PATCH = "application/merge-patch+json";
    private static final String TEMPLATE_GENERATION = "metadata.annotations.'deprecated.daemonset.template.generation'";
    private static final Duration TOPIC_WAIT = Duration.ofSeconds(30);

    private static String collection(String namespace) {
        return API + "/namespaces/" + namespace + "/daemonsets";
    }

    private static String item(String namespace, String name) {
        return collection(namespace) + "/" + name;
    }

    /** ds is a valid DaemonSet manifest whose selector and template use {@code app=<name>}. */
    private static String ds(String name, String labels, String image) {
        return """
                {"apiVersion":"apps/v1","kind":"DaemonSet",
                 "metadata":{"name":"%1$s","labels":{%2$s}},
                 "spec":{"selector":{"matchLabels":{"app":"%1$s"}},
                  "template":{"metadata":{"labels":{"app":"%1$s"}},
                   "spec":{"containers":[{"name":"agent","image":"%3$s"}]}}}}
                """.formatted(name, labels, image);
    }

    private static String create(String namespace, String body) {
        return given().contentType(ContentType.JSON).body(body).post(collection(namespace)).then().statusCode(201)
                .extract().asString();
    }

    private static JsonNode tree(String json) throws Exception {
        return KubeJson.json().readTree(json);
    }

    /**
     * eventsFor reads the events of one key until there are {@code atLeast}, leaving out MODIFIED events
     * that changed only the status: the service's status computation writes those on its own (a new
     * DaemonSet gets its observedGeneration within a resync period).
     */
    private static List<JsonNode> eventsFor(String key, int atLeast) {
        List<JsonNode> events = new ArrayList<>();
        TopicProbe.readUntil(KafkaTestResource.bootstrapServers(), Topics.DAEMONSETS, rs -> {
            events.clear();
            events.addAll(withoutStatusOnlyChanges(rs.stream().filter(r -> key.equals(r.key())).toList()));
            return events.size() >= atLeast;
        }, TOPIC_WAIT);
        return events;
    }

    private static List<JsonNode> withoutStatusOnlyChanges(List<TopicProbe.Record> records) {
        List<JsonNode> kept = new ArrayList<>();
        JsonNode previous = null;
        for (TopicProbe.Record r : records) {
            JsonNode event;
            try {
                event = r.value() == null ? null : tree(r.value());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            boolean statusOnly = event != null && previous != null && "MODIFIED".equals(event.path("type").asText())
                    && withoutStatus(event).equals(withoutStatus(previous));
            if (!statusOnly) {
                kept.add(event);
            }
            previous = event;
        }
        return kept;
    }

    private static JsonNode withoutStatus(JsonNode event) {
        ObjectNode object = event.path("object").deepCopy();
        object.remove("status");
        ((ObjectNode) object.path("metadata")).remove("resourceVersion");
        return object;
    }

    @Test
    void createdDaemonSetGetsServerMetadataAndDefaults() {
        given().contentType(ContentType.JSON).body(ds("created", "", "agent:1.0")).post(collection("default"))
                .then().statusCode(201)
                .body("metadata.uid", notNullValue())
                .body("metadata.resourceVersion", notNullValue())
                .body("metadata.creationTimestamp", notNullValue())
                .body("metadata.generation", equalTo(1))
                .body("metadata.namespace", equalTo("default"))
                .body(TEMPLATE_GENERATION, equalTo("1"))
                .body("spec.updateStrategy.type", equalTo("RollingUpdate"))
                .body("spec.updateStrategy.rollingUpdate.maxUnavailable", equalTo(1))
                .body("spec.updateStrategy.rollingUpdate.maxSurge", equalTo(0))
                .body("spec.revisionHistoryLimit", equalTo(10))
                .body("spec.template.spec.restartPolicy", equalTo("Always"))
                .body("spec.template.spec.dnsPolicy", equalTo("ClusterFirst"))
                .body("spec.template.spec.terminationGracePeriodSeconds", equalTo(30))
                .body("spec.template.spec.schedulerName", equalTo("default-scheduler"))
                .body("status.numberReady", equalTo(0));
        given().get(item("default", "created")).then().statusCode(200)
                .body("kind", equalTo("DaemonSet")).body("apiVersion", equalTo("apps/v1"))
                .body("spec.revisionHistoryLimit", equalTo(10));
        given().get(item("default", "created") + "/status").then().statusCode(200)
                .body("metadata.name", equalTo("created"));
    }

    @Test
    void submittedStatusIsIgnoredOnCreate() {
        String body = ds("status-on-create", "", "agent:1").replaceFirst("\\}\\s*$",
                ",\"status\":{\"numberReady\":7,\"desiredNumberScheduled\":7}}");
        given().contentType(ContentType.JSON).body(body).post(collection("default")).then().statusCode(201)
                .body("status.numberReady", equalTo(0)).body("status.desiredNumberScheduled", equalTo(0));
    }

    @Test
    void yamlBodyIsAccepted() {
        given().contentType("application/yaml").body("""
                apiVersion: apps/v1
                kind: DaemonSet
                metadata:
                  name: from-yaml
                spec:
                  selector:
                    matchLabels: {app: from-yaml}
                  updateStrategy:
                    type: OnDelete
                  template:
                    metadata:
                      labels: {app: from-yaml}
                    spec:
                      containers:
                      - name: agent
                        image: agent:1
                """.getBytes(StandardCharsets.UTF_8)).post(collection("default")).then().statusCode(201)
                .body("spec.updateStrategy.type", equalTo("OnDelete"))
                .body("spec.updateStrategy.rollingUpdate", nullValue());
    }

    @Test
    void missingDaemonSetIsNotFoundStatus() {
        given().get(item("default", "nope")).then().statusCode(404)
                .body("kind", equalTo("Status")).body("reason", equalTo("NotFound"))
                .body("message", equalTo("daemonsets.apps \"nope\" not found"))
                .body("details.name", equalTo("nope"));
    }

    @Test
    void secondCreateIsAlreadyExists() {
        create("default", ds("dup", "", "agent:1"));
        given().contentType(ContentType.JSON).body(ds("dup", "", "agent:1")).post(collection("default")).then()
                .statusCode(409).body("kind", equalTo("Status")).body("reason", equalTo("AlreadyExists"));
    }

    @Test
    void staleResourceVersionIsConflictAndChangesNothing() throws Exception {
        String rv = tree(create("default", ds("stale", "\"v\":\"1\"", "agent:1")))
                .path("metadata").path("resourceVersion").asText();
        given().contentType(ContentType.JSON).body(ds("stale", "\"v\":\"2\"", "agent:1")).put(item("default", "stale"))
                .then().statusCode(200).body("metadata.labels.v", equalTo("2"));
        ObjectNode stale = (ObjectNode) tree(ds("stale", "\"v\":\"3\"", "agent:1"));
        ((ObjectNode) stale.path("metadata")).put("resourceVersion", rv);
        given().contentType(ContentType.JSON).body(stale.toString()).put(item("default", "stale")).then()
                .statusCode(409).body("reason", equalTo("Conflict"));
        given().get(item("default", "stale")).then().body("metadata.labels.v", equalTo("2"));
    }

    @Test
    void replacementWithoutDefaultedFieldsKeepsGeneration() {
        create("default", ds("replace", "", "agent:1"));
        given().contentType(ContentType.JSON).body(ds("replace", "\"team\":\"infra\"", "agent:1"))
                .put(item("default", "replace")).then().statusCode(200)
                .body("metadata.generation", equalTo(1)).body(TEMPLATE_GENERATION, equalTo("1"))
                .body("spec.revisionHistoryLimit", equalTo(10));
    }

    @Test
    void templatePatchBumpsGenerationAndTemplateGenerationButLabelPatchDoesNot() {
        create("default", ds("patched", "", "agent:1"));
        given().contentType(MERGE_PATCH)
                .body("{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"agent\",\"image\":\"agent:2\"}]}}}}")
                .patch(item("default", "patched")).then().statusCode(200)
                .body("metadata.generation", equalTo(2)).body(TEMPLATE_GENERATION, equalTo("2"))
                .body("spec.template.spec.containers[0].image", equalTo("agent:2"));
        given().contentType(MERGE_PATCH).body("{\"metadata\":{\"labels\":{\"team\":\"infra\"}}}")
                .patch(item("default", "patched")).then().statusCode(200)
                .body("metadata.labels.team", equalTo("infra"))
                .body("metadata.generation", equalTo(2)).body(TEMPLATE_GENERATION, equalTo("2"));
        given().contentType(MERGE_PATCH).body("{\"spec\":{\"minReadySeconds\":10}}")
                .patch(item("default", "patched")).then().statusCode(200)
                .body("metadata.generation", equalTo(3)).body(TEMPLATE_GENERATION, equalTo("2"));
        given().contentType("application/json-patch+json").body("[]").patch(item("default", "patched")).then()
                .statusCode(415).body("reason", equalTo("UnsupportedMediaType"));
    }

    @Test
    void statusSubresourceChangesOnlyStatus() throws Exception {
        create("default", ds("status", "\"v\":\"1\"", "agent:1"));
        // The service's own status computation writes observedGeneration first; after that it leaves the
        // status alone (no node states, nothing to wait for), so the writes below are the only ones.
        Awaitility.await().atMost(TOPIC_WAIT).until(() -> given().get(item("default", "status")).then()
                .extract().path("status.observedGeneration") != null);
        ObjectNode current = (ObjectNode) tree(given().get(item("default", "status")).then().statusCode(200)
                .extract().asString());
        ((ObjectNode) current.path("metadata").path("labels")).put("v", "2");
        ((ObjectNode) current.path("spec")).put("minReadySeconds", 99);
        ObjectNode status = current.putObject("status");
        status.put("desiredNumberScheduled", 3).put("currentNumberScheduled", 3).put("numberReady", 2)
                .put("numberMisscheduled", 0).put("observedGeneration", 1);
        given().contentType(ContentType.JSON).body(current.toString()).put(item("default", "status") + "/status")
                .then().statusCode(200)
                .body("status.desiredNumberScheduled", equalTo(3)).body("status.numberReady", equalTo(2))
                .body("metadata.labels.v", equalTo("1")).body("spec.minReadySeconds", nullValue())
                .body("metadata.generation", equalTo(1));
        given().contentType(MERGE_PATCH).body("{\"status\":{\"numberReady\":3},\"spec\":{\"minReadySeconds\":5}}")
                .patch(item("default", "status") + "/status").then().statusCode(200)
                .body("status.numberReady", equalTo(3)).body("spec.minReadySeconds", nullValue());
        given().contentType(MERGE_PATCH).body("{\"status\":{\"numberReady\":-1}}")
                .patch(item("default", "status") + "/status").then().statusCode(422)
                .body("details.causes.field", equalTo(List.of("status.numberReady")));
        given().get(item("default", "status")).then().body("status.numberReady", equalTo(3))
                .body("metadata.labels.v", equalTo("1"));
    }

    @Test
    void listFiltersByLabelAndFieldSelectors() {
        create("sel", ds("sel-1", "\"sel-tier\":\"gpu\",\"zone\":\"a\"", "agent:1"));
        create("sel", ds("sel-2", "\"sel-tier\":\"cpu\",\"zone\":\"b\"", "agent:1"));
        create("sel", ds("sel-3", "\"zone\":\"c\"", "agent:1"));
        create("sel-other", ds("sel-4", "\"sel-tier\":\"gpu\"", "agent:1"));
        given().queryParam("labelSelector", "sel-tier=gpu").get(collection("sel")).then().statusCode(200)
                .body("kind", equalTo("DaemonSetList")).body("apiVersion", equalTo("apps/v1"))
                .body("metadata.resourceVersion", notNullValue())
                .body("items.metadata.name", equalTo(List.of("sel-1")));
        given().queryParam("labelSelector", "sel-tier!=gpu").get(collection("sel")).then()
                .body("items.metadata.name", equalTo(List.of("sel-2", "sel-3")));
        given().queryParam("labelSelector", "sel-tier in (gpu,cpu)").get(collection("sel")).then()
                .body("items.metadata.name", equalTo(List.of("sel-1", "sel-2")));
        given().queryParam("labelSelector", "!sel-tier").get(collection("sel")).then()
                .body("items.metadata.name", equalTo(List.of("sel-3")));
        given().queryParam("fieldSelector", "metadata.name=sel-2").get(collection("sel")).then()
                .body("items.metadata.name", equalTo(List.of("sel-2")));
        given().queryParam("labelSelector", "sel-tier=gpu").get(API + "/daemonsets").then().statusCode(200)
                .body("items.metadata.name", containsInAnyOrder("sel-1", "sel-4"));
        given().queryParam("fieldSelector", "metadata.namespace=sel-other").get(API + "/daemonsets").then()
                .body("items.metadata.name", equalTo(List.of("sel-4")));
        given().queryParam("fieldSelector", "spec.minReadySeconds=1").get(collection("sel")).then()
                .statusCode(400).body("reason", equalTo("BadRequest"));
        given().queryParam("labelSelector", "sel-tier in (gpu").get(collection("sel")).then().statusCode(400);
    }

    @Test
    void unknownFieldsSurviveTheRoundTrip() {
        String body = """
                {"apiVersion":"apps/v1","kind":"DaemonSet","futureField":{"kept":true},
                 "metadata":{"name":"unknown-fields"},
                 "spec":{"futureSpecField":"yes","selector":{"matchLabels":{"app":"u"}},
                  "template":{"metadata":{"labels":{"app":"u"}},
                   "spec":{"futurePodField":[1,2],
                    "containers":[{"name":"agent","image":"agent:1","futureContainerField":"c"}]}}}}
                """;
        given().contentType(ContentType.JSON).body(body).post(collection("default")).then().statusCode(201);
        given().contentType(MERGE_PATCH).body("{\"metadata\":{\"labels\":{\"x\":\"y\"}}}")
                .patch(item("default", "unknown-fields")).then().statusCode(200);
        given().get(item("default", "unknown-fields")).then().statusCode(200)
                .body("futureField.kept", equalTo(true))
                .body("spec.futureSpecField", equalTo("yes"))
                .body("spec.template.spec.futurePodField", equalTo(List.of(1, 2)))
                .body("spec.template.spec.containers[0].futureContainerField", equalTo("c"))
                .body("metadata.generation", equalTo(1));
    }

    @Test
    void invalidManifestIsRejectedWithFieldPathsAndNothingIsStoredOrPublished() throws Exception {
        String invalid = """
                {"metadata":{"name":"rejected"},
                 "spec":{"selector":{"matchLabels":{"app":"rejected"}},
                  "updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":1,"maxSurge":1}},
                  "template":{"metadata":{"labels":{"app":"other"}},
                   "spec":{"restartPolicy":"OnFailure","activeDeadlineSeconds":5,"containers":[]}}}}
                """;
        given().contentType(ContentType.JSON).body(invalid).post(collection("default")).then().statusCode(422)
                .body("kind", equalTo("Status")).body("reason", equalTo("Invalid"))
                .body("details.kind", equalTo("DaemonSet")).body("details.name", equalTo("rejected"))
                .body("details.causes.field", equalTo(List.of("spec.template.metadata.labels",
                        "spec.template.spec.containers", "spec.template.spec.restartPolicy",
                        "spec.template.spec.activeDeadlineSeconds", "spec.updateStrategy.rollingUpdate.maxSurge")))
                .body("details.causes.reason", hasItems("FieldValueInvalid", "FieldValueRequired",
                        "FieldValueNotSupported", "FieldValueForbidden"));
        given().get(item("default", "rejected")).then().statusCode(404);

        // The same key is then created validly: its partition must hold the ADDED of that object only.
        String uid = tree(create("default", ds("rejected", "", "agent:1"))).path("metadata").path("uid").asText();
        List<JsonNode> events = eventsFor("default/rejected", 1);
        assertThat(events).hasSize(1);
        assertThat(events.get(0).path("type").asText()).isEqualTo("ADDED");
        assertThat(events.get(0).path("object").path("metadata").path("uid").asText()).isEqualTo(uid);
    }

    @Test
    void invalidUpdateIsRejectedAndNeitherStoredNorPublished() throws Exception {
        create("default", ds("immutable", "", "agent:1"));
        given().contentType(MERGE_PATCH)
                .body("{\"spec\":{\"selector\":{\"matchLabels\":{\"tier\":\"x\"}},"
                        + "\"template\":{\"metadata\":{\"labels\":{\"tier\":\"x\"}}}}}")
                .patch(item("default", "immutable")).then().statusCode(422)
                .body("details.causes.field", equalTo(List.of("spec.selector")))
                .body("details.causes[0].message", org.hamcrest.Matchers.endsWith("field is immutable"));
        given().contentType(MERGE_PATCH).body("{\"spec\":{\"revisionHistoryLimit\":-1}}")
                .patch(item("default", "immutable")).then().statusCode(422)
                .body("details.causes.field", equalTo(List.of("spec.revisionHistoryLimit")));
        given().get(item("default", "immutable")).then().statusCode(200)
                .body("spec.selector.matchLabels.tier", nullValue()).body("spec.revisionHistoryLimit", equalTo(10));
        String rv = tree(given().contentType(MERGE_PATCH).body("{\"metadata\":{\"labels\":{\"ok\":\"yes\"}}}")
                .patch(item("default", "immutable")).then().statusCode(200).extract().asString())
                .path("metadata").path("resourceVersion").asText();
        List<JsonNode> events = eventsFor("default/immutable", 2);
        assertThat(events).extracting(e -> e.path("type").asText()).containsExactly("ADDED", "MODIFIED");
        assertThat(events.get(1).path("resourceVersion").asText()).isEqualTo(rv);
    }

    @Test
    void unparsableBodyIsBadRequestStatus() {
        given().contentType(ContentType.JSON).body("{not json").post(collection("default")).then().statusCode(400)
                .body("kind", equalTo("Status")).body("reason", equalTo("BadRequest"));
        given().contentType("application/yaml").body("a: [".getBytes(StandardCharsets.UTF_8))
                .post(collection("default")).then().statusCode(400).body("reason", equalTo("BadRequest"));
    }

    @Test
    void createUpdateAndDeleteArePublishedInOrderWithTombstone() throws Exception {
        String createdRv = tree(create("events", ds("ds-events", "", "agent:1")))
                .path("metadata").path("resourceVersion").asText();
        String updatedRv = tree(given().contentType(ContentType.JSON).body(ds("ds-events", "", "agent:2"))
                .put(item("events", "ds-events")).then().statusCode(200).extract().asString())
                .path("metadata").path("resourceVersion").asText();
        String deletedRv = tree(given().delete(item("events", "ds-events")).then().statusCode(200).extract()
                .asString()).path("metadata").path("resourceVersion").asText();
        given().get(item("events", "ds-events")).then().statusCode(404);
        given().delete(item("events", "ds-events")).then().statusCode(404);

        List<JsonNode> events = eventsFor("events/ds-events", 4);
        assertThat(events).hasSize(4);
        assertThat(events.get(0).path("type").asText()).isEqualTo("ADDED");
        assertThat(events.get(0).path("resourceVersion").asText()).isEqualTo(createdRv);
        assertThat(events.get(1).path("type").asText()).isEqualTo("MODIFIED");
        assertThat(events.get(1).path("resourceVersion").asText()).isEqualTo(updatedRv);
        assertThat(events.get(1).path("object").path("spec").path("template").path("spec").path("containers")
                .path(0).path("image").asText()).isEqualTo("agent:2");
        assertThat(events.get(1).path("object").path("metadata").path("generation").asLong()).isEqualTo(2);
        assertThat(events.get(2).path("type").asText()).isEqualTo("DELETED");
        assertThat(events.get(2).path("resourceVersion").asText()).isEqualTo(deletedRv);
        assertThat(events.get(2).path("object").path("metadata").path("name").asText()).isEqualTo("ds-events");
        assertThat(events.get(3)).isNull();
        assertThat(Long.parseLong(createdRv)).isLessThan(Long.parseLong(updatedRv));
        assertThat(Long.parseLong(updatedRv)).isLessThan(Long.parseLong(deletedRv));
        assertThat(events.get(0).path("schemaVersion").asInt()).isEqualTo(1);
        assertThat(events.get(0).path("eventId").asText()).isNotEmpty();
    }

    @Test
    void unknownPathIsNotFoundStatus() {
        given().get(API + "/namespaces/default/replicasets").then().statusCode(404)
                .body("kind", equalTo("Status")).body("details.causes", nullValue());
        given().get(collection("empty-namespace")).then().statusCode(200)
                .body("items", org.hamcrest.Matchers.empty());
        given().queryParam("labelSelector", "nothing-has-this").get(API + "/daemonsets").then().statusCode(200)
                .body("items.metadata.name", org.hamcrest.Matchers.not(hasItem("created")));
    }
}
