package io.dsplane.daemonset;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.dsplane.broker.KafkaTestResource;
import io.dsplane.broker.TopicProbe;
import io.dsplane.contracts.api.KubeJson;
import io.dsplane.contracts.event.DaemonSetNodeState;
import io.dsplane.contracts.event.DaemonSetNodeState.OldestPod;
import io.dsplane.contracts.event.EventCodec;
import io.dsplane.contracts.event.Topics;
import io.dsplane.daemonset.config.StatusConfig;
import io.dsplane.daemonset.repository.NodeStateRepository;
import io.dsplane.daemonset.status.NodeStateRecords.Change;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * StatusCoalescingTest checks that DaemonSet statuses are written once per coalesce interval rather
 * than once per batch of node states, that they still end at the value of the last states, that a
 * "status pending" mark left in the database (as a crash right after a batch commits leaves it) is
 * still turned into a status, and that a failed flush round writes nothing and keeps its marks. The
 * consumer reads at most {@value #POLL_RECORDS} records per batch here, so a burst of node states
 * arrives as many small batches, as in a cold start of many nodes; the interval is
 * {@value #INTERVAL_MS} ms, so "far fewer writes than batches" holds with a wide margin even on a
 * loaded machine (a batch takes about 10 ms here).
 */
@QuarkusTest
@TestProfile(StatusCoalescingTest.SmallBatches.class)
@QuarkusTestResource(KafkaTestResource.class)
class StatusCoalescingTest {

    private static final String NAMESPACE = "coalesce";
    private static final int POLL_RECORDS = 5;
    private static final int INTERVAL_MS = 500;
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(100);

    /** SmallBatches: at most {@value #POLL_RECORDS} node states per batch, {@value #INTERVAL_MS} ms interval. */
    public static class SmallBatches implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mp.messaging.incoming.daemonset-node-states.max.poll.records",
                    String.valueOf(POLL_RECORDS), "dsplane.status.coalesce-interval", INTERVAL_MS + "ms");
        }
    }

    @Inject
    MeterRegistry meters;

    @Inject
    StatusConfig config;

    @Inject
    DataSource dataSource;

    @Inject
    NodeStateRepository nodeStates;

    // ------------------------------------------------------------------ helpers

    private static String item(String name) {
        return "/apis/apps/v1/namespaces/" + NAMESPACE + "/daemonsets/" + name;
    }

    private static String key(String name) {
        return NAMESPACE + "/" + name;
    }

    /** create stores a DaemonSet selecting {@code app=<name>} and returns its uid. */
    private static String create(String name) {
        String body = """
                {"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"%1$s"},
                 "spec":{"selector":{"matchLabels":{"app":"%1$s"}},
                  "template":{"metadata":{"labels":{"app":"%1$s"}},
                   "spec":{"containers":[{"name":"agent","image":"agent:1"}]}}}}
                """.formatted(name);
        return given().contentType(ContentType.JSON).body(body).post("/apis/apps/v1/namespaces/" + NAMESPACE
                + "/daemonsets").then().statusCode(201).extract().path("metadata.uid");
    }

    private static JsonPath status(String name) {
        return given().get(item(name) + "/status").then().statusCode(200).extract().jsonPath();
    }

    private static int n(JsonPath ds, String field) {
        Object v = ds.get("status." + field);
        return v == null ? 0 : ((Number) v).intValue();
    }

    /** counters are desired, current, misscheduled, ready, available, updated, unavailable, observedGeneration. */
    private static List<Integer> counters(JsonPath ds) {
        return List.of(n(ds, "desiredNumberScheduled"), n(ds, "currentNumberScheduled"),
                n(ds, "numberMisscheduled"), n(ds, "numberReady"), n(ds, "numberAvailable"),
                n(ds, "updatedNumberScheduled"), n(ds, "numberUnavailable"), n(ds, "observedGeneration"));
    }

    private static DaemonSetNodeState nodeState(String name, String uid, String node, int pods, OldestPod oldest) {
        return new DaemonSetNodeState(1, key(name), uid, 1, "hash-1", node, true, true, pods, oldest);
    }

    private static TopicProbe.Record record(DaemonSetNodeState state) {
        return new TopicProbe.Record(DaemonSetNodeState.key(state.daemonSetKey(), state.nodeName()),
                new String(EventCodec.encode(state), StandardCharsets.UTF_8), Map.of());
    }

    /** events are the events of DaemonSet {@code name} on dsplane.daemonsets.v1, once {@code done} holds. */
    private static List<JsonNode> events(String name, Predicate<List<JsonNode>> done) {
        List<JsonNode> out = new ArrayList<>();
        TopicProbe.readUntil(KafkaTestResource.bootstrapServers(), Topics.DAEMONSETS, rs -> {
            out.clear();
            rs.stream().filter(r -> key(name).equals(r.key()) && r.value() != null)
                    .forEach(r -> out.add(tree(r.value())));
            return done.test(out);
        }, WAIT);
        return out;
    }

    private static long modified(List<JsonNode> events) {
        return events.stream().filter(e -> "MODIFIED".equals(e.path("type").asText())).count();
    }

    private static int statusField(JsonNode event, String field) {
        return event.path("object").path("status").path(field).asInt();
    }

    private static JsonNode tree(String json) {
        try {
            return KubeJson.json().readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private double batches() {
        return meters.counter("dsplane.daemonset.node-states.batches").count();
    }

    private long pendingMarks(String daemonSetKey) {
        return rowsOf("daemonset_status_pending", daemonSetKey);
    }

    private long storedNodeStates(String daemonSetKey) {
        return rowsOf("daemonset_node_states", daemonSetKey);
    }

    /** rowsOf counts the rows of a table of this service that belong to one DaemonSet (column ds_key). */
    private long rowsOf(String table, String daemonSetKey) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + table + " WHERE ds_key = ?")) {
            ps.setString(1, daemonSetKey);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** leaveMark inserts a pending mark directly, with nothing to wake the flusher. */
    private void leaveMark(String daemonSetKey) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO daemonset_status_pending (ds_key, since)"
                                + " VALUES (?, now() - interval '1 minute')")) {
            ps.setString(1, daemonSetKey);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void sql(String statement) {
        try (Connection c = dataSource.getConnection(); var st = c.createStatement()) {
            st.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private double failedRounds() {
        return meters.counter("dsplane.daemonset.status.flush.rounds", "outcome", "failed").count();
    }

    // ------------------------------------------------------------------ tests

    @Test
    void manySmallBatchesForOneDaemonSetGiveFewStatusWritesAndTheFinalStatus() {
        String name = "burst";
        String uid = create(name);
        // The first status (observedGeneration 1, no nodes) comes from the resync; after it nothing
        // writes this DaemonSet but the node states below.
        List<JsonNode> before = events(name,
                es -> es.stream().anyMatch(e -> statusField(e, "observedGeneration") == 1));
        long modifiedBefore = modified(before);

        // 200 nodes, each reported four times as its pod progresses: scheduled, pod created, pod updated,
        // pod ready. Published in order per node, so every small batch changes some counter.
        int nodes = 200;
        Instant longAgo = Instant.now().minusSeconds(600).truncatedTo(ChronoUnit.MILLIS);
        List<TopicProbe.Record> records = new ArrayList<>();
        for (int step = 0; step < 4; step++) {
            for (int i = 0; i < nodes; i++) {
                String node = "node-%03d".formatted(i);
                records.add(record(switch (step) {
                case 0 -> nodeState(name, uid, node, 0, null);
                case 1 -> nodeState(name, uid, node, 1, new OldestPod("agent-" + i, false, null, false));
                case 2 -> nodeState(name, uid, node, 1, new OldestPod("agent-" + i, false, null, true));
                default -> nodeState(name, uid, node, 1, new OldestPod("agent-" + i, true, longAgo, true));
                }));
            }
        }
        double batchesBefore = batches();
        long start = System.nanoTime();
        TopicProbe.publish(KafkaTestResource.bootstrapServers(), Topics.DAEMONSET_NODE_STATES, records);

        List<Integer> expected = List.of(nodes, nodes, 0, nodes, nodes, nodes, 0, 1);
        await().atMost(WAIT).pollInterval(POLL)
                .untilAsserted(() -> assertThat(counters(status(name))).isEqualTo(expected));
        long elapsedMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        double batches = batches() - batchesBefore;

        // Every status write is a MODIFIED event; read them up to the one with the final counters.
        List<JsonNode> after = events(name,
                es -> es.stream().anyMatch(e -> statusField(e, "numberAvailable") == nodes));
        long writes = modified(after) - modifiedBefore;
        JsonNode last = after.get(after.size() - 1);
        assertThat(statusField(last, "numberReady")).isEqualTo(nodes);
        assertThat(statusField(last, "desiredNumberScheduled")).isEqualTo(nodes);

        // At least as many batches as the consumer's poll size allows. Every one of them changes a counter,
        // so each wrote the status when statuses were written in the batch's transaction.
        assertThat(batches).isGreaterThanOrEqualTo((double) records.size() / POLL_RECORDS);
        assertThat(config.coalesceInterval()).isEqualTo(Duration.ofMillis(INTERVAL_MS));
        assertThat(writes).isGreaterThanOrEqualTo(1);
        assertThat(writes).as("status writes for %.0f batches in %d ms", batches, elapsedMillis)
                .isLessThanOrEqualTo((long) (batches / 4));
        // At most one write per coalesce interval (plus the round already running when the burst began).
        assertThat(writes).isLessThanOrEqualTo(elapsedMillis / config.coalesceInterval().toMillis() + 2);
        assertThat(pendingMarks(key(name))).isZero();
    }

    @Test
    void markLeftInTheDatabaseIsTurnedIntoAStatus() {
        String name = "left-behind";
        String uid = create(name);
        await().atMost(WAIT).pollInterval(POLL).until(() -> n(status(name), "observedGeneration") == 1);

        // What a batch that committed right before a crash leaves: its node states and its mark, but no
        // status. Written here without the consumer, so nothing wakes the flusher; and this DaemonSet's
        // observedGeneration is current, so the resync does not look at it either.
        Instant longAgo = Instant.now().minusSeconds(600).truncatedTo(ChronoUnit.MILLIS);
        QuarkusTransaction.requiringNew().run(() -> nodeStates.apply(List.of(
                new Change(key(name), "node-a", nodeState(name, uid, "node-a", 1,
                        new OldestPod("agent-a", true, longAgo, true))),
                new Change(key(name), "node-b", nodeState(name, uid, "node-b", 0, null)))));
        assertThat(counters(status(name))).isEqualTo(List.of(0, 0, 0, 0, 0, 0, 0, 1));
        leaveMark(key(name));
        // A mark of a DaemonSet that no longer exists (deleted before the round) is just removed.
        leaveMark(key("gone"));

        await().atMost(WAIT).pollInterval(POLL)
                .untilAsserted(() -> assertThat(counters(status(name))).isEqualTo(List.of(2, 1, 0, 1, 1, 1, 1, 1)));
        await().atMost(WAIT).pollInterval(POLL)
                .until(() -> pendingMarks(key(name)) == 0 && pendingMarks(key("gone")) == 0);
    }

    @Test
    void aBatchDoesNotWaitForAnotherTransactionHoldingAMarkOfItsDaemonSet() throws SQLException {
        String name = "contended";
        String uid = create(name);
        await().atMost(WAIT).pollInterval(POLL).until(() -> n(status(name), "observedGeneration") == 1);

        // Another transaction (a flush round, or a batch of another instance) holds a mark of this
        // DaemonSet and does not end. The consumer's next batch must still store its node state and
        // commit, instead of waiting on that mark's lock.
        try (Connection holder = dataSource.getConnection()) {
            holder.setAutoCommit(false);
            try (PreparedStatement ps = holder.prepareStatement(
                    "INSERT INTO daemonset_status_pending (ds_key, since) VALUES (?, now())")) {
                ps.setString(1, key(name));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = holder.prepareStatement(
                    "SELECT id FROM daemonset_status_pending WHERE ds_key = ? FOR UPDATE")) {
                ps.setString(1, key(name));
                ps.executeQuery().close();
            }
            TopicProbe.publish(KafkaTestResource.bootstrapServers(), Topics.DAEMONSET_NODE_STATES,
                    List.of(record(nodeState(name, uid, "node-a", 0, null))));
            await().atMost(Duration.ofSeconds(30)).pollInterval(POLL).until(() -> storedNodeStates(key(name)) == 1);
            await().atMost(WAIT).pollInterval(POLL)
                    .untilAsserted(() -> assertThat(counters(status(name))).isEqualTo(List.of(1, 0, 0, 0, 0, 0, 1, 1)));
            holder.rollback();
        }
        await().atMost(WAIT).pollInterval(POLL).until(() -> pendingMarks(key(name)) == 0);
    }

    @Test
    void failedRoundWritesNothingKeepsTheMarkAndIsRetried() {
        String name = "failing";
        String uid = create(name);
        await().atMost(WAIT).pollInterval(POLL).until(() -> n(status(name), "observedGeneration") == 1);
        String resourceVersion = given().get(item(name)).then().extract().path("metadata.resourceVersion");

        // Every round that takes this DaemonSet's mark fails at its last step, deleting the mark, after it
        // has written the status.
        sql("""
                CREATE FUNCTION fail_status_flush() RETURNS trigger LANGUAGE plpgsql AS
                $$ BEGIN RAISE EXCEPTION 'flush of % refused by the test', OLD.ds_key; END $$""");
        sql("CREATE TRIGGER fail_status_flush BEFORE DELETE ON daemonset_status_pending FOR EACH ROW"
                + " WHEN (OLD.ds_key = '" + key(name) + "') EXECUTE FUNCTION fail_status_flush()");
        try {
            double failedBefore = failedRounds();
            TopicProbe.publish(KafkaTestResource.bootstrapServers(), Topics.DAEMONSET_NODE_STATES,
                    List.of(record(nodeState(name, uid, "node-a", 0, null))));
            // Retried, after a pause, and failing again: the flusher keeps trying without spinning.
            await().atMost(WAIT).pollInterval(POLL).until(() -> failedRounds() >= failedBefore + 2);
            // Each failed round rolled back: its status write is gone and the mark is still there.
            assertThat(pendingMarks(key(name))).isEqualTo(1);
            JsonPath ds = given().get(item(name)).then().statusCode(200).extract().jsonPath();
            assertThat(ds.getString("metadata.resourceVersion")).isEqualTo(resourceVersion);
            assertThat(counters(ds)).isEqualTo(List.of(0, 0, 0, 0, 0, 0, 0, 1));
        } finally {
            sql("DROP TRIGGER fail_status_flush ON daemonset_status_pending");
            sql("DROP FUNCTION fail_status_flush()");
        }

        // The next round succeeds with the mark it kept.
        await().atMost(WAIT).pollInterval(POLL)
                .untilAsserted(() -> assertThat(counters(status(name))).isEqualTo(List.of(1, 0, 0, 0, 0, 0, 1, 1)));
        await().atMost(WAIT).pollInterval(POLL).until(() -> pendingMarks(key(name)) == 0);
    }
}
