package io.dsplane.noderegistry.service;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.dsplane.contracts.api.KubeBodies;
import io.dsplane.contracts.api.ObjectEndpoints;
import io.dsplane.contracts.event.Topics;
import io.dsplane.contracts.registry.ObjectRegistry;
import io.dsplane.contracts.registry.OutboxPublisher;
import io.dsplane.contracts.registry.ResourceKind;
import io.dsplane.contracts.registry.StoredObject;
import io.dsplane.noderegistry.validation.NodeValidation;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeStatus;

/**
 * NodeRegistry owns the Node objects: the REST verbs, and the reports node agents send (registration,
 * heartbeats, status). A heartbeat whose status differs only in heartbeat times is recorded in
 * node_heartbeats and emits nothing, so a fleet's heartbeats do not flood the node topic.
 */
@ApplicationScoped
public class NodeRegistry {

    public static final ResourceKind KIND = new ResourceKind("", "v1", "Node", "nodes", false, Topics.NODES);

    private final ObjectRegistry<Node> registry;
    private final ObjectEndpoints<Node> endpoints;

    @Inject
    public NodeRegistry(OutboxPublisher publisher) {
        this.registry = new ObjectRegistry<>(KIND, Node.class, new NodeValidation(),
                Map.of("spec.unschedulable", n -> String.valueOf(n.getSpec() != null
                        && Boolean.TRUE.equals(n.getSpec().getUnschedulable()))),
                null, publisher::wakeAfterCommit);
        this.endpoints = new ObjectEndpoints<>(registry, Node.class);
    }

    public ObjectEndpoints<Node> endpoints() {
        return endpoints;
    }

    public ObjectRegistry<Node> registry() {
        return registry;
    }

    /**
     * reportFromAgent applies what an agent says about its node: creates the node when it is new
     * (labels, taints and status as sent), otherwise replaces the status when it changed beyond
     * heartbeat times. Either way the heartbeat time is recorded.
     */
    @Transactional
    public Node reportFromAgent(Node reported, Instant now) {
        String name = reported.getMetadata().getName();
        recordHeartbeat(name, now);
        Optional<Node> existing = registry.find(null, name);
        if (existing.isEmpty()) {
            reported.getMetadata().setResourceVersion(null);
            return registry.create(null, reported);
        }
        JsonNode reportedStatus = ObjectRegistry.jsonOf(reported, "status");
        if (reportedStatus.isNull()
                || withoutHeartbeatTimes(reportedStatus).equals(withoutHeartbeatTimes(
                        ObjectRegistry.jsonOf(existing.get(), "status")))) {
            return existing.get();
        }
        return registry.modify(null, name, n -> {
            n.setStatus(KubeBodies.convert(reportedStatus, NodeStatus.class));
            return n;
        }).orElseThrow();
    }

    private static JsonNode withoutHeartbeatTimes(JsonNode status) {
        if (status == null || !status.isObject()) {
            return status;
        }
        ObjectNode copy = status.deepCopy();
        JsonNode conditions = copy.get("conditions");
        if (conditions != null && conditions.isArray()) {
            conditions.forEach(c -> {
                if (c.isObject()) {
                    ((ObjectNode) c).remove("lastHeartbeatTime");
                }
            });
        }
        return copy;
    }

    private void recordHeartbeat(String name, Instant now) {
        StoredObject.getEntityManager().createNativeQuery(
                "INSERT INTO node_heartbeats (name, last_heartbeat) VALUES (?1, ?2)"
                        + " ON CONFLICT (name) DO UPDATE SET last_heartbeat = excluded.last_heartbeat")
                .setParameter(1, name).setParameter(2, java.sql.Timestamp.from(now)).executeUpdate();
    }
}
