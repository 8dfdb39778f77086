package io.dsplane.scheduler.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.dsplane.broker.KafkaTestResource;
import io.dsplane.broker.TopicProbe;
import io.dsplane.contracts.api.KubeBodies;
import io.dsplane.contracts.event.EventCodec;
import io.dsplane.contracts.event.EventType;
import io.dsplane.contracts.event.PlacementDecision;
import io.dsplane.contracts.event.ResourceEvent;
import io.dsplane.contracts.event.Topics;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The scheduler against a real broker: state in, decisions out, explanations served from its stores. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
class SchedulerServiceTest {

    private static <T extends HasMetadata> TopicProbe.Record event(String key, T obj) {
        obj.getMetadata().setResourceVersion("1");
        return new TopicProbe.Record(key, KubeBodies.write(new ResourceEvent<>(1, UUID.randomUUID().toString(),
                EventType.ADDED, "1", Instant.now(), obj)), Map.of());
    }

    @Test
    void decidesPodsForMatchingNodesAndExplainsEveryNode() {
        String bootstrap = KafkaTestResource.bootstrapServers();
        TopicProbe.publish(bootstrap, Topics.NODES, List.of(
                event("gpu-1", new NodeBuilder().withNewMetadata().withName("gpu-1").addToLabels("gpu", "true")
                        .endMetadata().build()),
                event("cpu-1", new NodeBuilder().withNewMetadata().withName("cpu-1").addToLabels("gpu", "false")
                        .endMetadata().withNewSpec().addNewTaint().withKey("dedicated").withValue("db")
                        .withEffect("NoSchedule").endTaint().endSpec().build())));
        TopicProbe.publish(bootstrap, Topics.DAEMONSETS, List.of(event("ops/gpu-agent", new DaemonSetBuilder()
                .withNewMetadata().withName("gpu-agent").withNamespace("ops").withUid("uid-gpu-agent").endMetadata()
                .withNewSpec().withNewSelector().addToMatchLabels("app", "gpu-agent").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "gpu-agent").endMetadata()
                .withNewSpec().addToNodeSelector("gpu", "true").addNewContainer().withName("agent")
                .withImage("agent:1").endContainer().endSpec().endTemplate().endSpec().build())));

        List<TopicProbe.Record> decisions = TopicProbe.readUntil(bootstrap, Topics.PLACEMENT_DECISIONS,
                rs -> !rs.isEmpty(), Duration.ofSeconds(60));
        assertThat(decisions).singleElement().satisfies(r -> {
            PlacementDecision d = EventCodec.decodeDecision(r.value().getBytes());
            assertThat(d.action()).isEqualTo(PlacementDecision.Action.CREATE);
            assertThat(d.nodeName()).isEqualTo("gpu-1");
            assertThat(r.key()).isEqualTo("gpu-1");
        });

        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().get("/apis/placement/v1/namespaces/ops/daemonsets/gpu-agent/nodes").then().statusCode(200)
                        .body("$", hasSize(2))
                        .body("[0].node", equalTo("cpu-1")).body("[0].shouldRun", equalTo(false))
                        .body("[0].reasons", hasItem(org.hamcrest.Matchers.containsString("gpu")))
                        .body("[1].node", equalTo("gpu-1")).body("[1].shouldRun", equalTo(true)));
        given().get("/apis/placement/v1/namespaces/ops/daemonsets/gpu-agent/nodes/cpu-1").then().statusCode(200)
                .body("node", equalTo("cpu-1"))
                .body("reasons", hasItem(org.hamcrest.Matchers.containsString("dedicated")));
        given().get("/apis/placement/v1/namespaces/ops/daemonsets/missing/nodes").then().statusCode(404)
                .body("kind", equalTo("Status"));
    }
}
