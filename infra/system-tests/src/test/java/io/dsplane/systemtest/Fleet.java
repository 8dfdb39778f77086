package io.dsplane.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;

/** Fleet builds manifests and reads back where the pods of a DaemonSet are. */
public final class Fleet {

    private Fleet() {
    }

    public static String node(String name, Map<String, String> labels) {
        return """
                {"apiVersion":"v1","kind":"Node","metadata":{"name":"%s","labels":%s},
                 "status":{"allocatable":{"cpu":"8","memory":"32Gi","pods":"110"}}}
                """.formatted(name, json(labels));
    }

    public static String daemonSet(String namespace, String name, Map<String, String> nodeSelector) {
        return """
                {"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"%s","namespace":"%s"},
                 "spec":{"selector":{"matchLabels":{"app":"%s"}},
                   "template":{"metadata":{"labels":{"app":"%s","tier":"node-agent"}},
                     "spec":{"nodeSelector":%s,"terminationGracePeriodSeconds":0,
                       "containers":[{"name":"agent","image":"registry.example/agent:1.0",
                         "resources":{"requests":{"cpu":"10m","memory":"16Mi"}}}]}}}}
                """.formatted(name, namespace, name, name, json(nodeSelector));
    }

    private static String json(Map<String, String> m) {
        return m.entrySet().stream().map(e -> "\"" + e.getKey() + "\":\"" + e.getValue() + "\"")
                .collect(Collectors.joining(",", "{", "}"));
    }

    /** Taints ("key:effect") every daemon pod tolerates (kubernetes-semantics.md §1.5, without hostNetwork). */
    private static final Set<String> DAEMON_TOLERATED = Set.of("node.kubernetes.io/not-ready:NoExecute",
            "node.kubernetes.io/unreachable:NoExecute", "node.kubernetes.io/disk-pressure:NoSchedule",
            "node.kubernetes.io/memory-pressure:NoSchedule", "node.kubernetes.io/pid-pressure:NoSchedule",
            "node.kubernetes.io/unschedulable:NoSchedule");

    /**
     * admitsNewDaemonPods is true for a node (JSON) on which a DaemonSet without tolerations of its own
     * gets a new pod: every NoSchedule or NoExecute taint is one daemon pods tolerate. (A node whose
     * agent fell silent, e.g. one of an earlier test, carries unreachable:NoSchedule and gets none.)
     */
    public static boolean admitsNewDaemonPods(JsonNode node) {
        for (JsonNode t : node.at("/spec/taints")) {
            String effect = t.path("effect").asText();
            if (("NoSchedule".equals(effect) || "NoExecute".equals(effect))
                    && !DAEMON_TOLERATED.contains(t.path("key").asText() + ":" + effect)) {
                return false;
            }
        }
        return true;
    }

    /** pods lists the pods of a DaemonSet (by its app label) as returned by pod-service. */
    public static List<JsonNode> pods(ControlPlane cp, String namespace, String dsName) {
        JsonNode list = Api.require(Api.get(cp.url(ControlPlane.POD) + "/api/v1/namespaces/" + namespace
                + "/pods?labelSelector=app%3D" + dsName), 200);
        List<JsonNode> out = new ArrayList<>();
        list.get("items").forEach(out::add);
        return out;
    }

    /** podsByNode maps node name to the names of the DaemonSet's pods bound there. */
    public static Map<String, List<String>> podsByNode(ControlPlane cp, String namespace, String dsName) {
        Map<String, List<String>> out = new TreeMap<>();
        for (JsonNode pod : pods(cp, namespace, dsName)) {
            if (pod.path("metadata").has("deletionTimestamp")) {
                continue;
            }
            out.computeIfAbsent(pod.path("spec").path("nodeName").asText(), k -> new ArrayList<>())
                    .add(pod.path("metadata").path("name").asText());
        }
        return out;
    }

    /** assertExactlyOnePodOn checks the DaemonSet has one pod on each given node and none elsewhere. */
    public static void assertExactlyOnePodOn(ControlPlane cp, String namespace, String dsName, List<String> nodes) {
        Map<String, List<String>> byNode = podsByNode(cp, namespace, dsName);
        assertThat(byNode.keySet()).as("nodes with a pod of %s", dsName).containsExactlyInAnyOrderElementsOf(nodes);
        Map<String, Integer> counts = new HashMap<>();
        byNode.forEach((n, ps) -> counts.put(n, ps.size()));
        assertThat(counts.values()).as("pods per node of %s", dsName).allMatch(c -> c == 1);
    }
}
