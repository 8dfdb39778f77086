package io.dsplane.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.dsplane.broker.TopicProbe;
import io.dsplane.contracts.api.KubeJson;
import io.dsplane.contracts.event.Topics;

/**
 * Two scheduler instances share the partitions; one is killed part-way through 300 nodes and three
 * DaemonSets. The survivor takes over its partitions and state: the end state is exactly one pod per
 * eligible node, no pod is ever materialized twice, and explanations cover every node.
 */
class ScaleOutIT {

    private static final int NODES = 300;
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

    @Test
    void twoSchedulersShareTheWorkAndSurviveLosingOne() throws Exception {
        String second = ControlPlane.SCHEDULER + "-2";
        cp.startInstance(ControlPlane.SCHEDULER, second);
        String ns = "scale";
        String suite = "scale";
        // Three DaemonSets: every scale node, the even ones (zone=a), and the ones with a GPU (every third).
        Map<String, Map<String, String>> selectors = Map.of(
                "scale-all", Map.of("suite", suite),
                "scale-zone-a", Map.of("suite", suite, "zone", "a"),
                "scale-gpu", Map.of("suite", suite, "gpu", "true"));
        for (var e : selectors.entrySet()) {
            Api.require(Api.post(cp.url(ControlPlane.DAEMONSET) + "/apis/apps/v1/namespaces/" + ns + "/daemonsets",
                    Fleet.daemonSet(ns, e.getKey(), e.getValue())), 201);
        }
        Map<String, List<String>> expected = new HashMap<>();
        selectors.keySet().forEach(k -> expected.put(k, new ArrayList<>()));
        List<TopicProbe.Record> reports = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            String n = "scale-" + i;
            Map<String, String> labels = new HashMap<>(Map.of("suite", suite, "zone", i % 2 == 0 ? "a" : "b"));
            if (i % 3 == 0) {
                labels.put("gpu", "true");
            }
            expected.get("scale-all").add(n);
            if (i % 2 == 0) {
                expected.get("scale-zone-a").add(n);
            }
            if (i % 3 == 0) {
                expected.get("scale-gpu").add(n);
            }
            reports.add(new TopicProbe.Record(n, Fleet.node(n, labels), Map.of()));
        }
        heartbeats.register(reports.subList(0, NODES / 2));
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                .until(() -> !Fleet.pods(cp, ns, "scale-all").isEmpty());
        cp.kill(second);
        heartbeats.register(reports.subList(NODES / 2, NODES));

        for (var e : expected.entrySet()) {
            Awaitility.await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> Fleet.assertExactlyOnePodOn(cp, ns, e.getKey(), e.getValue()));
        }

        Map<String, Set<String>> created = new HashMap<>();
        TopicProbe.readUntil(cp.bootstrap(), Topics.PODS, rs -> false, Duration.ofSeconds(5)).forEach(r -> {
            if (r.value() == null) {
                return;
            }
            try {
                JsonNode e = KubeJson.json().readTree(r.value());
                String app = e.at("/object/metadata/labels/app").asText();
                if ("ADDED".equals(e.path("type").asText()) && expected.containsKey(app)) {
                    created.computeIfAbsent(app, k -> new HashSet<>()).add(e.at("/object/metadata/name").asText());
                }
            } catch (java.io.IOException ex) {
                throw new IllegalStateException(ex);
            }
        });
        for (var e : expected.entrySet()) {
            assertThat(created.get(e.getKey())).as("distinct pods ever created for %s", e.getKey())
                    .hasSize(e.getValue().size());
        }

        // The explanation of every node is served although the nodes were spread over two instances.
        // Until the group has noticed the killed instance (its session timeout), the metadata still
        // names it and the fan-out answers 503 for its partitions; the pods can converge before that.
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonNode explained = Api.require(Api.get(cp.url(ControlPlane.SCHEDULER)
                    + "/apis/placement/v1/namespaces/" + ns + "/daemonsets/scale-gpu/nodes"), 200);
            List<String> shouldRun = new ArrayList<>();
            explained.forEach(n -> {
                if (n.path("node").asText().startsWith("scale-") && n.path("shouldRun").asBoolean()) {
                    shouldRun.add(n.path("node").asText());
                }
            });
            assertThat(shouldRun).containsExactlyInAnyOrderElementsOf(expected.get("scale-gpu"));
        });

        for (String ds : selectors.keySet()) {
            Api.require(Api.delete(cp.url(ControlPlane.DAEMONSET) + "/apis/apps/v1/namespaces/" + ns
                    + "/daemonsets/" + ds), 200);
        }
    }
}
