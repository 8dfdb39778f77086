package io.dsplane.fleetsim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.dsplane.contracts.api.KubeJson;
import io.dsplane.contracts.event.EventType;

class AgentMessagesTest {

    private static final SimNode NODE = Profile.parse("""
            pools: [{name: gpu, share: 1, labels: {accelerator: nvidia},
                     taints: [{key: nvidia.com/gpu, value: present, effect: NoSchedule}],
                     allocatable: {cpu: "16", memory: 64Gi, pods: "110"}}]""").nodes("t", 1, 0).get(0);

    @Test
    void heartbeatsDifferOnlyInHeartbeatTimesAndVariantsChangeTheStatus() throws Exception {
        Instant boot = Instant.parse("2026-01-01T00:00:00Z");
        JsonNode first = tree(AgentMessages.nodeReportBytes(NODE, boot, boot.plusSeconds(10), 0));
        JsonNode later = tree(AgentMessages.nodeReportBytes(NODE, boot, boot.plusSeconds(20), 0));
        JsonNode changed = tree(AgentMessages.nodeReportBytes(NODE, boot, boot.plusSeconds(20), 1));

        assertThat(first.at("/metadata/name").asText()).isEqualTo("t-gpu-0001");
        assertThat(first.at("/metadata/labels/accelerator").asText()).isEqualTo("nvidia");
        assertThat(first.at("/spec/taints/0/key").asText()).isEqualTo("nvidia.com/gpu");
        assertThat(first.at("/status/allocatable/cpu").asText()).isEqualTo("16");
        assertThat(first.at("/status/conditions/3/type").asText()).isEqualTo("Ready");
        assertThat(first.at("/status/conditions/3/status").asText()).isEqualTo("True");
        assertThat(first.at("/status/conditions/3/lastHeartbeatTime").asText()).isEqualTo("2026-01-01T00:00:10Z");

        assertThat(withoutHeartbeats(first)).isEqualTo(withoutHeartbeats(later));
        assertThat(first).isNotEqualTo(later);
        assertThat(withoutHeartbeats(changed)).isNotEqualTo(withoutHeartbeats(later));
    }

    @Test
    void podStatusReportsRunningReadyOrFailed() throws Exception {
        var pod = new AgentMessages.PodOnNode("ops", "agent-x", "uid-1", NODE.name(),
                List.<String[]>of(new String[] {"agent", "agent:1"}));
        Instant t = Instant.parse("2026-01-01T00:00:05Z");
        JsonNode ok = KubeJson.json().valueToTree(AgentMessages.podStatus(pod, "10.0.0.1", "172.16.0.1", t, t, false));
        assertThat(ok.at("/metadata/namespace").asText()).isEqualTo("ops");
        assertThat(ok.at("/status/phase").asText()).isEqualTo("Running");
        assertThat(ok.at("/status/conditions/1/type").asText()).isEqualTo("Ready");
        assertThat(ok.at("/status/conditions/1/status").asText()).isEqualTo("True");
        assertThat(ok.at("/status/conditions/1/lastTransitionTime").asText()).isEqualTo("2026-01-01T00:00:05Z");
        assertThat(ok.has("spec")).isFalse();
        JsonNode failed = KubeJson.json().valueToTree(AgentMessages.podStatus(pod, "10.0.0.1", "172.16.0.1", t, t, true));
        assertThat(failed.at("/status/phase").asText()).isEqualTo("Failed");
        assertThat(failed.at("/status/conditions/1/status").asText()).isEqualTo("False");
    }

    @Test
    void readsPodEventsAndTombstones() {
        String event = """
                {"schemaVersion":1,"eventId":"e","type":"ADDED","resourceVersion":"3",
                 "timestamp":"2026-01-01T00:00:01Z","object":{"apiVersion":"v1","kind":"Pod",
                 "metadata":{"name":"ds-abcde","namespace":"bench","uid":"u",
                   "ownerReferences":[{"kind":"DaemonSet","name":"ds","uid":"x","controller":true}]},
                 "spec":{"nodeName":"n1","containers":[{"name":"c","image":"i:1"}]},
                 "status":{"phase":"Pending"}}}""";
        PodEvent e = PodEvent.parse("bench/ds-abcde", event.getBytes(StandardCharsets.UTF_8));
        assertThat(e.type()).isEqualTo(EventType.ADDED);
        assertThat(e.daemonPod()).isTrue();
        assertThat(e.nodeName()).isEqualTo("n1");
        assertThat(e.phase()).isEqualTo("Pending");
        assertThat(e.containers()).hasSize(1);
        assertThat(e.timestamp()).isEqualTo(Instant.parse("2026-01-01T00:00:01Z"));
        assertThat(e.terminating()).isFalse();
        PodEvent deleting = PodEvent.parse("bench/ds-abcde", event.replace("\"uid\":\"u\",",
                "\"uid\":\"u\",\"deletionTimestamp\":\"2026-01-01T00:00:31Z\",").getBytes(StandardCharsets.UTF_8));
        assertThat(deleting.terminating()).isTrue();
        PodEvent tomb = PodEvent.parse("bench/ds-abcde", null);
        assertThat(tomb.type()).isEqualTo(EventType.DELETED);
        assertThat(tomb.namespace()).isEqualTo("bench");
        assertThat(PodEvent.parse("k", "not json".getBytes(StandardCharsets.UTF_8))).isNull();
    }

    @Test
    void stoppedReportEndsEveryContainerCleanly() {
        AgentMessages.PodOnNode pod = new AgentMessages.PodOnNode("bench", "ds-abcde", "u", "n1",
                List.<String[]>of(new String[] {"c", "i:1"}));
        JsonNode stopped = KubeJson.json().valueToTree(AgentMessages.podStopped(pod, Instant.parse("2026-01-01T00:00:05Z")));
        assertThat(stopped.at("/metadata/uid").asText()).isEqualTo("u");
        assertThat(stopped.at("/status/phase").asText()).isEqualTo("Succeeded");
        assertThat(stopped.at("/status/containerStatuses/0/state/terminated/exitCode").asInt()).isZero();
        assertThat(stopped.at("/status/conditions/0/status").asText()).isEqualTo("False");
    }

    private static JsonNode tree(byte[] bytes) throws Exception {
        return KubeJson.json().readTree(bytes);
    }

    private static JsonNode withoutHeartbeats(JsonNode report) {
        ObjectNode copy = report.deepCopy();
        copy.path("status").path("conditions").forEach(c -> ((ObjectNode) c).remove("lastHeartbeatTime"));
        return copy;
    }
}
