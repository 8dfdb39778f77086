package io.dsplane.daemonset;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.dsplane.broker.KafkaTestResource;
import io.dsplane.broker.TopicProbe;
import io.dsplane.contracts.api.KubeJson;
import io.dsplane.contracts.event.DaemonSetNodeState;
import io.dsplane.contracts.event.DaemonSetNodeState.OldestPod;
import io.dsplane.contracts.event.EventCodec;
import io.dsplane.contracts.event.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * ControllerRevisionTest drives the revision history over REST (kubernetes-semantics.md §3.4): revisions
 * made and renumbered by DaemonSet writes, rollback, cleanup by revisionHistoryLimit with revisions kept
 * while the scheduler reports pods of them (node states on dsplane.daemonset-node-states.v1), deletion.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
class ControllerRevisionTest {

    private static final String NAMESPACE = "history";
    private static final String API = "/apis/apps/v1";
    private static final String HASH = "controller-revision-hash";
    private static final String MERGE_PATCH = "application/merge-patch+json";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(100);

    // ------------------------------------------------------------------ helpers

    private static String item(String name) {
        return API + "/namespaces/" + NAMESPACE + "/daemonsets/" + name;
    }

    private static String revisionsPath() {
        return API + "/namespaces/" + NAMESPACE + "/controllerrevisions";
    }

    /** create stores a DaemonSet selecting {@code app=<name>} with image agent:1 and returns it. */
    private static JsonPath create(String name, Integer revisionHistoryLimit) {
        String limit = revisionHistoryLimit == null ? "" : "\"revisionHistoryLimit\":" + revisionHistoryLimit + ",";
        String body = """
                {"apiVersion":"apps/v1","kind":"DaemonSet",
                 "metadata":{"name":"%1$s","annotations":{"kubernetes.io/change-cause":"first"}},
                 "spec":{%2$s"selector":{"matchLabels":{"app":"%1$s"}},
                  "template":{"metadata":{"labels":{"app":"%1$s","tier":"node"}},
                   "spec":{"containers":[{"name":"agent","image":"agent:1"}]}}}}
                """.formatted(name, limit);
        return given().contentType(ContentType.JSON).body(body).post(API + "/namespaces/" + NAMESPACE
                + "/daemonsets").then().statusCode(201).extract().jsonPath();
    }

    /** setImage changes the template through a merge patch, as {@code kubectl set image} would. */
    private static JsonPath setImage(String name, String image) {
        return given().contentType(MERGE_PATCH)
                .body("{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"agent\",\"image\":\"" + image
                        + "\"}]}}}}")
                .patch(item(name)).then().statusCode(200).extract().jsonPath();
    }

    private static Response rollback(String name, String body) {
        return given().contentType(ContentType.JSON).body(body).post(item(name) + "/rollback");
    }

    /** revisions are the revisions of DaemonSet {@code name} (selected by its label), by revision number. */
    private static TreeMap<Long, JsonNode> revisions(String name) {
        String json = given().queryParam("labelSelector", "app=" + name).get(revisionsPath()).then().statusCode(200)
                .body("kind", equalTo("ControllerRevisionList")).extract().asString();
        TreeMap<Long, JsonNode> byNumber = new TreeMap<>();
        tree(json).path("items").forEach(r -> byNumber.put(r.path("revision").asLong(), r));
        return byNumber;
    }

    private static String hash(JsonNode revision) {
        return revision.path("metadata").path("labels").path(HASH).asText();
    }

    private static JsonNode tree(String json) {
        try {
            return KubeJson.json().readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode template(String name) {
        return tree(given().get(item(name)).then().statusCode(200).extract().asString()).path("spec")
                .path("template");
    }

    /**
     * podsOn publishes what the scheduler reports for node-1, computed for DaemonSet generation
     * {@code generation}: one pod per hash (the oldest one ready or not), all of these revisions.
     */
    private static void podsOn(String name, String uid, long generation, boolean oldestReady, String... hashes) {
        String dsKey = NAMESPACE + "/" + name;
        DaemonSetNodeState state = new DaemonSetNodeState(1, dsKey, uid, generation, hashes[hashes.length - 1], "node-1", true,
                true, hashes.length, new OldestPod(name + "-pod", oldestReady, oldestReady ? Instant.now() : null,
                        false), Arrays.asList(hashes));
        TopicProbe.publish(KafkaTestResource.bootstrapServers(), Topics.DAEMONSET_NODE_STATES,
                List.of(new TopicProbe.Record(DaemonSetNodeState.key(dsKey, "node-1"),
                        new String(EventCodec.encode(state), StandardCharsets.UTF_8), Map.of())));
    }

    /** awaitStatus waits until the service has applied a node state: status shows these counters. */
    private static void awaitStatus(String name, int desired, int ready) {
        await().atMost(WAIT).pollInterval(POLL).until(() -> {
            JsonPath ds = given().get(item(name)).then().extract().jsonPath();
            return ds.getInt("status.desiredNumberScheduled") == desired && ds.getInt("status.numberReady") == ready;
        });
    }

    // ------------------------------------------------------------------ tests

    @Test
    void createMakesExactlyOneRevisionNumberedOne() {
        JsonPath ds = create("first", null);
        TreeMap<Long, JsonNode> revisions = revisions("first");
        assertThat(revisions.keySet()).containsExactly(1L);
        JsonNode revision = revisions.get(1L);
        String hash = hash(revision);
        assertThat(hash).isNotEmpty();
        assertThat(revision.path("kind").asText()).isEqualTo("ControllerRevision");
        assertThat(revision.path("apiVersion").asText()).isEqualTo("apps/v1");
        assertThat(revision.path("metadata").path("name").asText()).isEqualTo("first-" + hash);
        assertThat(revision.path("metadata").path("labels").path("tier").asText()).isEqualTo("node");
        assertThat(revision.path("metadata").path("annotations").path("kubernetes.io/change-cause").asText())
                .isEqualTo("first");
        JsonNode owner = revision.path("metadata").path("ownerReferences").path(0);
        assertThat(owner.path("kind").asText()).isEqualTo("DaemonSet");
        assertThat(owner.path("uid").asText()).isEqualTo(ds.getString("metadata.uid"));
        assertThat(owner.path("controller").asBoolean()).isTrue();
        assertThat(revision.path("data").path("spec").path("template").path("$patch").asText()).isEqualTo("replace");
        assertThat(revision.path("data").path("spec").path("template").path("spec").path("containers").path(0)
                .path("image").asText()).isEqualTo("agent:1");

        given().get(revisionsPath() + "/first-" + hash).then().statusCode(200).body("revision", equalTo(1));
        given().get(revisionsPath() + "/first-missing").then().statusCode(404).body("reason", equalTo("NotFound"))
                .body("message", containsString("controllerrevisions.apps \"first-missing\" not found"));
        given().queryParam("labelSelector", HASH + "=" + hash).get(revisionsPath()).then().statusCode(200)
                .body("items.metadata.name", equalTo(List.of("first-" + hash)));
        given().queryParam("fieldSelector", "metadata.name=first-" + hash).get(API + "/controllerrevisions").then()
                .statusCode(200).body("items.metadata.name", equalTo(List.of("first-" + hash)));
        given().queryParam("labelSelector", "app=first").get(API + "/namespaces/elsewhere/controllerrevisions")
                .then().statusCode(200).body("items", org.hamcrest.Matchers.empty());
    }

    @Test
    void templateChangeMakesASecondRevisionWithAnotherHash() {
        create("second", null);
        setImage("second", "agent:2");
        TreeMap<Long, JsonNode> revisions = revisions("second");
        assertThat(revisions.keySet()).containsExactly(1L, 2L);
        assertThat(hash(revisions.get(2L))).isNotEqualTo(hash(revisions.get(1L)));
        assertThat(revisions.get(2L).path("data").path("spec").path("template").path("spec").path("containers")
                .path(0).path("image").asText()).isEqualTo("agent:2");

        // A change outside the template makes no revision.
        given().contentType(MERGE_PATCH)
                .body("{\"spec\":{\"minReadySeconds\":5},\"metadata\":{\"labels\":{\"a\":\"b\"}}}")
                .patch(item("second")).then().statusCode(200);
        assertThat(revisions("second").keySet()).containsExactly(1L, 2L);
    }

    @Test
    void rollbackToRevisionOneRenumbersItAndPutsItsTemplateBack() {
        create("undo", null);
        JsonNode original = template("undo");
        setImage("undo", "agent:2");
        String hash1 = hash(revisions("undo").get(1L));
        String hash2 = hash(revisions("undo").get(2L));

        JsonPath rolledBack = rollback("undo", "{\"toRevision\":1}").then().statusCode(200)
                .body("kind", equalTo("DaemonSet")).extract().jsonPath();
        assertThat(rolledBack.getLong("metadata.generation")).isEqualTo(3);
        assertThat(rolledBack.getString("metadata.annotations.'deprecated.daemonset.template.generation'"))
                .isEqualTo("3");
        assertThat(template("undo")).isEqualTo(original);

        TreeMap<Long, JsonNode> revisions = revisions("undo");
        assertThat(revisions.keySet()).containsExactly(2L, 3L);
        assertThat(hash(revisions.get(3L))).isEqualTo(hash1);
        assertThat(hash(revisions.get(2L))).isEqualTo(hash2);
    }

    @Test
    void rollbackWithoutRevisionGoesToThePreviousOneAndBackAgain() {
        create("undo-previous", null);
        JsonNode original = template("undo-previous");
        setImage("undo-previous", "agent:2");
        JsonNode changed = template("undo-previous");
        String hash1 = hash(revisions("undo-previous").get(1L));
        String hash2 = hash(revisions("undo-previous").get(2L));

        rollback("undo-previous", "{\"toRevision\":0}").then().statusCode(200);
        assertThat(template("undo-previous")).isEqualTo(original);
        TreeMap<Long, JsonNode> revisions = revisions("undo-previous");
        assertThat(revisions.keySet()).containsExactly(2L, 3L);
        assertThat(hash(revisions.get(3L))).isEqualTo(hash1);

        // Undoing the undo (empty body: the previous revision) returns to agent:2, renumbered again.
        given().post(item("undo-previous") + "/rollback").then().statusCode(200);
        assertThat(template("undo-previous")).isEqualTo(changed);
        revisions = revisions("undo-previous");
        assertThat(revisions.keySet()).containsExactly(3L, 4L);
        assertThat(hash(revisions.get(4L))).isEqualTo(hash2);
    }

    @Test
    void rollbackToTheCurrentRevisionWritesNothing() {
        create("undo-noop", null);
        setImage("undo-noop", "agent:2");
        // Once the status has observed generation 2 nothing else writes the DaemonSet (no node states).
        await().atMost(WAIT).pollInterval(POLL).until(() -> Integer.valueOf(2).equals(
                given().get(item("undo-noop")).then().extract().path("status.observedGeneration")));
        JsonPath before = given().get(item("undo-noop")).then().extract().jsonPath();

        Response response = rollback("undo-noop", "{\"toRevision\":2}");
        response.then().statusCode(200).header("Warning", containsString("skipped rollback"))
                .header("Warning", containsString("revision 2"));
        assertThat(response.jsonPath().getString("metadata.resourceVersion"))
                .isEqualTo(before.getString("metadata.resourceVersion"));
        assertThat(response.jsonPath().getLong("metadata.generation")).isEqualTo(2);
        assertThat(given().get(item("undo-noop")).then().extract().jsonPath().getString("metadata.resourceVersion"))
                .isEqualTo(before.getString("metadata.resourceVersion"));
        assertThat(revisions("undo-noop").keySet()).containsExactly(1L, 2L);
    }

    @Test
    void rollbackToAMissingRevisionIsNotFound() {
        create("undo-missing", null);
        rollback("undo-missing", "{\"toRevision\":7}").then().statusCode(404).body("kind", equalTo("Status"))
                .body("reason", equalTo("NotFound")).body("message", containsString("revision 7"));
        rollback("undo-missing", "{}").then().statusCode(404)
                .body("message", equalTo("no last revision to roll back to"));
        rollback("undo-missing", "{\"toRevision\":-1}").then().statusCode(400).body("reason", equalTo("BadRequest"));
        rollback("undo-missing", "{\"toRevision\":\"one\"}").then().statusCode(400);
        rollback("no-such-daemonset", "{\"toRevision\":1}").then().statusCode(404)
                .body("message", containsString("daemonsets.apps \"no-such-daemonset\" not found"));
        assertThat(revisions("undo-missing").keySet()).containsExactly(1L);
    }

    @Test
    void historyLimitKeepsTheCurrentAndThatManyOldRevisions() {
        String uid = create("limited", 1).getString("metadata.uid");
        setImage("limited", "agent:2");
        setImage("limited", "agent:3");
        setImage("limited", "agent:4");
        // No node reported at generation 4 yet: pods of any revision may exist that the states do not show.
        TreeMap<Long, JsonNode> revisions = revisions("limited");
        assertThat(revisions.keySet()).containsExactly(1L, 2L, 3L, 4L);
        String hash4 = hash(revisions.get(4L));

        // The scheduler reports the node at generation 4 (its pod runs revision 4): the cleanup keeps one old revision.
        podsOn("limited", uid, 4, false, hash4);
        await().atMost(WAIT).pollInterval(POLL)
                .untilAsserted(() -> assertThat(revisions("limited").keySet()).containsExactly(3L, 4L));
        assertThat(revisions("limited").get(4L).path("data").path("spec").path("template").path("spec")
                .path("containers").path(0).path("image").asText()).isEqualTo("agent:4");

        // Lowering the limit to 0 (generation 5) drops the remaining old revision once the node is reported
        // at generation 5; the current one stays.
        given().contentType(MERGE_PATCH).body("{\"spec\":{\"revisionHistoryLimit\":0}}").patch(item("limited"))
                .then().statusCode(200);
        assertThat(revisions("limited").keySet()).containsExactly(3L, 4L);
        podsOn("limited", uid, 5, false, hash4);
        await().atMost(WAIT).pollInterval(POLL)
                .untilAsserted(() -> assertThat(revisions("limited").keySet()).containsExactly(4L));
    }

    @Test
    void revisionsWithPodsAreKeptUntilThePodsAreGone() {
        // One node throughout, so the states apply in the order published; each changes the status, so the
        // test knows when it has been applied.
        String uid = create("pinned", 1).getString("metadata.uid");
        String hash1 = hash(revisions("pinned").get(1L));
        podsOn("pinned", uid, 1, false, hash1);
        awaitStatus("pinned", 1, 0);
        setImage("pinned", "agent:2");
        String hash2 = hash(revisions("pinned").get(2L));
        podsOn("pinned", uid, 2, true, hash1, hash2);
        awaitStatus("pinned", 1, 1);

        setImage("pinned", "agent:3");
        setImage("pinned", "agent:4");
        // Nothing goes while the states are of generation 2: they may not show pods of revisions 3 and 4 yet.
        assertThat(revisions("pinned").keySet()).containsExactly(1L, 2L, 3L, 4L);
        String hash4 = hash(revisions("pinned").get(4L));
        // At generation 4 revision 3 has no pod and goes; 1 and 2 stay beyond the limit while their pods run.
        podsOn("pinned", uid, 4, false, hash1, hash2);
        await().atMost(WAIT).pollInterval(POLL)
                .untilAsserted(() -> assertThat(revisions("pinned").keySet()).containsExactly(1L, 2L, 4L));
        TreeMap<Long, JsonNode> revisions = revisions("pinned");
        assertThat(hash(revisions.get(1L))).isEqualTo(hash1);
        assertThat(hash(revisions.get(2L))).isEqualTo(hash2);

        // The node rolled to revision 4: the cleanup after that node state frees the oldest revision.
        podsOn("pinned", uid, 4, false, hash4);
        await().atMost(WAIT).pollInterval(POLL)
                .untilAsserted(() -> assertThat(revisions("pinned").keySet()).containsExactly(2L, 4L));
    }

    @Test
    void deletingTheDaemonSetDeletesItsRevisions() {
        create("doomed", null);
        setImage("doomed", "agent:2");
        assertThat(revisions("doomed")).hasSize(2);
        given().delete(item("doomed")).then().statusCode(200);
        assertThat(revisions("doomed")).isEmpty();

        // A new DaemonSet of the same name starts its own history.
        String uid = create("doomed", null).getString("metadata.uid");
        TreeMap<Long, JsonNode> revisions = revisions("doomed");
        assertThat(revisions.keySet()).containsExactly(1L);
        assertThat(revisions.get(1L).path("metadata").path("ownerReferences").path(0).path("uid").asText())
                .isEqualTo(uid);
    }

    @Test
    void rejectedWriteMakesNoRevision() {
        create("rejected", null);
        given().contentType(MERGE_PATCH)
                .body("{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"agent\",\"image\":\"\"}]}}}}")
                .patch(item("rejected")).then().statusCode(422);
        assertThat(revisions("rejected").keySet()).containsExactly(1L);
    }
}
