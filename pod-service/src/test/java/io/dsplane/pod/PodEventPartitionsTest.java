package io.dsplane.pod;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.dsplane.broker.KafkaTestResource;
import io.dsplane.broker.TopicProbe;
import io.dsplane.contracts.event.TopicBootstrap;
import io.dsplane.contracts.event.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * A pod's events, its tombstone included, are published on the partition of the node it belongs to
 * (bound, or pinned by node affinity as daemon pods are), so that the scheduler can read them in place
 * beside the node's own events. A pod of no node stays on its key's partition.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
class PodEventPartitionsTest {

    private static final String NS = "partitions";
    private static final String PODS = "/api/v1/namespaces/" + NS + "/pods";

    @Test
    void aPodsEventsGoToItsNodesPartition() {
        int partitions = TopicBootstrap.partitionCounts(KafkaTestResource.bootstrapServers(), List.of(Topics.PODS))
                .get(Topics.PODS);
        // Nodes whose partitions differ from the pods' own keys', or the test could not tell them apart.
        String bound = NS + "/bound";
        String pinned = NS + "/pinned";
        String boundNode = nodeOffThePartitionOf(bound, partitions);
        String pinnedNode = nodeOffThePartitionOf(pinned, partitions);

        given().contentType(ContentType.JSON).body(Fixtures.podJson(NS, "bound", boundNode, "")).post(PODS)
                .then().statusCode(201);
        given().contentType(ContentType.JSON).body("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"pinned"},
                 "spec":{"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":
                   {"nodeSelectorTerms":[{"matchFields":[{"key":"metadata.name","operator":"In","values":["%s"]}]}]}}},
                  "containers":[{"name":"app","image":"registry.example/app:1"}]}}
                """.formatted(pinnedNode)).post(PODS).then().statusCode(201);
        given().contentType(ContentType.JSON).body("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"floating"},
                 "spec":{"containers":[{"name":"app","image":"registry.example/app:1"}]}}
                """).post(PODS).then().statusCode(201);
        given().queryParam("gracePeriodSeconds", 0).delete(PODS + "/bound").then().statusCode(200);

        List<TopicProbe.Record> all = TopicProbe.readUntil(KafkaTestResource.bootstrapServers(), Topics.PODS,
                rs -> Fixtures.ofKey(rs, bound).stream().anyMatch(r -> r.value() == null)
                        && !Fixtures.ofKey(rs, pinned).isEmpty() && !Fixtures.ofKey(rs, NS + "/floating").isEmpty(),
                Fixtures.WAIT);

        Map<String, Integer> expected = Map.of(
                bound, Topics.partitionOf(boundNode, partitions),
                pinned, Topics.partitionOf(pinnedNode, partitions),
                NS + "/floating", Topics.partitionOf(NS + "/floating", partitions));
        expected.forEach((key, partition) -> assertThat(Fixtures.ofKey(all, key))
                .as("partitions of the events of %s", key)
                .isNotEmpty()
                .extracting(TopicProbe.Record::partition).containsOnly(partition));
        // ADDED, DELETED and the tombstone.
        assertThat(Fixtures.ofKey(all, bound)).hasSize(3);
    }

    private static String nodeOffThePartitionOf(String podKey, int partitions) {
        for (int i = 0; ; i++) {
            String node = "node-" + i;
            if (Topics.partitionOf(node, partitions) != Topics.partitionOf(podKey, partitions)) {
                return node;
            }
        }
    }
}
