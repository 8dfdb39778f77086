package io.dsplane.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.dsplane.broker.TopicProbe;
import io.dsplane.contracts.event.Topics;

/** The walking skeleton's promise, over REST against the four real services, a real broker and PostgreSQL. */
class EndToEndIT {

    private static final Duration CONVERGE = Duration.ofSeconds(60);
    private static ControlPlane cp;

    @BeforeAll
    static void start() {
        cp = ControlPlane.get();
    }

    private static String nodes() {
        return cp.url(ControlPlane.NODE_REGISTRY) + "/api/v1/nodes";
    }

    private static String daemonSets(String ns) {
        return cp.url(ControlPlane.DAEMONSET) + "/apis/apps/v1/namespaces/" + ns + "/daemonsets";
    }

    private static void converge(Runnable assertion) {
        Awaitility.await().atMost(CONVERGE).pollInterval(Duration.ofMillis(250)).untilAsserted(assertion::run);
    }

    @Test
    void podsFollowNodesLabelsSelectorsAndDeletions() {
        for (int i = 1; i <= 3; i++) {
            Api.require(Api.post(nodes(), Fleet.node("e2e-" + i, Map.of("suite", "e2e", "disk", i < 3 ? "ssd" : "hdd"))),
                    201);
        }
        Api.require(Api.post(daemonSets("logging"), Fleet.daemonSet("logging", "e2e-all", Map.of("suite", "e2e"))), 201);
        Api.require(Api.post(daemonSets("logging"),
                Fleet.daemonSet("logging", "e2e-ssd", Map.of("suite", "e2e", "disk", "ssd"))), 201);

        converge(() -> Fleet.assertExactlyOnePodOn(cp, "logging", "e2e-all", List.of("e2e-1", "e2e-2", "e2e-3")));
        converge(() -> Fleet.assertExactlyOnePodOn(cp, "logging", "e2e-ssd", List.of("e2e-1", "e2e-2")));

        JsonNode ds = Api.require(Api.get(daemonSets("logging") + "/e2e-all"), 200);
        JsonNode pod = Fleet.pods(cp, "logging", "e2e-all").get(0);
        assertThat(pod.at("/metadata/name").asText()).startsWith("e2e-all-").hasSize("e2e-all-".length() + 5);
        assertThat(pod.at("/metadata/labels/tier").asText()).isEqualTo("node-agent");
        assertThat(pod.at("/metadata/labels/controller-revision-hash").asText()).isNotEmpty();
        assertThat(pod.at("/metadata/ownerReferences/0/kind").asText()).isEqualTo("DaemonSet");
        assertThat(pod.at("/metadata/ownerReferences/0/apiVersion").asText()).isEqualTo("apps/v1");
        assertThat(pod.at("/metadata/ownerReferences/0/uid").asText()).isEqualTo(ds.at("/metadata/uid").asText());
        assertThat(pod.at("/metadata/ownerReferences/0/controller").asBoolean()).isTrue();
        String node = pod.at("/spec/nodeName").asText();
        JsonNode term = pod.at("/spec/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution"
                + "/nodeSelectorTerms/0/matchFields/0");
        assertThat(term.path("key").asText()).isEqualTo("metadata.name");
        assertThat(term.path("operator").asText()).isEqualTo("In");
        assertThat(term.path("values").get(0).asText()).isEqualTo(node);
        assertThat(pod.at("/status/phase").asText()).isEqualTo("Pending");

        // Node added -> pod added.
        Api.require(Api.post(nodes(), Fleet.node("e2e-4", Map.of("suite", "e2e", "disk", "ssd"))), 201);
        converge(() -> Fleet.assertExactlyOnePodOn(cp, "logging", "e2e-ssd", List.of("e2e-1", "e2e-2", "e2e-4")));

        // Node labels changed -> pods follow.
        Api.require(Api.mergePatch(nodes() + "/e2e-3", "{\"metadata\":{\"labels\":{\"disk\":\"ssd\"}}}"), 200);
        Api.require(Api.mergePatch(nodes() + "/e2e-1", "{\"metadata\":{\"labels\":{\"disk\":\"hdd\"}}}"), 200);
        converge(() -> Fleet.assertExactlyOnePodOn(cp, "logging", "e2e-ssd", List.of("e2e-2", "e2e-3", "e2e-4")));

        // DaemonSet nodeSelector changed -> pods follow.
        Api.require(Api.mergePatch(daemonSets("logging") + "/e2e-ssd",
                "{\"spec\":{\"template\":{\"spec\":{\"nodeSelector\":{\"disk\":\"hdd\"}}}}}"), 200);
        converge(() -> Fleet.assertExactlyOnePodOn(cp, "logging", "e2e-ssd", List.of("e2e-1")));

        // Node deleted -> its daemon pods removed.
        Api.require(Api.delete(nodes() + "/e2e-2"), 200);
        converge(() -> Fleet.assertExactlyOnePodOn(cp, "logging", "e2e-all", List.of("e2e-1", "e2e-3", "e2e-4")));

        // An agent reports its pod running and ready.
        String name = Fleet.podsByNode(cp, "logging", "e2e-all").get("e2e-1").get(0);
        Api.require(Api.mergePatch(cp.url(ControlPlane.POD) + "/api/v1/namespaces/logging/pods/" + name + "/status",
                "{\"status\":{\"phase\":\"Running\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}"), 200);
        assertThat(Api.require(Api.get(cp.url(ControlPlane.POD) + "/api/v1/namespaces/logging/pods/" + name), 200)
                .at("/status/phase").asText()).isEqualTo("Running");

        // DaemonSet deleted -> its pods removed; the other DaemonSet is untouched.
        Api.require(Api.delete(daemonSets("logging") + "/e2e-ssd"), 200);
        converge(() -> assertThat(Fleet.pods(cp, "logging", "e2e-ssd")).isEmpty());
        Fleet.assertExactlyOnePodOn(cp, "logging", "e2e-all", List.of("e2e-1", "e2e-3", "e2e-4"));
        Api.require(Api.delete(daemonSets("logging") + "/e2e-all"), 200);
        converge(() -> assertThat(Fleet.pods(cp, "logging", "e2e-all")).isEmpty());
    }

    @Test
    void daemonSetWithoutNodeSelectorRunsOnEveryNode() {
        Api.require(Api.post(nodes(), Fleet.node("any-1", Map.of("suite", "any"))), 201);
        Api.require(Api.post(daemonSets("monitoring"), Fleet.daemonSet("monitoring", "everywhere", Map.of())), 201);
        converge(() -> {
            // Every node that takes new daemon pods has exactly one. A node of an earlier test whose agent
            // has since fallen silent (unreachable) may keep the pod it got, but never gets a second.
            List<String> admitting = new ArrayList<>();
            List<String> all = new ArrayList<>();
            Api.require(Api.get(nodes()), 200).get("items").forEach(n -> {
                all.add(n.at("/metadata/name").asText());
                if (Fleet.admitsNewDaemonPods(n)) {
                    admitting.add(n.at("/metadata/name").asText());
                }
            });
            assertThat(admitting).contains("any-1");
            Map<String, List<String>> byNode = Fleet.podsByNode(cp, "monitoring", "everywhere");
            assertThat(byNode.keySet()).containsAll(admitting);
            assertThat(all).containsAll(byNode.keySet());
            assertThat(byNode.values()).allSatisfy(pods -> assertThat(pods).hasSize(1));
        });
        Api.require(Api.delete(daemonSets("monitoring") + "/everywhere"), 200);
        converge(() -> assertThat(Fleet.pods(cp, "monitoring", "everywhere")).isEmpty());
    }

    @Test
    void nodeRegisteredOnlyThroughKafkaGetsItsPod() {
        Api.require(Api.post(daemonSets("agents"), Fleet.daemonSet("agents", "kafka-agent", Map.of("suite", "kafka"))),
                201);
        TopicProbe.publish(cp.bootstrap(), Topics.NODE_STATUS, List.of(new TopicProbe.Record("kafka-node-1",
                Fleet.node("kafka-node-1", Map.of("suite", "kafka")), Map.of())));
        converge(() -> Fleet.assertExactlyOnePodOn(cp, "agents", "kafka-agent", List.of("kafka-node-1")));
        Api.require(Api.delete(daemonSets("agents") + "/kafka-agent"), 200);
    }

    @Test
    void rejectedWritesStoreNothing() {
        Api.Response r = Api.post(daemonSets("agents"), """
                {"metadata":{"name":"no-containers"},"spec":{"selector":{"matchLabels":{"app":"x"}},
                 "template":{"metadata":{"labels":{"app":"y"}},"spec":{"containers":[]}}}}
                """);
        assertThat(r.code()).isEqualTo(422);
        assertThat(r.body().at("/kind").asText()).isEqualTo("Status");
        assertThat(r.body().at("/details/causes").findValuesAsText("field"))
                .contains("spec.template.metadata.labels", "spec.template.spec.containers");
        assertThat(Api.get(daemonSets("agents") + "/no-containers").code()).isEqualTo(404);
    }
}
