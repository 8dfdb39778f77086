package io.dsplane.noderegistry.service;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.dsplane.contracts.api.KubeBodies;
import io.dsplane.contracts.api.ObjectEndpoints;
import io.dsplane.contracts.event.Topics;
import io.dsplane.contracts.registry.ObjectRegistry;
import io.dsplane.contracts.registry.OutboxPublisher;
import io.dsplane.contracts.registry.ResourceKind;
import io.dsplane.noderegistry.config.NodeLifecycleConfig;
import io.dsplane.noderegistry.lifecycle.NodeLifecycle;
import io.dsplane.noderegistry.validation.NodeValidation;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.quarkus.hibernate.orm.panache.Panache;

/**
 * NodeRegistry owns the Node objects: the REST verbs, and the writes behind the reports node agents
 * send (registration, status; {@link AgentReports} decides which report needs which, and records
 * heartbeats in node_heartbeats only, so a fleet's heartbeats do not flood the node topic).
 *
 * <p>It also plays upstream's node lifecycle controller ({@link NodeLifecycle}): every write carries
 * the taints the node's conditions and cordon call for (through the strategy), and
 * {@link #monitorNodeHealth} turns nodes whose agent went silent Unknown and unreachable.
 */
@ApplicationScoped
public class NodeRegistry {

    private static final Logger LOG = Logger.getLogger(NodeRegistry.class);

    public static final ResourceKind KIND = new ResourceKind("", "v1", "Node", "nodes", false, Topics.NODES);

    private final ObjectRegistry<Node> registry;
    private final ObjectEndpoints<Node> endpoints;
    private final Duration gracePeriod;
    private final long monitorLockId;
    /**
     * Set while {@link #registerFromAgents} runs on this thread: the instant its nodes were heard,
     * which their heartbeat rows hold already in the same transaction. The lifecycle taints of each
     * new node take it from here instead of reading it back, one query per node (at 5,000 nodes
     * joining, 13 % of the service's samples during a cold start).
     */
    private final ThreadLocal<Instant> agentsHeardAt = new ThreadLocal<>();

    @Inject
    public NodeRegistry(OutboxPublisher publisher, NodeLifecycleConfig lifecycle) {
        this.gracePeriod = lifecycle.gracePeriod();
        this.monitorLockId = lifecycle.lockName().hashCode();
        this.registry = new ObjectRegistry<>(KIND, Node.class,
                new NodeValidation(node -> NodeLifecycle.taintsFor(node, heardAt(node), Instant.now(), gracePeriod)),
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
     * registerFromAgents stores nodes agents report for the first time: labels, taints and status as
     * sent, plus the lifecycle taints that status calls for, all with one batch of writes. Runs inside
     * the caller's transaction, after the nodes' heartbeats were recorded at {@code heardAt}; a node
     * with an error was refused and nothing of it was written.
     */
    public List<ObjectRegistry.Created<Node>> registerFromAgents(List<Node> reported, Instant heardAt) {
        reported.forEach(n -> n.getMetadata().setResourceVersion(null));
        agentsHeardAt.set(heardAt);
        try {
            return registry.createAll(reported);
        } finally {
            agentsHeardAt.remove();
        }
    }

    /** heardAt is when the node's agent was last heard: the batch being registered, or its heartbeat row. */
    private Instant heardAt(Node node) {
        Instant batch = agentsHeardAt.get();
        return batch != null ? batch : lastHeartbeat(node.getMetadata().getName()).orElse(null);
    }

    /**
     * applyAgentStatuses replaces the status of existing nodes with what their agents reported and
     * recomputes the lifecycle taints for each, in one write per node that changed (none when nothing
     * changes) and one batch for all. Runs inside the caller's transaction, after the nodes' heartbeats
     * were recorded.
     *
     * @param reported node name → reported status
     * @return per entry, in order, the node as stored, or empty when it does not exist
     */
    public List<Optional<Node>> applyAgentStatuses(List<Map.Entry<String, NodeStatus>> reported, Instant now) {
        List<ObjectRegistry.Modification<Node>> changes = new ArrayList<>(reported.size());
        for (Map.Entry<String, NodeStatus> r : reported) {
            changes.add(new ObjectRegistry.Modification<>(null, r.getKey(), n -> {
                n.setStatus(r.getValue());
                return NodeLifecycle.withTaints(n, NodeLifecycle.taintsFor(n, now, now, gracePeriod));
            }));
        }
        return registry.modifyAll(changes);
    }

    /** replaceStatus is PUT .../status; a status write through the API counts as a heartbeat. */
    public Response replaceStatus(String name, String body, String contentType) {
        Node obj = KubeBodies.read(body, contentType, Node.class);
        return ObjectEndpoints.ok(ObjectEndpoints.tx(() -> {
            recordHeartbeat(name, Instant.now());
            return registry.updateStatus(null, name, obj);
        }));
    }

    /** patchStatus is PATCH .../status (merge patch); it counts as a heartbeat too. */
    public Response patchStatus(String name, String body, String contentType) {
        JsonNode patch = KubeBodies.readMergePatch(body, contentType);
        return ObjectEndpoints.ok(ObjectEndpoints.tx(() -> {
            recordHeartbeat(name, Instant.now());
            return registry.patchStatus(null, name, patch);
        }));
    }

    /** delete removes the node and forgets its heartbeats, so a node re-created later starts afresh. */
    public Response delete(String name) {
        return ObjectEndpoints.ok(ObjectEndpoints.tx(() -> {
            // Heartbeat row first: the monitor and the agent path lock the heartbeat before the node.
            Panache.getEntityManager().createNativeQuery("DELETE FROM node_heartbeats WHERE name = ?1")
                    .setParameter(1, name).executeUpdate();
            return registry.delete(null, name);
        }));
    }

    /**
     * monitorNodeHealth is one round of upstream's monitorNodeHealth for nodes whose agent went
     * silent: each node whose last heartbeat is older than the grace period, and that this monitor has
     * not marked since, gets its conditions set Unknown and the unreachable taints, in one write and
     * one event. Nodes that never heartbeat (registered only through the REST API) have no heartbeat
     * row and are left alone. Only one instance runs a round at a time (advisory lock); heartbeat rows
     * an agent report is writing right now are skipped, since that node is evidently alive.
     *
     * @return the nodes that changed
     */
    @Transactional
    public List<String> monitorNodeHealth(Instant now) {
        var em = Panache.getEntityManager();
        Object locked = em.createNativeQuery("SELECT pg_try_advisory_xact_lock(?1)").setParameter(1, monitorLockId)
                .getSingleResult();
        if (!Boolean.TRUE.equals(locked)) {
            return List.of();
        }
        @SuppressWarnings("unchecked")
        List<Object[]> silent = em.createNativeQuery("SELECT name, last_heartbeat FROM node_heartbeats"
                + " WHERE last_heartbeat < ?1 AND NOT marked_unknown ORDER BY name FOR UPDATE SKIP LOCKED")
                .setParameter(1, java.sql.Timestamp.from(now.minus(gracePeriod))).getResultList();
        List<String> changed = new ArrayList<>();
        for (Object[] row : silent) {
            String name = (String) row[0];
            Instant lastHeartbeat = toInstant(row[1]);
            String[] before = new String[1];
            Optional<Node> stored = registry.modify(null, name, n -> {
                before[0] = n.getMetadata().getResourceVersion();
                Node marked = NodeLifecycle.markUnknownAfterGracePeriod(n, lastHeartbeat, now, gracePeriod);
                return NodeLifecycle.withTaints(marked,
                        NodeLifecycle.taintsFor(marked, lastHeartbeat, now, gracePeriod));
            });
            if (stored.isEmpty()) {
                em.createNativeQuery("DELETE FROM node_heartbeats WHERE name = ?1").setParameter(1, name)
                        .executeUpdate();
                continue;
            }
            em.createNativeQuery("UPDATE node_heartbeats SET marked_unknown = TRUE WHERE name = ?1")
                    .setParameter(1, name).executeUpdate();
            if (!stored.get().getMetadata().getResourceVersion().equals(before[0])) {
                changed.add(name);
            }
        }
        if (!changed.isEmpty()) {
            LOG.infof("marked %d node(s) Unknown after %s without heartbeats: %s", changed.size(), gracePeriod,
                    changed);
        }
        return changed;
    }

    /** lastHeartbeat returns when the node's agent (or a status writer) was last heard, if ever. */
    public Optional<Instant> lastHeartbeat(String name) {
        if (name == null) {
            return Optional.empty();
        }
        List<?> rows = Panache.getEntityManager()
                .createNativeQuery("SELECT last_heartbeat FROM node_heartbeats WHERE name = ?1")
                .setParameter(1, name).getResultList();
        return rows.isEmpty() ? Optional.empty() : Optional.of(toInstant(rows.get(0)));
    }

    private static Instant toInstant(Object value) {
        if (value instanceof java.sql.Timestamp t) {
            return t.toInstant();
        }
        if (value instanceof OffsetDateTime t) {
            return t.toInstant();
        }
        if (value instanceof java.time.ZonedDateTime t) {
            return t.toInstant();
        }
        if (value instanceof Instant t) {
            return t;
        }
        throw new IllegalStateException("unexpected timestamp type " + value.getClass().getName());
    }

    /** recordHeartbeat notes that the node was heard from; it also re-arms the monitor for the node. */
    private void recordHeartbeat(String name, Instant now) {
        Panache.getEntityManager().createNativeQuery(
                "INSERT INTO node_heartbeats (name, last_heartbeat) VALUES (?1, ?2)"
                        + " ON CONFLICT (name) DO UPDATE SET last_heartbeat = excluded.last_heartbeat,"
                        + " marked_unknown = FALSE")
                .setParameter(1, name).setParameter(2, java.sql.Timestamp.from(now)).executeUpdate();
    }
}
