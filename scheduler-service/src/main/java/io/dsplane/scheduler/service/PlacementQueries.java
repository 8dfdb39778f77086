package io.dsplane.scheduler.service;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.type.TypeReference;

import io.dsplane.contracts.api.KubeJson;
import io.dsplane.contracts.api.Statuses;
import io.dsplane.contracts.event.EventCodec;
import io.dsplane.contracts.event.TemplateHash;
import io.dsplane.scheduler.messaging.ByNodePartitioner;
import io.dsplane.scheduler.messaging.PlacementProcessor;
import io.dsplane.scheduler.messaging.TopologyProducer;
import io.dsplane.scheduler.placement.NodeExplanation;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;

/**
 * PlacementQueries answers explanation requests from the scheduler's state stores (Kafka Streams
 * interactive queries). Each instance holds the nodes of its partitions; a question about all nodes
 * is answered by asking every instance for its local part, one about one node by asking the
 * instance that owns that node's partition.
 */
@ApplicationScoped
public class PlacementQueries {

    /** Path of the per-instance endpoint other instances call. */
    public static final String LOCAL_PATH = "/apis/placement/v1/local/namespaces/%s/daemonsets/%s/nodes";

    @Inject
    KafkaStreams streams;

    @ConfigProperty(name = "kafka-streams.application.server")
    String self;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** explainAll gathers the explanation of every node, from every instance, sorted by node name. */
    public List<NodeExplanation> explainAll(String namespace, String name) {
        List<NodeExplanation> out = new ArrayList<>(explainLocal(namespace, name, null));
        for (StreamsMetadata m : streams.metadataForAllStreamsClients()) {
            HostInfo h = m.hostInfo();
            if (!(h.host() + ":" + h.port()).equals(self)) {
                out.addAll(remote(h, namespace, name, null));
            }
        }
        out.sort(Comparator.comparing(NodeExplanation::node));
        return out;
    }

    /** explainNode asks the instance that owns the node; empty when the node is unknown. */
    public Optional<NodeExplanation> explainNode(String namespace, String name, String node) {
        KeyQueryMetadata meta = streams.queryMetadataForKey(PlacementProcessor.NODES, node,
                (topic, key, value, partitions) -> new ByNodePartitioner().partitions(topic, key, null, partitions));
        HostInfo owner = meta == null ? null : meta.activeHost();
        List<NodeExplanation> found = owner == null || owner.equals(HostInfo.unavailable())
                || (owner.host() + ":" + owner.port()).equals(self)
                        ? explainLocal(namespace, name, node)
                        : remote(owner, namespace, name, node);
        return found.stream().findFirst();
    }

    /** explainLocal explains the nodes this instance holds (or one of them). */
    public List<NodeExplanation> explainLocal(String namespace, String name, String onlyNode) {
        ReadOnlyKeyValueStore<String, byte[]> dss = store(PlacementProcessor.DAEMONSETS);
        byte[] dsBytes = dss.get(namespace + "/" + name);
        if (dsBytes == null) {
            throw Statuses.notFound("apps", "daemonsets", name);
        }
        DaemonSet ds = EventCodec.decode(dsBytes, DaemonSet.class);
        String hash = TemplateHash.computeHash(ds.getSpec().getTemplate(),
                ds.getStatus() == null ? null : ds.getStatus().getCollisionCount());
        ReadOnlyKeyValueStore<String, byte[]> nodes = store(PlacementProcessor.NODES);
        ReadOnlyKeyValueStore<String, byte[]> pods = store(PlacementProcessor.PODS);
        List<NodeExplanation> out = new ArrayList<>();
        if (onlyNode != null) {
            byte[] n = nodes.get(onlyNode);
            if (n != null) {
                out.add(explain(EventCodec.decode(n, Node.class), ds, pods, hash));
            }
            return out;
        }
        try (KeyValueIterator<String, byte[]> it = nodes.all()) {
            while (it.hasNext()) {
                out.add(explain(EventCodec.decode(it.next().value, Node.class), ds, pods, hash));
            }
        }
        return out;
    }

    private static NodeExplanation explain(Node node, DaemonSet ds, ReadOnlyKeyValueStore<String, byte[]> pods,
            String hash) {
        List<Pod> onNode = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = pods.prefixScan(node.getMetadata().getName() + "|",
                new StringSerializer())) {
            while (it.hasNext()) {
                onNode.add(EventCodec.decode(it.next().value, Pod.class));
            }
        }
        return NodeExplanation.explain(node, ds, onNode, hash);
    }

    private ReadOnlyKeyValueStore<String, byte[]> store(String name) {
        if (streams.state() != KafkaStreams.State.RUNNING) {
            throw new io.dsplane.contracts.api.ApiException(Statuses.of(503, Statuses.SERVICE_UNAVAILABLE,
                    "the scheduler is " + streams.state() + "; try again shortly"));
        }
        return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.keyValueStore()));
    }

    private List<NodeExplanation> remote(HostInfo host, String namespace, String name, String node) {
        String path = String.format(LOCAL_PATH, namespace, name) + (node == null ? "" : "?node=" + node);
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                    URI.create("http://" + host.host() + ":" + host.port() + path)).timeout(Duration.ofSeconds(10))
                    .GET().build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (r.statusCode() != 200) {
                throw new io.dsplane.contracts.api.ApiException(Statuses.of(503, Statuses.SERVICE_UNAVAILABLE,
                        "scheduler instance " + host + " answered " + r.statusCode()));
            }
            return KubeJson.json().readValue(r.body(), new TypeReference<List<NodeExplanation>>() {
            });
        } catch (java.io.IOException e) {
            throw new io.dsplane.contracts.api.ApiException(Statuses.of(503, Statuses.SERVICE_UNAVAILABLE,
                    "scheduler instance " + host + " is unreachable: " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The repartition topic's name, for operators reading the logs. */
    public static String workTopic() {
        return "scheduler-service-" + TopologyProducer.WORK + "-repartition";
    }
}
