package io.dsplane.pod;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import io.dsplane.broker.KafkaTestResource;
import io.dsplane.broker.TopicProbe;
import io.dsplane.contracts.event.EventCodec;
import io.dsplane.contracts.event.PlacementDecision;
import io.dsplane.contracts.event.Topics;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;

/** Fixtures builds the pods, decisions and topic reads the pod-service tests share. */
final class Fixtures {

    /** 30 s: generous for a 2-core machine shared with other builds; waits end as soon as the state is there. */
    static final Duration WAIT = Duration.ofSeconds(30);
    static final String DS_UID = "5f1c7a52-0000-4000-8000-00000000d5d5";

    private Fixtures() {
    }

    /** podJson is a bound workload pod as a user would POST it. */
    static String podJson(String namespace, String name, String node, String labels) {
        return """
                {"apiVersion":"v1","kind":"Pod",
                 "metadata":{"name":"%s","namespace":"%s","labels":{%s}},
                 "spec":{"nodeName":"%s","containers":[{"name":"app","image":"registry.example/app:1",
                   "resources":{"requests":{"cpu":"100m","memory":"64Mi"},"limits":{"cpu":"200m","memory":"128Mi"}}}]}}
                """.formatted(name, namespace, labels, node);
    }

    /** daemonPod is the pod a CREATE decision carries: as the scheduler materializes a daemon pod. */
    static Pod daemonPod(String namespace, String name, String node) {
        return new PodBuilder().withApiVersion("v1").withKind("Pod")
                .withNewMetadata().withName(name).withNamespace(namespace)
                .addToLabels("app", "log-agent").addToLabels("controller-revision-hash", "7c9d5b8f4")
                .addNewOwnerReference().withApiVersion("apps/v1").withKind("DaemonSet").withName("log-agent")
                .withUid(DS_UID).withController(true).withBlockOwnerDeletion(true).endOwnerReference()
                .endMetadata()
                .withNewSpec().withNodeName(node).withRestartPolicy("Always")
                .addNewContainer().withName("agent").withImage("registry.example/log-agent:2.1")
                .withNewResources().addToRequests("cpu", new io.fabric8.kubernetes.api.model.Quantity("50m"))
                .endResources().endContainer()
                .addNewToleration().withKey("node.kubernetes.io/not-ready").withOperator("Exists")
                .withEffect("NoExecute").endToleration()
                .withNewAffinity().withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .addNewNodeSelectorTerm().addNewMatchField().withKey("metadata.name").withOperator("In")
                .withValues(node).endMatchField().endNodeSelectorTerm()
                .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().endAffinity()
                .endSpec()
                .withNewStatus().withPhase("Pending").addNewCondition().withType("PodScheduled").withStatus("True")
                .endCondition().endStatus()
                .build();
    }

    static String createDecision(String id, String namespace, String name, String node) {
        return createDecision(id, namespace, name, node, daemonPod(namespace, name, node));
    }

    static String createDecision(String id, String namespace, String name, String node, Pod pod) {
        return json(new PlacementDecision(1, id, PlacementDecision.Action.CREATE, node, namespace, name, null, DS_UID,
                "7c9d5b8f4", "Scheduled", "bound to " + node, pod));
    }

    static String deleteDecision(String id, String namespace, String name, String node, String uid) {
        return json(new PlacementDecision(1, id, PlacementDecision.Action.DELETE, node, namespace, name, uid, DS_UID,
                null, "NodeStoppedMatching", "the node no longer matches", null));
    }

    static String evictDecision(String id, String namespace, String name, String node, String uid, String reason,
            String message) {
        return json(new PlacementDecision(1, id, PlacementDecision.Action.EVICT, node, namespace, name, uid, null,
                null, reason, message, null));
    }

    /** decision builds a decision of any action about an existing pod (no pod body). */
    static String decision(String id, PlacementDecision.Action action, String namespace, String name, String node,
            String uid, String dsUid, String reason, String message) {
        return json(new PlacementDecision(1, id, action, node, namespace, name, uid, dsUid, null, reason, message,
                null));
    }

    private static String json(Object value) {
        return new String(EventCodec.encode(value), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** publish sends values with one key, in order, to one partition. */
    static void publish(String topic, String key, String... values) {
        List<TopicProbe.Record> records = java.util.Arrays.stream(values)
                .map(v -> new TopicProbe.Record(key, v, Map.of())).toList();
        TopicProbe.publish(KafkaTestResource.bootstrapServers(), topic, records);
    }

    /** podEvents reads dsplane.pods.v1 until the events of one key satisfy {@code done}; returns that key's. */
    static List<TopicProbe.Record> podEvents(String key, Predicate<List<TopicProbe.Record>> done) {
        return TopicProbe.readUntil(KafkaTestResource.bootstrapServers(), Topics.PODS,
                rs -> done.test(ofKey(rs, key)), WAIT).stream().filter(r -> key.equals(r.key())).toList();
    }

    /** parked reads dsplane.parked.v1 until a record with this key is there; returns the records of that key. */
    static List<TopicProbe.Record> parked(String key) {
        return TopicProbe.readUntil(KafkaTestResource.bootstrapServers(), Topics.PARKED,
                rs -> !ofKey(rs, key).isEmpty(), WAIT).stream().filter(r -> key.equals(r.key())).toList();
    }

    static List<TopicProbe.Record> ofKey(List<TopicProbe.Record> records, String key) {
        return records.stream().filter(r -> key.equals(r.key())).toList();
    }

    /** type is the event type of a pods-topic value, or "TOMBSTONE". */
    static String type(TopicProbe.Record r) {
        if (r.value() == null) {
            return "TOMBSTONE";
        }
        for (String t : List.of("ADDED", "MODIFIED", "DELETED")) {
            if (r.value().contains("\"type\":\"" + t + "\"")) {
                return t;
            }
        }
        return "?";
    }

    static List<String> types(List<TopicProbe.Record> records) {
        return records.stream().map(Fixtures::type).toList();
    }
}
