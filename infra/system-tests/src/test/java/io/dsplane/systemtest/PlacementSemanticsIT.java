package io.dsplane.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.dsplane.broker.TopicProbe;
import io.dsplane.contracts.api.KubeJson;
import io.dsplane.contracts.event.Topics;

/**
 * The Kubernetes placement semantics over the whole product: node lifecycle driven by heartbeats,
 * failed-pod replacement with backoff, resource fit and priority preemption.
 */
class PlacementSemanticsIT {

    private static final String NS = "semantics";
    /** 40 s grace period (the default) + 5 s monitor period + processing, with room on a busy machine. */
    private static final Duration LIFECYCLE = Duration.ofSeconds(120);
    private static final Duration CONVERGE = Duration.ofSeconds(60);
    private static ControlPlane cp;
    private static Heartbeats heartbeats;

    @BeforeAll
    static void start() {
        cp = ControlPlane.get();
        heartbeats = new Heartbeats(cp);
    }

    @AfterAll
    static void stop() {
        heartbeats.close();
    }

    private static String daemonSets() {
        return cp.url(ControlPlane.DAEMONSET) + "/apis/apps/v1/namespaces/" + NS + "/daemonsets";
    }

    private static String nodeUrl(String name) {
        return cp.url(ControlPlane.NODE_REGISTRY) + "/api/v1/nodes/" + name;
    }

    private static String podsUrl() {
        return cp.url(ControlPlane.POD) + "/api/v1/namespaces/" + NS + "/pods";
    }

    private static String condition(JsonNode obj, String type, String field) {
        for (JsonNode c : obj.at("/status/conditions")) {
            if (type.equals(c.path("type").asText())) {
                return c.path(field).asText();
            }
        }
        return null;
    }

    private static List<String> taints(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.at("/spec/taints").forEach(t -> out.add(t.path("key").asText() + ":" + t.path("effect").asText()));
        return out;
    }

    private static String agentReport(String name, String suite) {
        return """
                {"apiVersion":"v1","kind":"Node","metadata":{"name":"%s","labels":{"suite":"%s"}},
                 "status":{"allocatable":{"cpu":"8","memory":"32Gi","pods":"110"},
                   "conditions":[{"type":"Ready","status":"True","reason":"KubeletReady"}]}}
                """.formatted(name, suite);
    }

    @Test
    void silentNodeBecomesUnreachableKeepsItsDaemonPodGetsNoNewOneAndRecoversWhenItHeartbeatsAgain() {
        String suite = "lifecycle";
        heartbeats.register(List.of(new TopicProbe.Record("lc-quiet", agentReport("lc-quiet", suite), Map.of()),
                new TopicProbe.Record("lc-busy", agentReport("lc-busy", suite), Map.of())));
        Api.require(Api.post(daemonSets(), Fleet.daemonSet(NS, "lc-early", Map.of("suite", suite))), 201);
        Awaitility.await().atMost(CONVERGE).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                Fleet.assertExactlyOnePodOn(cp, NS, "lc-early", List.of("lc-quiet", "lc-busy")));

        // The agent of lc-quiet falls silent: after the grace period the node is Unknown and unreachable.
        heartbeats.stop("lc-quiet");
        JsonNode quiet = Awaitility.await().atMost(LIFECYCLE).pollInterval(Duration.ofMillis(500))
                .until(() -> Api.require(Api.get(nodeUrl("lc-quiet")), 200),
                        n -> "Unknown".equals(condition(n, "Ready", "status")));
        assertThat(condition(quiet, "Ready", "reason")).isEqualTo("NodeStatusUnknown");
        assertThat(taints(quiet)).contains("node.kubernetes.io/unreachable:NoSchedule",
                "node.kubernetes.io/unreachable:NoExecute");
        assertThat(taints(Api.require(Api.get(nodeUrl("lc-busy")), 200))).isEmpty();

        // The daemon pod stays (daemon pods tolerate unreachable:NoExecute); a new DaemonSet only lands
        // on the healthy node, and the scheduler says why.
        Api.require(Api.post(daemonSets(), Fleet.daemonSet(NS, "lc-late", Map.of("suite", suite))), 201);
        Awaitility.await().atMost(CONVERGE).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                Fleet.assertExactlyOnePodOn(cp, NS, "lc-late", List.of("lc-busy")));
        Fleet.assertExactlyOnePodOn(cp, NS, "lc-early", List.of("lc-quiet", "lc-busy"));
        JsonNode why = Api.require(Api.get(cp.url(ControlPlane.SCHEDULER) + "/apis/placement/v1/namespaces/" + NS
                + "/daemonsets/lc-late/nodes/lc-quiet"), 200);
        assertThat(why.path("shouldRun").asBoolean()).isFalse();
        assertThat(why.path("shouldContinueRunning").asBoolean()).isTrue();
        assertThat(why.toString()).contains("node.kubernetes.io/unreachable");

        // The agent comes back: Ready again, the lifecycle taints go, and the late DaemonSet follows.
        heartbeats.register(List.of(new TopicProbe.Record("lc-quiet", agentReport("lc-quiet", suite), Map.of())));
        Awaitility.await().atMost(CONVERGE).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            JsonNode n = Api.require(Api.get(nodeUrl("lc-quiet")), 200);
            assertThat(condition(n, "Ready", "status")).isEqualTo("True");
            assertThat(taints(n)).isEmpty();
            Fleet.assertExactlyOnePodOn(cp, NS, "lc-late", List.of("lc-quiet", "lc-busy"));
        });
    }

    @Test
    void failedPodsAreReplacedWithExponentialBackoffPerNode() {
        String suite = "backoff";
        Api.require(Api.post(cp.url(ControlPlane.NODE_REGISTRY) + "/api/v1/nodes",
                Fleet.node("bo-1", Map.of("suite", suite))), 201);
        Api.require(Api.post(daemonSets(), Fleet.daemonSet(NS, "bo", Map.of("suite", suite))), 201);

        // The agent reports every pod Failed as soon as it sees it, until three failed pods were deleted
        // and the third was replaced. Without backoff the deletions would follow the agent's reaction time.
        List<String> seen = new ArrayList<>();
        Awaitility.await().atMost(CONVERGE).pollInterval(Duration.ofMillis(100)).until(() -> {
            List<JsonNode> pods = Fleet.pods(cp, NS, "bo");
            for (JsonNode p : pods) {
                String name = p.at("/metadata/name").asText();
                if (!seen.contains(name) && Agent.isBound(p)) {
                    seen.add(name);
                    Agent.failed(cp, p);
                }
            }
            List<String> live = pods.stream().map(p -> p.at("/metadata/name").asText()).toList();
            return seen.size() >= 4 && seen.subList(0, 3).stream().noneMatch(live::contains);
        });
        assertThat(seen).doesNotHaveDuplicates();
        // The scheduler's deletions of the failed pods, timed by the decisions' own record timestamps
        // (the clock the backoff runs on): 1 s, then 2 s apart at least (upstream: 1 s doubling to 15 min).
        List<Long> deletions = TopicProbe.readUntil(cp.bootstrap(), Topics.PLACEMENT_DECISIONS,
                rs -> failedPodDeletions(rs).size() >= 3, CONVERGE).stream()
                .filter(r -> "bo-1".equals(r.key()) && isFailedPodDeletion(r)).map(TopicProbe.Record::timestamp)
                .sorted().toList();
        assertThat(deletions).hasSizeGreaterThanOrEqualTo(3);
        assertThat(deletions.get(1) - deletions.get(0)).as("ms between the 1st and 2nd deletion")
                .isGreaterThanOrEqualTo(1000);
        assertThat(deletions.get(2) - deletions.get(1)).as("ms between the 2nd and 3rd deletion")
                .isGreaterThanOrEqualTo(2000);
        // Never more than one live pod for the node while this went on.
        assertThat(Fleet.podsByNode(cp, NS, "bo").getOrDefault("bo-1", List.of())).hasSizeLessThanOrEqualTo(1);
        Api.require(Api.delete(daemonSets() + "/bo"), 200);
    }

    @Test
    void criticalDaemonPodPreemptsLowerPriorityWorkloadAndAnOrdinaryOneWaitsUnschedulable() {
        String suite = "preempt";
        Api.require(Api.post(cp.url(ControlPlane.NODE_REGISTRY) + "/api/v1/nodes", """
                {"apiVersion":"v1","kind":"Node","metadata":{"name":"pe-1","labels":{"suite":"preempt"}},
                 "status":{"allocatable":{"cpu":"1","memory":"2Gi","pods":"10"}}}"""), 201);
        // A workload pod takes 900m of the node's 1 CPU.
        Api.require(Api.post(podsUrl(), """
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"big-workload","labels":{"role":"batch"}},
                 "spec":{"nodeName":"pe-1","priority":100,"containers":[{"name":"w","image":"batch:1",
                   "resources":{"requests":{"cpu":"900m","memory":"256Mi"}}}]}}"""), 201);

        // An ordinary daemon pod (priority 0) asking for 200m does not fit and waits, unbound.
        Api.require(Api.post(daemonSets(), daemonSetRequesting("pe-ordinary", suite, "200m", "")), 201);
        Awaitility.await().atMost(CONVERGE).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            List<JsonNode> pods = Fleet.pods(cp, NS, "pe-ordinary");
            assertThat(pods).singleElement().satisfies(p -> {
                assertThat(Agent.isBound(p)).isFalse();
                assertThat(condition(p, "PodScheduled", "status")).isEqualTo("False");
                assertThat(condition(p, "PodScheduled", "reason")).isEqualTo("Unschedulable");
                assertThat(condition(p, "PodScheduled", "message")).contains("cpu");
            });
        });

        // A system-node-critical daemon pod evicts the workload (lower priority) and is bound.
        Api.require(Api.post(daemonSets(), daemonSetRequesting("pe-critical", suite, "200m",
                ",\"priorityClassName\":\"system-node-critical\"")), 201);
        Awaitility.await().atMost(CONVERGE).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            JsonNode workload = Api.get(podsUrl() + "/big-workload").body();
            assertThat(workload.path("metadata").has("deletionTimestamp")).as("workload is being evicted").isTrue();
            assertThat(condition(workload, "DisruptionTarget", "status")).isEqualTo("True");
            assertThat(condition(workload, "DisruptionTarget", "reason")).isEqualTo("PreemptionByScheduler");
        });
        // The agent reports the evicted pod stopped; the critical pod binds, then the ordinary one fits too.
        Agent.failed(cp, Api.get(podsUrl() + "/big-workload").body());
        Awaitility.await().atMost(CONVERGE).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            assertThat(Api.get(podsUrl() + "/big-workload").code()).isEqualTo(404);
            Fleet.assertExactlyOnePodOn(cp, NS, "pe-critical", List.of("pe-1"));
            Fleet.assertExactlyOnePodOn(cp, NS, "pe-ordinary", List.of("pe-1"));
        });
    }

    private static List<TopicProbe.Record> failedPodDeletions(List<TopicProbe.Record> decisions) {
        return decisions.stream().filter(r -> "bo-1".equals(r.key()) && isFailedPodDeletion(r)).toList();
    }

    private static boolean isFailedPodDeletion(TopicProbe.Record r) {
        try {
            JsonNode d = KubeJson.json().readTree(r.value());
            return "DELETE".equals(d.path("action").asText()) && "FailedDaemonPod".equals(d.path("reason").asText());
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static String daemonSetRequesting(String name, String suite, String cpu, String extraPodSpec) {
        return """
                {"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"%s"},
                 "spec":{"selector":{"matchLabels":{"app":"%s"}},
                   "template":{"metadata":{"labels":{"app":"%s"}},
                     "spec":{"nodeSelector":{"suite":"%s"},"terminationGracePeriodSeconds":0%s,
                       "containers":[{"name":"agent","image":"agent:1",
                         "resources":{"requests":{"cpu":"%s","memory":"64Mi"}}}]}}}}
                """.formatted(name, name, name, suite, extraPodSpec, cpu);
    }
}
