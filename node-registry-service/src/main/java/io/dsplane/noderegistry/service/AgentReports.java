package io.dsplane.noderegistry.service;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;

import io.dsplane.contracts.api.KubeBodies;
import io.dsplane.contracts.api.KubeJson;
import io.dsplane.contracts.registry.DatabaseFailures;
import io.dsplane.contracts.registry.ObjectRegistry;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * AgentReports applies a batch of agent reports in one transaction, with what a single report always
 * meant: the node is heard from now (node_heartbeats), a node that does not exist is registered as
 * reported, and an existing node's status is replaced when it changed in more than heartbeat times,
 * with its lifecycle taints, in one write and one event. A report that changes nothing but heartbeat
 * times writes no node and emits nothing.
 *
 * <p>What makes it cheap per report:
 * <ul>
 *   <li>Reports are coalesced per node, so a node gets at most one write and one event per batch:
 *       the newest report's status, heartbeat times included (one by one, the same status would be
 *       stored, but with the heartbeat times of the last report that changed something); for a node
 *       that does not exist yet, labels, taints and the rest from the first report, the one that
 *       registers it one by one (later reports only ever replace the status). All of them are heard
 *       from at the same moment.</li>
 *   <li>One statement records every heartbeat of the batch, one more reads every node's stored
 *       resourceVersion ({@link BatchStatements}).</li>
 *   <li>A node whose resourceVersion is still the one {@link StoredStatusDigests} remembers, with the
 *       same status digest as the report, is known unchanged without reading its row; otherwise the
 *       status is decoded from the row and compared as before.</li>
 *   <li>New nodes are registered with one batch of writes, and changed nodes are locked with one
 *       statement and written with one more batch ({@code ObjectRegistry.createAll} and
 *       {@code modifyAll}).</li>
 * </ul>
 * Node rows are locked only after the heartbeat rows of all the batch's nodes are held. The other
 * writers that take both (status writes and deletes through the API, the lifecycle monitor) also take
 * the heartbeat row first, so none of them waits for another in a cycle.
 */
@ApplicationScoped
public class AgentReports {

    /** Applied counts what a batch did: reports applied, nodes registered and modified, rows read. */
    public record Applied(int reports, int registered, int modified, int readRows) {

        Applied plus(Kind kind) {
            return new Applied(reports, registered + (kind == Kind.REGISTERED ? 1 : 0),
                    modified + (kind == Kind.MODIFIED ? 1 : 0), readRows);
        }

        Applied read(boolean readRow) {
            return readRow ? new Applied(reports, registered, modified, readRows + 1) : this;
        }
    }

    /** Kind is what one node's reports did. */
    private enum Kind {
        /** The node was new and is now registered. */
        REGISTERED,
        /** Its status changed: one write, one event. */
        MODIFIED,
        /** Nothing but heartbeat times changed. */
        UNCHANGED
    }

    /**
     * Plan is what one node's reports call for: register it, replace its status, or nothing; and
     * whether deciding that took reading its stored status.
     */
    private record Plan(Kind kind, boolean readRow) {
    }

    /** Coalesced is what a batch says about one node: its first and its newest report. */
    private record Coalesced(AgentReport first, AgentReport newest) {

        /** registration is the node as the reports one by one would have registered it. */
        Node registration() {
            return first.node().toBuilder().withStatus(newest.status()).build();
        }
    }

    @Inject
    NodeRegistry nodes;

    @Inject
    StoredStatusDigests digests;

    /**
     * applyAll applies the reports, given in the order they were sent, in ONE new transaction.
     *
     * @throws RejectedReport when one node's report cannot be applied (all is rolled back)
     * @throws RuntimeException from the database or the transaction manager (all is rolled back)
     */
    public Applied applyAll(List<AgentReport> reports) {
        return QuarkusTransaction.requiringNew().call(() -> applyInTransaction(reports, Instant.now()));
    }

    private Applied applyInTransaction(List<AgentReport> reports, Instant now) {
        TreeMap<String, Coalesced> byNode = new TreeMap<>();
        for (AgentReport r : reports) {
            byNode.merge(r.name(), new Coalesced(r, r), (old, next) -> new Coalesced(old.first(), r));
        }
        List<String> names = new ArrayList<>(byNode.keySet());
        BatchStatements.recordHeartbeats(names, now);

        List<StoredStatusDigests.Entry> known = new ArrayList<>(names.size());
        long[] knownVersions = new long[names.size()];
        for (int i = 0; i < names.size(); i++) {
            StoredStatusDigests.Entry e = digests.known(names.get(i));
            known.add(e);
            knownVersions[i] = e == null ? 0 : e.resourceVersion();
        }
        Map<String, BatchStatements.Stored> stored = BatchStatements.storedVersions(NodeRegistry.KIND.kind(), names,
                knownVersions);

        Applied applied = new Applied(reports.size(), 0, 0, 0);
        List<String> toRegister = new ArrayList<>();
        List<String> toModify = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            StoredStatusDigests.Entry knownEntry = known.get(i);
            Plan plan = guarded(name, () -> plan(name, byNode.get(name), stored.get(name), knownEntry));
            applied = applied.read(plan.readRow());
            if (plan.kind() == Kind.REGISTERED) {
                toRegister.add(name);
            } else if (plan.kind() == Kind.MODIFIED) {
                toModify.add(name);
            }
        }
        applied = register(toRegister, byNode, now, applied);
        return modify(toModify, byNode, stored, now, applied);
    }

    /** register stores the nodes that have no row yet, as their first reports describe them. */
    private Applied register(List<String> names, Map<String, Coalesced> byNode, Instant now, Applied applied) {
        List<Node> nodesToRegister = new ArrayList<>(names.size());
        names.forEach(name -> nodesToRegister.add(guarded(name, () -> byNode.get(name).registration())));
        List<ObjectRegistry.Created<Node>> created = guarded(names.isEmpty() ? "" : names.get(0),
                () -> nodes.registerFromAgents(nodesToRegister, now));
        for (int i = 0; i < names.size(); i++) {
            if (created.get(i).error() != null) {
                throw new RejectedReport(names.get(i), created.get(i).error());
            }
            digests.remember(names.get(i), version(created.get(i).stored()),
                    byNode.get(names.get(i)).newest().reportedDigest());
            applied = applied.plus(Kind.REGISTERED);
        }
        return applied;
    }

    /** modify replaces the status of the nodes whose reports changed more than heartbeat times. */
    private Applied modify(List<String> names, Map<String, Coalesced> byNode, Map<String, BatchStatements.Stored> stored,
            Instant now, Applied applied) {
        List<Map.Entry<String, NodeStatus>> statuses = new ArrayList<>(names.size());
        names.forEach(name -> statuses.add(Map.entry(name, guarded(name, () -> byNode.get(name).newest().status()))));
        List<Optional<Node>> written = guarded(names.isEmpty() ? "" : names.get(0),
                () -> nodes.applyAgentStatuses(statuses, now));
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            Node node = written.get(i).orElseThrow(() -> new RejectedReport(name,
                    new IllegalStateException("node " + name + " disappeared while its report was applied")));
            digests.remember(name, version(node), byNode.get(name).newest().reportedDigest());
            applied = applied.plus(version(node) == stored.get(name).resourceVersion() ? Kind.UNCHANGED : Kind.MODIFIED);
        }
        return applied;
    }

    /**
     * plan decides what one node's reports call for: registration when it has no row, otherwise a new
     * status unless the status is the same but for heartbeat times. {@code row} holds the body only
     * when {@code known} does not describe the stored version.
     */
    private Plan plan(String name, Coalesced reported, BatchStatements.Stored row, StoredStatusDigests.Entry known) {
        AgentReport report = reported.newest();
        if (row == null) {
            return new Plan(Kind.REGISTERED, false);
        }
        if (!report.hasStatus()) {
            return new Plan(Kind.UNCHANGED, false);
        }
        // The remembered digest is of a report as written, the stored status's of the status as decoded.
        boolean read = row.body() != null;
        boolean same = read ? storedStatusDigest(name, row.body()).equals(report.digest())
                : known.digest().equals(report.reportedDigest());
        if (same) {
            digests.remember(name, row.resourceVersion(), report.reportedDigest());
            return new Plan(Kind.UNCHANGED, read);
        }
        return new Plan(Kind.MODIFIED, read);
    }

    /** guarded runs one node's step; a failure that is not the database's is that node's report refused. */
    private static <R> R guarded(String name, java.util.function.Supplier<R> step) {
        try {
            return step.get();
        } catch (RejectedReport e) {
            throw e;
        } catch (RuntimeException e) {
            if (DatabaseFailures.isDatabaseFailure(e)) {
                throw e;
            }
            throw new RejectedReport(name, e);
        }
    }

    /** storedStatusDigest decodes the status of a stored body as the registry decodes the node. */
    private static StatusDigest storedStatusDigest(String name, String body) {
        try {
            JsonNode status = KubeJson.json().readTree(body).get("status");
            if (status == null || status.isNull()) {
                return StatusDigest.of(null);
            }
            return StatusDigest.of(KubeBodies.toTree(KubeJson.json().treeToValue(status, NodeStatus.class)));
        } catch (IOException e) {
            throw new IllegalStateException("stored Node " + name + " is not readable", e);
        }
    }

    private static long version(Node node) {
        return Long.parseLong(node.getMetadata().getResourceVersion());
    }
}
