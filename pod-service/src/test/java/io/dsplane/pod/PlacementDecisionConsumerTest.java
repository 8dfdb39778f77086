package io.dsplane.pod;

import static io.dsplane.pod.Fixtures.WAIT;
import static io.dsplane.pod.Fixtures.createDecision;
import static io.dsplane.pod.Fixtures.deleteDecision;
import static io.dsplane.pod.Fixtures.evictDecision;
import static io.dsplane.pod.Fixtures.podEvents;
import static io.dsplane.pod.Fixtures.publish;
import static io.dsplane.pod.Fixtures.types;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.util.ArrayList;
import java.util.List;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.dsplane.broker.KafkaTestResource;
import io.dsplane.broker.TopicProbe;
import io.dsplane.contracts.event.Parking;
import io.dsplane.contracts.event.PlacementDecision;
import io.dsplane.contracts.event.Topics;
import io.dsplane.pod.service.PlacementDecisions;
import io.fabric8.kubernetes.api.model.Pod;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
class PlacementDecisionConsumerTest {

    private static final String NS = "decisions";
    private static final String PODS = "/api/v1/namespaces/" + NS + "/pods/";

    private static void awaitPod(String name) {
        Awaitility.await().atMost(WAIT).untilAsserted(() -> given().get(PODS + name).then().statusCode(200));
    }

    private static void awaitGone(String name) {
        Awaitility.await().atMost(WAIT).untilAsserted(() -> given().get(PODS + name).then().statusCode(404));
    }

    private static String uidOf(String name) {
        return given().get(PODS + name).then().statusCode(200).extract().path("metadata.uid");
    }

    @Test
    void createDecisionMaterializesThePodExactlyAndPublishesAdded() {
        publish(Topics.PLACEMENT_DECISIONS, "node-c1", createDecision("create-1", NS, "log-agent-c1", "node-c1"));
        awaitPod("log-agent-c1");
        given().get(PODS + "log-agent-c1").then()
                .body("metadata.labels.app", equalTo("log-agent"))
                .body("metadata.labels.controller-revision-hash", equalTo("7c9d5b8f4"))
                .body("metadata.ownerReferences[0].kind", equalTo("DaemonSet"))
                .body("metadata.ownerReferences[0].name", equalTo("log-agent"))
                .body("metadata.ownerReferences[0].uid", equalTo(Fixtures.DS_UID))
                .body("metadata.ownerReferences[0].controller", equalTo(true))
                .body("spec.nodeName", equalTo("node-c1"))
                .body("spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution"
                        + ".nodeSelectorTerms[0].matchFields[0].key", equalTo("metadata.name"))
                .body("spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution"
                        + ".nodeSelectorTerms[0].matchFields[0].values", equalTo(List.of("node-c1")))
                .body("spec.tolerations[0].key", equalTo("node.kubernetes.io/not-ready"))
                .body("spec.containers[0].resources.requests.cpu", equalTo("50m"))
                .body("status.phase", equalTo("Pending"))
                .body("status.conditions[0].type", equalTo("PodScheduled"))
                .body("status.conditions[0].status", equalTo("True"));
        given().queryParam("fieldSelector", "spec.nodeName=node-c1").get("/api/v1/pods").then()
                .body("items.metadata.name", equalTo(List.of("log-agent-c1")));

        List<TopicProbe.Record> events = podEvents(NS + "/log-agent-c1", rs -> !rs.isEmpty());
        assertThat(types(events)).containsExactly("ADDED");
        assertThat(events.get(0).value()).contains("\"nodeName\":\"node-c1\"").contains("\"PodScheduled\"");
    }

    @Test
    void repeatedAndSecondCreateDecisionsForOnePodCreateItOnce() {
        String decision = createDecision("create-dup-1", NS, "log-agent-dup", "node-dup");
        publish(Topics.PLACEMENT_DECISIONS, "node-dup", decision, decision,
                createDecision("create-dup-2", NS, "log-agent-dup", "node-dup"),
                createDecision("create-dup-marker", NS, "log-agent-dup-marker", "node-dup"));
        // Same key, same partition, applied in order: once the marker exists, the others were applied.
        awaitPod("log-agent-dup-marker");
        String uid = uidOf("log-agent-dup");

        // A later change of the same pod: when its event is read, every earlier event of the key was too.
        given().contentType("application/merge-patch+json").body("{\"metadata\":{\"labels\":{\"seen\":\"yes\"}}}")
                .patch(PODS + "log-agent-dup").then().statusCode(200).body("metadata.uid", equalTo(uid));
        List<TopicProbe.Record> events = podEvents(NS + "/log-agent-dup",
                rs -> rs.stream().anyMatch(r -> r.value() != null && r.value().contains("\"seen\":\"yes\"")));
        assertThat(types(events)).containsExactly("ADDED", "MODIFIED");
    }

    @Test
    void deleteDecisionStartsGracefulDeletionButNotWhenItNamesAnotherUid() {
        publish(Topics.PLACEMENT_DECISIONS, "node-del", createDecision("del-create", NS, "log-agent-del", "node-del"));
        awaitPod("log-agent-del");
        String uid = uidOf("log-agent-del");

        publish(Topics.PLACEMENT_DECISIONS, "node-del",
                deleteDecision("del-stale", NS, "log-agent-del", "node-del", "00000000-0000-0000-0000-000000000000"),
                createDecision("del-marker", NS, "log-agent-del-marker", "node-del"));
        awaitPod("log-agent-del-marker");
        given().get(PODS + "log-agent-del").then().statusCode(200).body("metadata.uid", equalTo(uid))
                .body("metadata.deletionTimestamp", nullValue());

        // A bound, running pod gets its grace period (the default 30 s) to stop ...
        publish(Topics.PLACEMENT_DECISIONS, "node-del", deleteDecision("del-real", NS, "log-agent-del", "node-del", uid));
        Awaitility.await().atMost(WAIT).untilAsserted(() -> given().get(PODS + "log-agent-del").then()
                .statusCode(200).body("metadata.deletionTimestamp", notNullValue())
                .body("metadata.deletionGracePeriodSeconds", equalTo(30)));
        // ... and is gone as soon as its agent reports that it stopped.
        given().contentType("application/merge-patch+json").body("{\"status\":{\"phase\":\"Succeeded\"}}")
                .patch(PODS + "log-agent-del/status").then().statusCode(200);
        given().get(PODS + "log-agent-del").then().statusCode(404);
        List<TopicProbe.Record> events = podEvents(NS + "/log-agent-del", rs -> rs.size() >= 5);
        assertThat(types(events)).containsExactly("ADDED", "MODIFIED", "MODIFIED", "DELETED", "TOMBSTONE");
        assertThat(events.get(1).value()).contains("\"deletionTimestamp\"");
    }

    @Test
    void terminatingPodIsRemovedWhenItsGracePeriodEnds() {
        Pod pod = Fixtures.daemonPod(NS, "log-agent-grace", "node-grace");
        pod.getSpec().setTerminationGracePeriodSeconds(1L);
        publish(Topics.PLACEMENT_DECISIONS, "node-grace", createDecision("grace-create", NS, "log-agent-grace",
                "node-grace", pod));
        awaitPod("log-agent-grace");
        publish(Topics.PLACEMENT_DECISIONS, "node-grace",
                deleteDecision("grace-del", NS, "log-agent-grace", "node-grace", uidOf("log-agent-grace")));
        List<TopicProbe.Record> events = podEvents(NS + "/log-agent-grace", rs -> rs.size() >= 4);
        assertThat(types(events)).containsExactly("ADDED", "MODIFIED", "DELETED", "TOMBSTONE");
        assertThat(events.get(1).value()).contains("\"deletionGracePeriodSeconds\":1");
        given().get(PODS + "log-agent-grace").then().statusCode(404);
    }

    @Test
    void podOfADeletedNodeIsRemovedAtOnce() {
        publish(Topics.PLACEMENT_DECISIONS, "node-gone", createDecision("gone-create", NS, "log-agent-gone", "node-gone"));
        awaitPod("log-agent-gone");
        publish(Topics.PLACEMENT_DECISIONS, "node-gone", Fixtures.decision("gone-del", PlacementDecision.Action.DELETE,
                NS, "log-agent-gone", "node-gone", uidOf("log-agent-gone"), Fixtures.DS_UID,
                PlacementDecision.REASON_NODE_DELETED, "node node-gone was deleted"));
        awaitGone("log-agent-gone");
        assertThat(types(podEvents(NS + "/log-agent-gone", rs -> rs.size() >= 3)))
                .containsExactly("ADDED", "DELETED", "TOMBSTONE");
    }

    @Test
    void evictDecisionMarksDisruptionTargetThenDeletes() {
        Pod victim = Fixtures.daemonPod(NS, "workload-ev", "node-ev");
        victim.getSpec().setTerminationGracePeriodSeconds(0L);
        publish(Topics.PLACEMENT_DECISIONS, "node-ev", createDecision("ev-create", NS, "workload-ev", "node-ev", victim));
        awaitPod("workload-ev");
        String uid = uidOf("workload-ev");

        publish(Topics.PLACEMENT_DECISIONS, "node-ev", evictDecision("ev-1", NS, "workload-ev", "node-ev", uid,
                "PreemptionByScheduler", "preempted by decisions/log-agent-x on node-ev"));
        awaitGone("workload-ev");
        List<TopicProbe.Record> events = podEvents(NS + "/workload-ev", rs -> rs.size() >= 4);
        assertThat(types(events)).containsExactly("ADDED", "MODIFIED", "DELETED", "TOMBSTONE");
        for (TopicProbe.Record r : events.subList(1, 3)) {
            assertThat(r.value()).contains("\"type\":\"DisruptionTarget\"").contains("\"PreemptionByScheduler\"")
                    .contains("preempted by decisions/log-agent-x on node-ev");
        }
    }

    @Test
    void bindDecisionBindsAPendingPodOnceAndMarksItScheduled() {
        Pod pending = Fixtures.daemonPod(NS, "log-agent-pending", "node-b");
        pending.getSpec().setNodeName(null);
        pending.getStatus().getConditions().get(0).setStatus("False");
        pending.getStatus().getConditions().get(0).setReason("Unschedulable");
        publish(Topics.PLACEMENT_DECISIONS, "node-b", createDecision("bind-create", NS, "log-agent-pending", "node-b",
                pending));
        awaitPod("log-agent-pending");
        given().get(PODS + "log-agent-pending").then().body("spec.nodeName", nullValue())
                .body("status.conditions[0].reason", equalTo("Unschedulable"));
        String uid = uidOf("log-agent-pending");

        String bind = Fixtures.decision("bind-1", PlacementDecision.Action.BIND, NS, "log-agent-pending", "node-b", uid,
                Fixtures.DS_UID, "Scheduled", "assigned");
        publish(Topics.PLACEMENT_DECISIONS, "node-b", bind, bind,
                Fixtures.decision("bind-2", PlacementDecision.Action.BIND, NS, "log-agent-pending", "node-other", uid,
                        Fixtures.DS_UID, "Scheduled", "assigned elsewhere"));
        Awaitility.await().atMost(WAIT).untilAsserted(() -> given().get(PODS + "log-agent-pending").then()
                .body("spec.nodeName", equalTo("node-b"))
                .body("status.conditions.find { it.type == 'PodScheduled' }.status", equalTo("True")));
        // The second bind (to another node) found the pod bound and left it: a binding never moves.
        List<TopicProbe.Record> events = podEvents(NS + "/log-agent-pending", rs -> rs.size() >= 2);
        assertThat(types(events)).containsExactly("ADDED", "MODIFIED");
        given().queryParam("fieldSelector", "spec.nodeName=node-b").get("/api/v1/pods").then()
                .body("items.metadata.name", equalTo(List.of("log-agent-pending")));
    }

    @Test
    void adoptTakesOnlyOrphansAndReleaseLetsGo() {
        given().contentType(ContentType.JSON).body(Fixtures.podJson(NS, "orphan", "node-o", "\"app\":\"log-agent\""))
                .post("/api/v1/namespaces/" + NS + "/pods").then().statusCode(201);
        String uid = uidOf("orphan");
        publish(Topics.PLACEMENT_DECISIONS, "node-o",
                Fixtures.decision("adopt-1", PlacementDecision.Action.ADOPT, NS, "orphan", "node-o", uid,
                        Fixtures.DS_UID, "Adopted", "log-agent"),
                Fixtures.decision("adopt-2", PlacementDecision.Action.ADOPT, NS, "orphan", "node-o", uid,
                        "another-daemonset-uid", "Adopted", "other-agent"));
        Awaitility.await().atMost(WAIT).untilAsserted(() -> given().get(PODS + "orphan").then()
                .body("metadata.ownerReferences.size()", equalTo(1))
                .body("metadata.ownerReferences[0].uid", equalTo(Fixtures.DS_UID))
                .body("metadata.ownerReferences[0].name", equalTo("log-agent"))
                .body("metadata.ownerReferences[0].controller", equalTo(true)));

        publish(Topics.PLACEMENT_DECISIONS, "node-o", Fixtures.decision("release-1", PlacementDecision.Action.RELEASE,
                NS, "orphan", "node-o", uid, Fixtures.DS_UID, "Released", "log-agent"));
        Awaitility.await().atMost(WAIT).untilAsserted(() -> given().get(PODS + "orphan").then()
                .body("metadata.ownerReferences", nullValue()));
        // The second adoption arrived after the first had made the pod owned: it changed nothing.
        assertThat(types(podEvents(NS + "/orphan", rs -> rs.size() >= 3))).containsExactly("ADDED", "MODIFIED", "MODIFIED");
    }

    @Test
    void restDeleteOfABoundPodIsGracefulAndZeroGraceRemovesItAtOnce() {
        given().contentType(ContentType.JSON).body(Fixtures.podJson(NS, "graceful", "node-g", "\"owner\":\"user\""))
                .post("/api/v1/namespaces/" + NS + "/pods").then().statusCode(201);
        given().delete(PODS + "graceful").then().statusCode(200)
                .body("metadata.deletionTimestamp", notNullValue())
                .body("metadata.deletionGracePeriodSeconds", equalTo(30));
        given().get(PODS + "graceful").then().statusCode(200);
        given().queryParam("gracePeriodSeconds", -1).delete(PODS + "graceful").then().statusCode(400)
                .body("kind", equalTo("Status")).body("reason", equalTo("BadRequest"));
        given().queryParam("gracePeriodSeconds", 0).delete(PODS + "graceful").then().statusCode(200);
        given().get(PODS + "graceful").then().statusCode(404);
        given().delete(PODS + "graceful").then().statusCode(404).body("reason", equalTo("NotFound"));
    }

    @Test
    void malformedDecisionBetweenTwoGoodOnesIsParkedAndBothGoodOnesAreApplied() {
        publish(Topics.PLACEMENT_DECISIONS, "node-malformed",
                createDecision("mal-1", NS, "log-agent-mal-1", "node-malformed"),
                "{this is not a decision",
                createDecision("mal-2", NS, "log-agent-mal-2", "node-malformed"));
        awaitPod("log-agent-mal-1");
        awaitPod("log-agent-mal-2");

        List<TopicProbe.Record> parked = Fixtures.parked("node-malformed");
        assertThat(parked).singleElement().satisfies(r -> {
            assertThat(r.value()).isEqualTo("{this is not a decision");
            assertThat(r.headers().get(Parking.REASON)).contains("not valid JSON");
            assertThat(r.headers().get(Parking.CAUSE)).isEqualTo("MalformedEvent");
            assertThat(r.headers().get(Parking.TOPIC)).isEqualTo(Topics.PLACEMENT_DECISIONS);
            assertThat(r.headers().get(Parking.CONSUMER)).isEqualTo(PlacementDecisions.CONSUMER);
            assertThat(r.headers().get(Parking.OFFSET)).matches("[0-9]+");
            assertThat(r.headers().get(Parking.PARTITION)).matches("[0-9]+");
        });
    }

    @Test
    void decisionTheRegistryRejectsIsParkedWithTheStatusMessage() {
        Pod invalid = Fixtures.daemonPod(NS, "log-agent-invalid", "node-rejected");
        invalid.getSpec().setContainers(List.of());
        publish(Topics.PLACEMENT_DECISIONS, "node-rejected",
                createDecision("rejected-1", NS, "log-agent-invalid", "node-rejected", invalid),
                "{\"schemaVersion\":1,\"action\":\"DELETE\",\"podNamespace\":\"decisions\"}",
                createDecision("rejected-marker", NS, "log-agent-rejected-marker", "node-rejected"));
        awaitPod("log-agent-rejected-marker");
        given().get(PODS + "log-agent-invalid").then().statusCode(404);

        List<TopicProbe.Record> parked = TopicProbe.readUntil(KafkaTestResource.bootstrapServers(), Topics.PARKED,
                rs -> Fixtures.ofKey(rs, "node-rejected").size() >= 2, WAIT).stream()
                .filter(r -> "node-rejected".equals(r.key())).toList();
        assertThat(parked).hasSize(2);
        assertThat(parked).anySatisfy(r -> {
            assertThat(r.headers().get(Parking.REASON))
                    .isEqualTo("Pod \"log-agent-invalid\" is invalid: spec.containers: Required value");
            assertThat(r.headers().get(Parking.CAUSE)).isEqualTo("Invalid");
        });
        assertThat(parked).anySatisfy(r -> assertThat(r.headers().get(Parking.REASON)).contains("decisionId"));
    }

    @Test
    void createDecisionForANameHeldByAnotherPodCreatesThePodUnderAGeneratedNameOnce() {
        given().contentType(ContentType.JSON).body(Fixtures.podJson(NS, "log-agent-taken", "node-t", "\"owner\":\"user\""))
                .post("/api/v1/namespaces/" + NS + "/pods").then().statusCode(201);
        String decision = createDecision("taken-1", NS, "log-agent-taken", "node-t");
        publish(Topics.PLACEMENT_DECISIONS, "node-t", decision,
                createDecision("taken-2", NS, "log-agent-taken", "node-t"),
                createDecision("taken-marker", NS, "taken-marker", "node-t"));
        awaitPod("taken-marker");
        // The user's pod is untouched ...
        given().get(PODS + "log-agent-taken").then().body("metadata.labels.owner", equalTo("user"))
                .body("metadata.ownerReferences", nullValue());
        // ... and the decided pod exists once, under a generated name that records the requested one.
        List<String> renamed = given().queryParam("fieldSelector", "spec.nodeName=node-t")
                .get("/api/v1/namespaces/" + NS + "/pods").then().extract()
                .path("items.findAll { it.metadata.annotations?.get('placement.dsplane.io/requested-name') "
                        + "== 'log-agent-taken' }.metadata.name");
        assertThat(renamed).singleElement().asString().startsWith("log-agent-").hasSize("log-agent-".length() + 5);
        given().get(PODS + renamed.get(0)).then().body("metadata.ownerReferences[0].uid", equalTo(Fixtures.DS_UID));
    }

    /**
     * The fallback names are derived, not random: a decision whose name and first fallback name are
     * both held by other pods takes the second, and repeats of it find that pod by name.
     */
    @Test
    void createDecisionWhoseFallbackNameIsHeldTooTakesTheNextFallbackNameOnce() {
        String decision = createDecision("fb-1", NS, "log-agent-fb", "node-fb");
        PlacementDecision d = io.dsplane.contracts.event.EventCodec.decodeDecision(
                decision.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String first = PlacementDecisions.fallbackName(d, 1);
        String second = PlacementDecisions.fallbackName(d, 2);
        assertThat(first).startsWith("log-agent-").hasSize("log-agent-".length() + 5).isNotEqualTo(second);
        for (String held : List.of("log-agent-fb", first)) {
            given().contentType(ContentType.JSON).body(Fixtures.podJson(NS, held, "node-fb", "\"owner\":\"user\""))
                    .post("/api/v1/namespaces/" + NS + "/pods").then().statusCode(201);
        }
        publish(Topics.PLACEMENT_DECISIONS, "node-fb", decision, createDecision("fb-2", NS, "log-agent-fb", "node-fb"),
                createDecision("fb-marker", NS, "fb-marker", "node-fb"));
        awaitPod("fb-marker");

        given().get(PODS + second).then().statusCode(200)
                .body("metadata.annotations.'placement.dsplane.io/requested-name'", equalTo("log-agent-fb"))
                .body("metadata.ownerReferences[0].uid", equalTo(Fixtures.DS_UID));
        given().get(PODS + first).then().body("metadata.labels.owner", equalTo("user"));
        List<String> onNode = given().queryParam("fieldSelector", "spec.nodeName=node-fb")
                .get("/api/v1/namespaces/" + NS + "/pods").then().extract().path("items.metadata.name");
        assertThat(onNode).containsExactlyInAnyOrder("log-agent-fb", first, second, "fb-marker");
    }

    @Test
    void oneBatchOfManyDecisionsIsAppliedInOrderWithEveryPodOnce() {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            values.add(createDecision("bulk-" + i, NS, "bulk-" + i, "node-bulk"));
        }
        Pod invalid = Fixtures.daemonPod(NS, "bulk-invalid", "node-bulk");
        invalid.getSpec().setContainers(List.of());
        values.add(20, createDecision("bulk-invalid", NS, "bulk-invalid", "node-bulk", invalid));
        values.add(createDecision("bulk-again-3", NS, "bulk-3", "node-bulk")); // a name the batch created already
        values.add(createDecision("bulk-short", NS, "bulk-short", "node-bulk"));
        values.add(Fixtures.decision("bulk-short-del", PlacementDecision.Action.DELETE, NS, "bulk-short", "node-bulk",
                null, Fixtures.DS_UID, PlacementDecision.REASON_NODE_DELETED, "the node is gone"));
        values.add(createDecision("bulk-marker", NS, "bulk-marker", "node-bulk"));
        publish(Topics.PLACEMENT_DECISIONS, "node-bulk", values.toArray(String[]::new));
        awaitPod("bulk-marker");

        List<String> names = given().queryParam("fieldSelector", "spec.nodeName=node-bulk")
                .get("/api/v1/namespaces/" + NS + "/pods").then().statusCode(200).extract().path("items.metadata.name");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            expected.add("bulk-" + i);
        }
        expected.add("bulk-marker");
        assertThat(names).containsExactlyInAnyOrderElementsOf(expected);
        List<String> versions = given().queryParam("fieldSelector", "spec.nodeName=node-bulk")
                .get("/api/v1/namespaces/" + NS + "/pods").then().extract().path("items.metadata.resourceVersion");
        assertThat(versions).doesNotHaveDuplicates().hasSize(expected.size());

        // The pod created and deleted in the same batch: the delete saw the create.
        assertThat(types(podEvents(NS + "/bulk-short", rs -> types(rs).contains("TOMBSTONE"))))
                .containsExactly("ADDED", "DELETED", "TOMBSTONE");
        // The second CREATE of bulk-3 changed nothing: a later change of the pod is its second event.
        given().contentType("application/merge-patch+json").body("{\"metadata\":{\"labels\":{\"seen\":\"yes\"}}}")
                .patch(PODS + "bulk-3").then().statusCode(200);
        assertThat(types(podEvents(NS + "/bulk-3",
                rs -> rs.stream().anyMatch(r -> r.value() != null && r.value().contains("\"seen\":\"yes\"")))))
                .containsExactly("ADDED", "MODIFIED");
        // The invalid pod is refused on its own, and parked with the registry's message.
        given().get(PODS + "bulk-invalid").then().statusCode(404);
        assertThat(Fixtures.parked("node-bulk")).singleElement().satisfies(r -> assertThat(r.headers()
                .get(Parking.REASON)).isEqualTo("Pod \"bulk-invalid\" is invalid: spec.containers: Required value"));
    }
}
