package io.dsplane.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
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
 * Crash a service with SIGKILL in the middle of a 200-node convergence, start it again, and require
 * the exact expected pod set: one pod per node, and never a second pod materialized for any node.
 */
class CrashRecoveryIT {

    private static final int NODES = 200;
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
    void podServiceKilledMidConvergenceEndsWithExactPodSet() throws Exception {
        crashMidConvergence("crash-pods", ControlPlane.POD);
    }

    @Test
    void schedulerKilledMidConvergenceEndsWithExactPodSet() throws Exception {
        crashMidConvergence("crash-sched", ControlPlane.SCHEDULER);
    }

    private void crashMidConvergence(String suite, String victim) throws Exception {
        String ns = "crash";
        Api.require(Api.post(cp.url(ControlPlane.DAEMONSET) + "/apis/apps/v1/namespaces/" + ns + "/daemonsets",
                Fleet.daemonSet(ns, suite, Map.of("suite", suite))), 201);
        List<String> names = new ArrayList<>();
        List<TopicProbe.Record> reports = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            String n = suite + "-" + i;
            names.add(n);
            reports.add(new TopicProbe.Record(n, Fleet.node(n, Map.of("suite", suite)), Map.of()));
        }
        // The first half registers; as soon as its first pod exists the victim is killed, the second half
        // registers while it is down, and it is started again: the crash lands mid-convergence by design.
        heartbeats.register(reports.subList(0, NODES / 2));
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50))
                .until(() -> !Fleet.pods(cp, ns, suite).isEmpty());
        cp.kill(victim);
        heartbeats.register(reports.subList(NODES / 2, NODES));
        cp.restart(victim);

        Awaitility.await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> Fleet.assertExactlyOnePodOn(cp, ns, suite, names));

        // No pod beyond the 200 was ever materialized: every pod created for this DaemonSet is on the topic.
        Set<String> created = new HashSet<>();
        TopicProbe.readUntil(cp.bootstrap(), Topics.PODS, rs -> false, Duration.ofSeconds(5)).forEach(r -> {
            if (r.value() == null) {
                return;
            }
            try {
                JsonNode e = KubeJson.json().readTree(r.value());
                if ("ADDED".equals(e.path("type").asText())
                        && suite.equals(e.at("/object/metadata/labels/app").asText())) {
                    created.add(e.at("/object/metadata/name").asText());
                }
            } catch (java.io.IOException ex) {
                throw new IllegalStateException(ex);
            }
        });
        assertThat(created).as("distinct pods ever created for %s", suite).hasSize(NODES);

        Api.require(Api.delete(cp.url(ControlPlane.DAEMONSET) + "/apis/apps/v1/namespaces/" + ns + "/daemonsets/"
                + suite), 200);
    }
}
