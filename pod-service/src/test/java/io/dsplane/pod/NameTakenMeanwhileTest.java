package io.dsplane.pod;

import static io.dsplane.pod.Fixtures.WAIT;
import static io.dsplane.pod.Fixtures.createDecision;
import static io.dsplane.pod.Fixtures.publish;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.dsplane.broker.KafkaTestResource;
import io.dsplane.contracts.event.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * A name can be free when a write checks for it and taken by the time the write inserts: another
 * transaction inserted it and had not committed yet. These tests hold such a rival transaction open,
 * let the service's insert run into it (seen as a backend waiting on a lock, not guessed by a pause),
 * then commit the rival. The write must end as if the rival had been there first: a client's create
 * answers 409 AlreadyExists, and a CREATE decision puts its pod under a generated name.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
class NameTakenMeanwhileTest {

    private static final String NS = "meanwhile";
    private static final String PODS = "/api/v1/namespaces/" + NS + "/pods";

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aCreateWhoseNameIsTakenByATransactionCommittingMeanwhileAnswersAlreadyExists() throws Exception {
        try (Connection rival = holdName("taken-rest", "node-r")) {
            CompletableFuture<Response> create = CompletableFuture.supplyAsync(() -> given()
                    .contentType(ContentType.JSON).body(Fixtures.podJson(NS, "taken-rest", "node-a", ""))
                    .post(PODS).andReturn());
            awaitInsertWaitingOnRival();
            rival.commit();
            Response response = create.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(response.statusCode()).as(response.asString()).isEqualTo(409);
            assertThat(response.jsonPath().getString("reason")).isEqualTo("AlreadyExists");
            assertThat(response.jsonPath().getString("details.name")).isEqualTo("taken-rest");
        }
        given().get(PODS + "/taken-rest").then().statusCode(200).body("spec.nodeName", equalTo("node-r"));
    }

    @Test
    void aDecisionWhoseNameIsTakenMeanwhileCreatesItsPodUnderAGeneratedName() throws Exception {
        try (Connection rival = holdName("log-agent-meanwhile", "node-m")) {
            publish(Topics.PLACEMENT_DECISIONS, "node-m",
                    createDecision("meanwhile-1", NS, "log-agent-meanwhile", "node-m"));
            awaitInsertWaitingOnRival();
            rival.commit();
        }
        Awaitility.await().atMost(WAIT).untilAsserted(() -> assertThat(requestedAs("log-agent-meanwhile")).hasSize(1));
        String renamed = requestedAs("log-agent-meanwhile").get(0);
        assertThat(renamed).startsWith("log-agent-").isNotEqualTo("log-agent-meanwhile");
        given().get(PODS + "/" + renamed).then().body("metadata.ownerReferences[0].uid", equalTo(Fixtures.DS_UID));
        given().get(PODS + "/log-agent-meanwhile").then().body("metadata.ownerReferences", org.hamcrest.Matchers.nullValue());
    }

    /** requestedAs is the names of the pods on node-m that record {@code name} as their requested name. */
    private static List<String> requestedAs(String name) {
        return given().queryParam("fieldSelector", "spec.nodeName=node-m").get(PODS).then().statusCode(200).extract()
                .path("items.findAll { it.metadata.annotations?.get('placement.dsplane.io/requested-name') == '"
                        + name + "' }.metadata.name");
    }

    /**
     * holdName inserts a user's pod of this name in a transaction it leaves open; the caller commits it.
     */
    private Connection holdName(String name, String node) throws Exception {
        Connection c = dataSource.getConnection();
        c.setAutoCommit(false);
        String uid = UUID.randomUUID().toString();
        String body = """
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s","namespace":"%s","uid":"%s",
                 "resourceVersion":"0","creationTimestamp":"2026-01-01T00:00:00Z","generation":1},
                 "spec":{"nodeName":"%s","containers":[{"name":"app","image":"registry.example/app:1"}]},
                 "status":{"phase":"Pending"}}
                """.formatted(name, NS, uid, node);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO objects (kind, namespace, name, uid,"
                + " resource_version, node_name, body, created_at)"
                + " VALUES ('Pod', ?, ?, ?, nextval('resource_version_seq'), ?, ?::jsonb, now())")) {
            ps.setString(1, NS);
            ps.setString(2, name);
            ps.setString(3, uid);
            ps.setString(4, node);
            ps.setString(5, body);
            ps.executeUpdate();
        }
        return c;
    }

    /** awaitInsertWaitingOnRival waits until a session of this database waits for a lock (the rival's row). */
    private void awaitInsertWaitingOnRival() {
        Awaitility.await().atMost(WAIT).until(() -> {
            try (Connection c = dataSource.getConnection();
                    PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM pg_stat_activity"
                            + " WHERE datname = current_database() AND wait_event_type = 'Lock'"
                            + " AND query LIKE 'INSERT INTO objects%'");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1) > 0;
            }
        });
    }
}
