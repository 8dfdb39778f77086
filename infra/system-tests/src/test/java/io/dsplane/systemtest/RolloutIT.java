package io.dsplane.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Rollouts over the whole product: the test plays the agents (it reports new pods Running and Ready)
 * and watches the pods at every step, checking the update strategy's budget at each observation.
 */
class RolloutIT {

    private static final String NS = "rollout";
    private static final Duration ROLLOUT = Duration.ofSeconds(180);
    private static ControlPlane cp;

    @BeforeAll
    static void start() {
        cp = ControlPlane.get();
    }

    private static String daemonSets() {
        return cp.url(ControlPlane.DAEMONSET) + "/apis/apps/v1/namespaces/" + NS + "/daemonsets";
    }

    private static String daemonSet(String name, String image, String strategy, String extraSpec) {
        return """
                {"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"%s"},
                 "spec":{"selector":{"matchLabels":{"app":"%s"}},"updateStrategy":%s%s,
                   "template":{"metadata":{"labels":{"app":"%s"}},
                     "spec":{"nodeSelector":{"suite":"%s"},"terminationGracePeriodSeconds":0,
                       "containers":[{"name":"agent","image":"%s",
                         "resources":{"requests":{"cpu":"10m","memory":"16Mi"}}}]}}}}
                """.formatted(name, name, strategy, extraSpec, name, name, image);
    }

    private static List<String> registerNodes(String suite, int count) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String n = suite + "-" + i;
            Api.require(Api.post(cp.url(ControlPlane.NODE_REGISTRY) + "/api/v1/nodes",
                    Fleet.node(n, Map.of("suite", suite))), 201);
            names.add(n);
        }
        return names;
    }

    private static String image(JsonNode pod) {
        return pod.at("/spec/containers/0/image").asText();
    }

    /** live is the DaemonSet's pods that are not terminating. */
    private static List<JsonNode> live(String ds) {
        return Fleet.pods(cp, NS, ds).stream().filter(p -> !p.path("metadata").has("deletionTimestamp")).toList();
    }

    /** readyAll plays the agents once: every bound pod that is not Ready yet is reported Running and Ready. */
    private static void readyAll(List<JsonNode> pods) {
        for (JsonNode p : pods) {
            if (Agent.isBound(p) && !Agent.isAvailable(p) && !p.path("metadata").has("deletionTimestamp")) {
                Agent.ready(cp, p);
            }
        }
    }

    /** availableNodes is the set of nodes that have a Ready, non-terminating pod. */
    private static Set<String> availableNodes(List<JsonNode> pods) {
        return pods.stream().filter(Agent::isAvailable).map(p -> p.at("/spec/nodeName").asText())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * converge plays the agents until every node runs one Ready pod of {@code image}. The pods are read
     * again for the check: the ones read before the agents played may be fewer than there are now.
     */
    private static void convergeOn(String ds, List<String> nodes, String image, Runnable observe) {
        Awaitility.await().atMost(ROLLOUT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            observe.run();
            readyAll(live(ds));
            Fleet.assertExactlyOnePodOn(cp, NS, ds, nodes);
            assertThat(live(ds)).hasSize(nodes.size()).allSatisfy(p -> {
                assertThat(image(p)).isEqualTo(image);
                assertThat(Agent.isAvailable(p)).isTrue();
            });
        });
    }

    private static JsonNode get(String ds) {
        return Api.require(Api.get(daemonSets() + "/" + ds), 200);
    }

    private static void setImage(String ds, String image) {
        Api.require(Api.mergePatch(daemonSets() + "/" + ds, """
                {"spec":{"template":{"spec":{"containers":[{"name":"agent","image":"%s",
                  "resources":{"requests":{"cpu":"10m","memory":"16Mi"}}}]}}}}""".formatted(image)), 200);
    }

    private static Map<String, String> uidsByNode(String ds) {
        Map<String, String> out = new HashMap<>();
        live(ds).forEach(p -> out.put(p.at("/spec/nodeName").asText(), p.at("/metadata/uid").asText()));
        return out;
    }

    /** awaitObserved waits until the DaemonSet's status has caught up with its generation. */
    private static JsonNode awaitObserved(String ds) {
        return Awaitility.await().atMost(ROLLOUT).pollInterval(Duration.ofMillis(200)).until(() -> get(ds),
                d -> d.at("/status/observedGeneration").asLong() == d.at("/metadata/generation").asLong());
    }

    @Test
    void rollingUpdateWithMaxUnavailableTwoNeverHasMoreThanTwoNodesWithoutAnAvailablePod() {
        String ds = "ru-unavailable";
        List<String> nodes = registerNodes(ds, 20);
        Api.require(Api.post(daemonSets(), daemonSet(ds, "agent:1",
                "{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"maxUnavailable\":2}}", "")), 201);
        convergeOn(ds, nodes, "agent:1", () -> { });

        setImage(ds, "agent:2");
        AtomicInteger worst = new AtomicInteger();
        AtomicInteger observations = new AtomicInteger();
        convergeOn(ds, nodes, "agent:2", () -> {
            int unavailable = nodes.size() - availableNodes(live(ds)).size();
            worst.accumulateAndGet(unavailable, Math::max);
            observations.incrementAndGet();
        });
        assertThat(worst.get()).as("most nodes without an available pod at once, over %d observations",
                observations.get()).isBetween(1, 2);
        // The status follows the pods through the scheduler's per-node states: it gets there too.
        Awaitility.await().atMost(ROLLOUT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            JsonNode d = get(ds);
            assertThat(d.at("/status/observedGeneration").asLong()).isEqualTo(d.at("/metadata/generation").asLong());
            assertThat(d.at("/status/updatedNumberScheduled").asInt()).isEqualTo(20);
            assertThat(d.at("/status/numberAvailable").asInt()).isEqualTo(20);
        });
    }

    @Test
    void rollingUpdateWithMaxSurgeOneNeverDoublesNewPodsNorDropsBelowDesiredAvailability() {
        String ds = "ru-surge";
        List<String> nodes = registerNodes(ds, 6);
        Api.require(Api.post(daemonSets(), daemonSet(ds, "agent:1",
                "{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"maxUnavailable\":0,\"maxSurge\":1}}", "")), 201);
        convergeOn(ds, nodes, "agent:1", () -> { });

        setImage(ds, "agent:2");
        AtomicInteger leastAvailable = new AtomicInteger(Integer.MAX_VALUE);
        AtomicInteger mostSurging = new AtomicInteger();
        convergeOn(ds, nodes, "agent:2", () -> {
            List<JsonNode> pods = live(ds);
            leastAvailable.accumulateAndGet(availableNodes(pods).size(), Math::min);
            Map<String, Long> newPerNode = pods.stream().filter(p -> "agent:2".equals(image(p)))
                    .collect(Collectors.groupingBy(p -> p.at("/spec/nodeName").asText(), Collectors.counting()));
            assertThat(newPerNode.values()).as("new pods per node").allMatch(c -> c == 1);
            Map<String, Long> perNode = pods.stream()
                    .collect(Collectors.groupingBy(p -> p.at("/spec/nodeName").asText(), Collectors.counting()));
            mostSurging.accumulateAndGet((int) perNode.values().stream().filter(c -> c > 1).count(), Math::max);
        });
        assertThat(leastAvailable.get()).as("fewest nodes with an available pod").isEqualTo(nodes.size());
        assertThat(mostSurging.get()).as("most nodes with an old and a new pod at once").isEqualTo(1);
    }

    @Test
    void onDeleteReplacesOnlyDeletedPodsAndRollbackRestartsNothing() {
        String ds = "on-delete";
        List<String> nodes = registerNodes(ds, 4);
        Api.require(Api.post(daemonSets(), daemonSet(ds, "agent:1", "{\"type\":\"OnDelete\"}", "")), 201);
        convergeOn(ds, nodes, "agent:1", () -> { });
        Map<String, String> before = uidsByNode(ds);

        // A new template changes no pod ...
        setImage(ds, "agent:2");
        JsonNode observed = awaitObserved(ds);
        assertThat(observed.at("/status/updatedNumberScheduled").asInt()).isZero();
        assertThat(uidsByNode(ds)).isEqualTo(before);

        // ... until a pod is deleted: its replacement runs the new template.
        String victimNode = nodes.get(0);
        String victim = Fleet.podsByNode(cp, NS, ds).get(victimNode).get(0);
        Api.require(Api.delete(cp.url(ControlPlane.POD) + "/api/v1/namespaces/" + NS + "/pods/" + victim), 200);
        Awaitility.await().atMost(ROLLOUT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            List<JsonNode> pods = live(ds);
            readyAll(pods);
            Fleet.assertExactlyOnePodOn(cp, NS, ds, nodes);
            assertThat(pods).filteredOn(p -> victimNode.equals(p.at("/spec/nodeName").asText()))
                    .singleElement().satisfies(p -> assertThat(image(p)).isEqualTo("agent:2"));
        });

        // Rollback to the previous revision: the template is agent:1 again and the three pods that
        // run it are the up-to-date ones now, untouched.
        JsonNode rolledBack = Api.require(Api.post(daemonSets() + "/" + ds + "/rollback", "{\"toRevision\":0}"), 200);
        assertThat(rolledBack.at("/spec/template/spec/containers/0/image").asText()).isEqualTo("agent:1");
        Awaitility.await().atMost(ROLLOUT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            JsonNode d = get(ds);
            assertThat(d.at("/status/observedGeneration").asLong()).isEqualTo(d.at("/metadata/generation").asLong());
            assertThat(d.at("/status/updatedNumberScheduled").asInt()).isEqualTo(3);
        });
        Map<String, String> after = uidsByNode(ds);
        for (String n : nodes.subList(1, nodes.size())) {
            assertThat(after.get(n)).as("pod on %s", n).isEqualTo(before.get(n));
        }
        JsonNode revisions = Api.require(Api.get(cp.url(ControlPlane.DAEMONSET) + "/apis/apps/v1/namespaces/" + NS
                + "/controllerrevisions?labelSelector=app%3D" + ds), 200);
        Map<Long, String> byRevision = new HashMap<>();
        revisions.get("items").forEach(r -> byRevision.put(r.path("revision").asLong(),
                r.at("/data/spec/template/spec/containers/0/image").asText()));
        // The agent:1 revision was renumbered (3), not created again.
        assertThat(byRevision).containsOnly(Map.entry(2L, "agent:2"), Map.entry(3L, "agent:1"));
    }

    @Test
    void revisionCleanupKeepsOnlyTheLimitPlusRevisionsPodsStillRun() {
        String ds = "history";
        List<String> nodes = registerNodes(ds, 2);
        Api.require(Api.post(daemonSets(), daemonSet(ds, "agent:1", "{\"type\":\"OnDelete\"}",
                ",\"revisionHistoryLimit\":0")), 201);
        convergeOn(ds, nodes, "agent:1", () -> { });
        setImage(ds, "agent:2");
        awaitObserved(ds);
        setImage(ds, "agent:3");
        awaitObserved(ds);
        String revisionsUrl = cp.url(ControlPlane.DAEMONSET) + "/apis/apps/v1/namespaces/" + NS
                + "/controllerrevisions?labelSelector=app%3D" + ds;
        // agent:2 is gone (limit 0, no pod runs it); agent:1 stays while pods run it; agent:3 is current.
        Awaitility.await().atMost(ROLLOUT).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(images(Api.require(Api.get(revisionsUrl), 200))).containsExactlyInAnyOrder("agent:1",
                        "agent:3"));

        for (JsonNode p : live(ds)) {
            Api.require(Api.delete(cp.url(ControlPlane.POD) + "/api/v1/namespaces/" + NS + "/pods/"
                    + p.at("/metadata/name").asText()), 200);
        }
        convergeOn(ds, nodes, "agent:3", () -> { });
        Awaitility.await().atMost(ROLLOUT).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(images(Api.require(Api.get(revisionsUrl), 200))).containsExactly("agent:3"));
    }

    private static List<String> images(JsonNode revisionList) {
        List<String> out = new ArrayList<>();
        revisionList.get("items").forEach(r -> out.add(r.at("/data/spec/template/spec/containers/0/image").asText()));
        return out;
    }

    @Test
    void tableViewShowsTheColumnsKubectlPrints() {
        String ds = "table";
        List<String> nodes = registerNodes(ds, 3);
        Api.require(Api.post(daemonSets(), daemonSet(ds, "agent:1",
                "{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"maxUnavailable\":1}}", "")), 201);
        convergeOn(ds, nodes, "agent:1", () -> { });
        String accept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";
        Awaitility.await().atMost(ROLLOUT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            JsonNode table = Api.require(Api.get(daemonSets() + "/" + ds, accept), 200);
            assertThat(table.path("kind").asText()).isEqualTo("Table");
            assertThat(table.path("apiVersion").asText()).isEqualTo("meta.k8s.io/v1");
            List<String> columns = new ArrayList<>();
            table.get("columnDefinitions").forEach(c -> columns.add(c.path("name").asText()));
            assertThat(columns).containsExactly("Name", "Desired", "Current", "Ready", "Up-to-date", "Available",
                    "Node Selector", "Age", "Containers", "Images", "Selector");
            JsonNode cells = table.at("/rows/0/cells");
            assertThat(cells.get(0).asText()).isEqualTo(ds);
            assertThat(List.of(cells.get(1).asInt(), cells.get(2).asInt(), cells.get(3).asInt(), cells.get(4).asInt(),
                    cells.get(5).asInt())).containsExactly(3, 3, 3, 3, 3);
            assertThat(cells.get(6).asText()).isEqualTo("suite=" + ds);
            assertThat(cells.get(9).asText()).isEqualTo("agent:1");
            assertThat(cells.get(10).asText()).isEqualTo("app=" + ds);
        });
    }
}
