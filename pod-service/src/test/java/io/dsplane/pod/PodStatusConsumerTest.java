package io.dsplane.pod;

import static io.dsplane.pod.Fixtures.WAIT;
import static io.dsplane.pod.Fixtures.podEvents;
import static io.dsplane.pod.Fixtures.publish;
import static io.dsplane.pod.Fixtures.types;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.dsplane.broker.TopicProbe;
import io.dsplane.contracts.event.Parking;
import io.dsplane.contracts.event.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.dsplane.broker.KafkaTestResource;

@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
class PodStatusConsumerTest {

    private static final String NS = "agents";
    private static final String PODS = "/api/v1/namespaces/" + NS + "/pods/";

    private static String report(String name, String uid, String phase, String ready) {
        return """
                {"metadata":{"namespace":"agents","name":"%s"%s},
                 "status":{"phase":"%s","podIP":"10.244.1.7","startTime":"2026-01-01T00:00:00Z",
                   "conditions":[{"type":"Ready","status":"%s"},{"type":"ContainersReady","status":"%s"}],
                   "containerStatuses":[{"name":"app","ready":%s,"restartCount":0,"image":"registry.example/app:1",
                     "imageID":"","state":{"running":{"startedAt":"2026-01-01T00:00:01Z"}}}]}}
                """.formatted(name, uid == null ? "" : ",\"uid\":\"" + uid + "\"", phase, ready, ready,
                "True".equals(ready));
    }

    private static void createPod(String name) {
        given().contentType(ContentType.JSON).body(Fixtures.podJson(NS, name, "node-s", ""))
                .post("/api/v1/namespaces/" + NS + "/pods").then().statusCode(201);
    }

    @Test
    void statusReportMovesThePodToRunningAndReadyAndRepeatsEmitNothing() {
        createPod("reported");
        String uid = given().get(PODS + "reported").then().extract().path("metadata.uid");
        publish(Topics.POD_STATUS, NS + "/reported", report("reported", uid, "Running", "True"),
                report("reported", null, "Running", "True"));
        Awaitility.await().atMost(WAIT).untilAsserted(() -> given().get(PODS + "reported").then()
                .body("status.phase", equalTo("Running"))
                .body("status.podIP", equalTo("10.244.1.7"))
                .body("status.startTime", equalTo("2026-01-01T00:00:00Z"))
                .body("status.conditions.find { it.type == 'Ready' }.status", equalTo("True"))
                .body("status.containerStatuses[0].ready", equalTo(true)));
        String firstReadyTransition = given().get(PODS + "reported").then().extract()
                .path("status.conditions.find { it.type == 'Ready' }.lastTransitionTime");
        assertThat(firstReadyTransition).isNotEmpty();

        publish(Topics.POD_STATUS, NS + "/reported", report("reported", uid, "Running", "False"));
        Awaitility.await().atMost(WAIT).untilAsserted(() -> given().get(PODS + "reported").then()
                .body("status.conditions.find { it.type == 'Ready' }.status", equalTo("False")));

        // The repeated report changed nothing: one event per real change.
        List<TopicProbe.Record> events = podEvents(NS + "/reported", rs -> rs.size() >= 3
                && rs.stream().anyMatch(r -> r.value() != null && r.value().contains("\"status\":\"False\"")));
        assertThat(types(events)).containsExactly("ADDED", "MODIFIED", "MODIFIED");
        assertThat(events.get(1).value()).contains("\"phase\":\"Running\"");
    }

    @Test
    void reportsForUnknownPodsOtherUidsWrongKeysOrUnreadableJsonAreParked() {
        createPod("known");
        publish(Topics.POD_STATUS, NS + "/ghost", report("ghost", null, "Running", "True"));
        publish(Topics.POD_STATUS, NS + "/known-other-uid",
                report("known", "11111111-2222-3333-4444-555555555555", "Running", "True"));
        publish(Topics.POD_STATUS, NS + "/junk", "{not json");
        publish(Topics.POD_STATUS, NS + "/known", report("known", null, "Running", "True"));

        Awaitility.await().atMost(WAIT).untilAsserted(() -> given().get(PODS + "known").then()
                .body("status.phase", equalTo("Running")));
        List<TopicProbe.Record> parked = TopicProbe.readUntil(KafkaTestResource.bootstrapServers(), Topics.PARKED,
                rs -> List.of(NS + "/ghost", NS + "/known-other-uid", NS + "/junk").stream()
                        .allMatch(k -> !Fixtures.ofKey(rs, k).isEmpty()), WAIT)
                .stream().filter(r -> r.key() != null && r.key().startsWith(NS + "/")).toList();
        assertThat(parked).filteredOn(r -> (NS + "/ghost").equals(r.key())).singleElement()
                .satisfies(r -> assertThat(r.headers().get(Parking.REASON)).contains("pods \"ghost\" not found"));
        assertThat(parked).filteredOn(r -> (NS + "/known-other-uid").equals(r.key())).singleElement()
                .satisfies(r -> assertThat(r.headers().get(Parking.REASON)).contains("differs from"));
        assertThat(parked).filteredOn(r -> (NS + "/junk").equals(r.key())).singleElement()
                .satisfies(r -> assertThat(r.headers().get(Parking.REASON)).contains("not valid JSON"));
        assertThat(parked).extracting(TopicProbe.Record::key).doesNotContain(NS + "/known");
    }

    @Test
    void reportAboutAnotherIncarnationOfThePodIsParked() {
        createPod("reborn");
        publish(Topics.POD_STATUS, NS + "/reborn",
                report("reborn", "11111111-2222-3333-4444-555555555555", "Running", "True"));
        List<TopicProbe.Record> parked = Fixtures.parked(NS + "/reborn");
        assertThat(parked).singleElement()
                .satisfies(r -> assertThat(r.headers().get(Parking.REASON)).contains("uid"));
        given().get(PODS + "reborn").then().body("status.phase", equalTo("Pending"));
    }
}
