package io.dsplane.daemonset;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.dsplane.broker.KafkaTestResource;
import io.dsplane.broker.TopicProbe;
import io.dsplane.contracts.api.KubeJson;
import io.dsplane.contracts.event.DaemonSetNodeState;
import io.dsplane.contracts.event.DaemonSetNodeState.OldestPod;
import io.dsplane.contracts.event.EventCodec;
import io.dsplane.contracts.event.Parking;
import io.dsplane.contracts.event.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * DaemonSetStatusTest drives status the way the scheduler does: node states on
 * dsplane.daemonset-node-states.v1, status read back over REST (kubernetes-semantics.md §4).
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
class DaemonSetStatusTest {

    private static final String NAMESPACE = "status";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(100);

    // ------------------------------------------------------------------ helpers

    private static String item(String name) {
        return "/apis/apps/v1/namespaces/" + NAMESPACE + "/daemonsets/" + name;
    }

    /** create stores a DaemonSet selecting {@code app=<name>} and returns its uid. */
    private static String create(String name, int minReadySeconds) {
        String body = """
                {"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"%1$s"},
                 "spec":{"minReadySeconds":%2$d,"selector":{"matchLabels":{"app":"%1$s"}},
                  "template":{"metadata":{"labels":{"app":"%1$s"}},
                   "spec":{"containers":[{"name":"agent","image":"agent:1"}]}}}}
                """.formatted(name, minReadySeconds);
        return given().contentType(ContentType.JSON).body(body).post("/apis/apps/v1/namespaces/" + NAMESPACE
                + "/daemonsets").then().statusCode(201).extract().path("metadata.uid");
    }

    private static OldestPod readyPod(Instant since, boolean updated) {
        return new OldestPod("agent-pod", true, since, updated);
    }

    private static OldestPod notReadyPod(boolean updated) {
        return new OldestPod("agent-pod", false, null, updated);
    }

    /** state is what the scheduler publishes for (DaemonSet {@code name}, {@code node}), keyed as it keys it. */
    private static TopicProbe.Record state(String name, String uid, long generation, String node, boolean shouldRun,
            boolean shouldContinueRunning, int pods, OldestPod oldest) {
        String dsKey = NAMESPACE + "/" + name;
        DaemonSetNodeState value = new DaemonSetNodeState(1, dsKey, uid, generation, "hash-1", node, shouldRun,
                shouldContinueRunning, pods, oldest);
        return new TopicProbe.Record(DaemonSetNodeState.key(dsKey, node),
                new String(EventCodec.encode(value), StandardCharsets.UTF_8), Map.of());
    }

    private static TopicProbe.Record tombstone(String name, String node) {
        return new TopicProbe.Record(DaemonSetNodeState.key(NAMESPACE + "/" + name, node), null, Map.of());
    }

    private static void publish(TopicProbe.Record... records) {
        TopicProbe.publish(KafkaTestResource.bootstrapServers(), Topics.DAEMONSET_NODE_STATES, Arrays.asList(records));
    }

    private static JsonPath status(String name) {
        return given().get(item(name) + "/status").then().statusCode(200).extract().jsonPath();
    }

    /** Counts is a status as the seven counters and observedGeneration; counters apps/v1 omits read as 0. */
    record Counts(int desired, int current, int misscheduled, int ready, int available, int updated,
            int unavailable, long observedGeneration) {

        static Counts of(JsonPath status) {
            return new Counts(n(status, "desiredNumberScheduled"), n(status, "currentNumberScheduled"),
                    n(status, "numberMisscheduled"), n(status, "numberReady"), n(status, "numberAvailable"),
                    n(status, "updatedNumberScheduled"), n(status, "numberUnavailable"),
                    n(status, "observedGeneration"));
        }

        private static int n(JsonPath status, String field) {
            Object v = status.get("status." + field);
            return v == null ? 0 : ((Number) v).intValue();
        }
    }

    private static void awaitCounts(String name, Counts expected) {
        await().atMost(WAIT).pollInterval(POLL)
                .untilAsserted(() -> assertThat(Counts.of(status(name))).isEqualTo(expected));
    }

    /** daemonSetEvents are the DaemonSet events of {@code name} on dsplane.daemonsets.v1, once {@code done} holds. */
    private static List<JsonNode> daemonSetEvents(String name, java.util.function.Predicate<List<JsonNode>> done) {
        String key = NAMESPACE + "/" + name;
        List<JsonNode> out = new ArrayList<>();
        TopicProbe.readUntil(KafkaTestResource.bootstrapServers(), Topics.DAEMONSETS, rs -> {
            out.clear();
            rs.stream().filter(r -> key.equals(r.key()) && r.value() != null).forEach(r -> out.add(tree(r.value())));
            return done.test(out);
        }, WAIT);
        return out;
    }

    private static JsonNode tree(String json) {
        try {
            return KubeJson.json().readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ tests

    @Test
    void statusCountsTheNodesTheSchedulerReports() {
        String uid = create("three-nodes", 0);
        Instant longAgo = Instant.now().minusSeconds(600).truncatedTo(ChronoUnit.MILLIS);
        publish(
                // Eligible, pod ready and current.
                state("three-nodes", uid, 1, "node-a", true, true, 1, readyPod(longAgo, true)),
                // Eligible, pod not ready yet and of an older revision.
                state("three-nodes", uid, 1, "node-b", true, true, 1, notReadyPod(false)),
                // NoSchedule taint added after the pod started: the pod stays but the node is not desired.
                state("three-nodes", uid, 1, "node-c", false, true, 1, readyPod(longAgo, true)),
                // Left over from an earlier DaemonSet of the same name: ignored.
                state("three-nodes", "uid-of-an-earlier-daemonset", 1, "node-d", true, true, 1,
                        readyPod(longAgo, true)));

        awaitCounts("three-nodes", new Counts(2, 2, 1, 1, 1, 1, 1, 1));

        publish(tombstone("three-nodes", "node-c"));
        awaitCounts("three-nodes", new Counts(2, 2, 0, 1, 1, 1, 1, 1));

        publish(tombstone("three-nodes", "node-b"));
        awaitCounts("three-nodes", new Counts(1, 1, 0, 1, 1, 1, 0, 1));
        assertThat(status("three-nodes").getMap("status")).containsKeys("desiredNumberScheduled",
                "currentNumberScheduled", "numberMisscheduled", "numberReady").doesNotContainKey("numberUnavailable");
    }

    @Test
    void unusableStatesAreParkedAndLaterStatesStillApply() {
        String uid = create("parking", 0);
        Instant longAgo = Instant.now().minusSeconds(600).truncatedTo(ChronoUnit.MILLIS);
        TopicProbe.Record forNodeX = state("parking", uid, 1, "node-x", true, true, 1, readyPod(longAgo, true));
        publish(
                new TopicProbe.Record("status/parking|node-junk", "{this is not a node state", Map.of()),
                new TopicProbe.Record("status/parking|node-wrong", forNodeX.value(), Map.of()),
                state("parking", uid, 1, "node-ok", true, true, 1, readyPod(longAgo, true)));

        awaitCounts("parking", new Counts(1, 1, 0, 1, 1, 1, 0, 1));

        List<TopicProbe.Record> parked = TopicProbe.readUntil(KafkaTestResource.bootstrapServers(), Topics.PARKED,
                rs -> rs.stream().filter(r -> r.key() != null && r.key().startsWith("status/parking|")).count() >= 2,
                WAIT).stream().filter(r -> r.key() != null && r.key().startsWith("status/parking|")).toList();
        assertThat(parked).filteredOn(r -> r.key().equals("status/parking|node-junk")).singleElement()
                .satisfies(r -> {
                    assertThat(r.value()).isEqualTo("{this is not a node state");
                    assertThat(r.headers().get(Parking.REASON)).contains("not valid JSON");
                    assertThat(r.headers().get(Parking.CONSUMER)).isEqualTo("daemonset-service");
                    assertThat(r.headers().get(Parking.TOPIC)).isEqualTo(Topics.DAEMONSET_NODE_STATES);
                    assertThat(r.headers()).containsKeys(Parking.PARTITION, Parking.OFFSET, Parking.CAUSE);
                });
        assertThat(parked).filteredOn(r -> r.key().equals("status/parking|node-wrong")).singleElement()
                .satisfies(r -> assertThat(r.headers().get(Parking.REASON)).contains("differs"));

        // The channel kept going: a later state is applied too.
        publish(state("parking", uid, 1, "node-later", true, true, 0, null));
        awaitCounts("parking", new Counts(2, 1, 0, 1, 1, 1, 1, 1));
    }

    @Test
    void readyPodBecomesAvailableOnlyAfterMinReadySeconds() {
        String uid = create("min-ready", 2);
        Instant readySince = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Instant availableFrom = readySince.plusSeconds(2);
        publish(state("min-ready", uid, 1, "node-1", true, true, 1, readyPod(readySince, true)));

        await().atMost(WAIT).pollInterval(POLL).until(() -> Counts.of(status("min-ready")).ready() == 1);
        awaitCounts("min-ready", new Counts(1, 1, 0, 1, 1, 1, 0, 1));

        // The writes themselves, with the time each was made: ready first, available not before readySince + 2 s.
        List<JsonNode> events = daemonSetEvents("min-ready",
                es -> es.stream().anyMatch(e -> e.path("object").path("status").path("numberAvailable").asInt() == 1));
        JsonNode firstReady = events.stream()
                .filter(e -> e.path("object").path("status").path("numberReady").asInt() == 1).findFirst()
                .orElseThrow();
        if (Instant.parse(firstReady.path("timestamp").asText()).isBefore(availableFrom)) {
            assertThat(firstReady.path("object").path("status").path("numberAvailable").asInt()).isZero();
            assertThat(firstReady.path("object").path("status").path("numberUnavailable").asInt()).isEqualTo(1);
        }
        JsonNode firstAvailable = events.stream()
                .filter(e -> e.path("object").path("status").path("numberAvailable").asInt() == 1).findFirst()
                .orElseThrow();
        assertThat(Instant.parse(firstAvailable.path("timestamp").asText())).isAfterOrEqualTo(availableFrom);
    }

    @Test
    void observedGenerationWaitsForStatesOfTheCurrentGeneration() {
        String uid = create("generations", 0);
        publish(state("generations", uid, 1, "node-1", true, true, 1, notReadyPod(true)));
        awaitCounts("generations", new Counts(1, 1, 0, 0, 0, 1, 1, 1));

        given().contentType("application/merge-patch+json").body("{\"spec\":{\"revisionHistoryLimit\":5}}")
                .patch(item("generations")).then().statusCode(200).body("metadata.generation",
                        org.hamcrest.Matchers.equalTo(2));

        // A new node reported at generation 2 changes the counters, but node-1 is still at generation 1.
        publish(state("generations", uid, 2, "node-2", true, true, 0, null));
        awaitCounts("generations", new Counts(2, 1, 0, 0, 0, 1, 2, 1));

        publish(state("generations", uid, 2, "node-1", true, true, 1, notReadyPod(false)));
        awaitCounts("generations", new Counts(2, 1, 0, 0, 0, 0, 2, 2));
    }

    @Test
    void daemonSetWithoutNodesObservesItsGeneration() {
        create("no-nodes", 0);
        awaitCounts("no-nodes", new Counts(0, 0, 0, 0, 0, 0, 0, 1));
    }
}
