package io.dsplane.noderegistry.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.dsplane.contracts.api.KubeBodies;
import io.dsplane.contracts.event.EventCodec;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeStatus;

/**
 * AgentReport is one readable report of a node agent: the Node as the agent sees it, with two digests
 * of its status (see {@link StatusDigest}).
 * <ul>
 *   <li>{@link #reportedDigest} is taken from the status as the agent wrote it, when the report is read.
 *       It is what {@link StoredStatusDigests} remembers, so a heartbeat is recognised by comparing the
 *       report's own JSON, without decoding the status into a NodeStatus.</li>
 *   <li>{@link #digest} is taken from the status as the registry decodes and would store it, the form a
 *       stored node's status is digested in; it is needed only when a report is compared with a
 *       stored node, and taken then.</li>
 * </ul>
 * A report whose reported digest is the one remembered for its node carries a status the registry has
 * decoded before, so its status is decoded only if it is needed after all (its node changed since, or
 * is registered anew); metadata and spec are always decoded when the report is read, so a report that
 * is not a valid Node is refused there as before. Not thread-safe (one consumer's batch).
 */
public final class AgentReport {

    private final Node node;
    private final StatusDigest reportedDigest;
    /** The status as the agent wrote it while it is not decoded into {@link #node}, else null. */
    private JsonNode undecodedStatus;
    private StatusDigest digest;

    private AgentReport(Node node, JsonNode undecodedStatus, StatusDigest reportedDigest) {
        this.node = node;
        this.undecodedStatus = undecodedStatus;
        this.reportedDigest = reportedDigest;
    }

    /**
     * read decodes a report from its JSON object (which it takes over). When {@code knownDigest} is
     * the digest of the status as written, the status is left undecoded until asked for. Throws
     * {@link EventCodec.MalformedEventException} when the report is not a Node.
     */
    public static AgentReport read(ObjectNode report, StatusDigest knownDigest) {
        JsonNode status = report.get("status");
        StatusDigest reported = StatusDigest.of(status);
        if (status != null && !status.isNull() && reported.equals(knownDigest) && heartbeatTimesReadable(status)) {
            report.remove("status");
            return new AgentReport(EventCodec.decode(report, Node.class), status, reported);
        }
        return new AgentReport(EventCodec.decode(report, Node.class), null, reported);
    }

    /**
     * heartbeatTimesReadable is true when every condition's heartbeat time is a string or absent: the
     * digest leaves those times out, so equal digests say nothing about them, and a time that is
     * not a string makes the report's status decode fail (which decoding it now then reports).
     */
    private static boolean heartbeatTimesReadable(JsonNode status) {
        JsonNode conditions = status.get("conditions");
        if (conditions == null || !conditions.isArray()) {
            return true;
        }
        for (JsonNode c : conditions) {
            JsonNode time = c.get(StatusDigest.HEARTBEAT_TIME);
            if (time != null && !time.isTextual() && !time.isNull()) {
                return false;
            }
        }
        return true;
    }

    /** name is the node's metadata.name, null when the report has none. */
    public String name() {
        return node.getMetadata() == null ? null : node.getMetadata().getName();
    }

    /** hasStatus is false for a report without status, which can only register a node or heartbeat. */
    public boolean hasStatus() {
        return undecodedStatus != null || node.getStatus() != null;
    }

    /** reportedDigest is the digest of the status as the agent wrote it. */
    public StatusDigest reportedDigest() {
        return reportedDigest;
    }

    /** digest is the digest of the status as decoded, comparable with that of a stored node's status. */
    public StatusDigest digest() {
        if (digest == null) {
            NodeStatus status = status();
            digest = StatusDigest.of(status == null ? null : KubeBodies.toTree(status));
        }
        return digest;
    }

    /** statusDecoded tells whether the status was decoded (when read, or since because it was needed). */
    public boolean statusDecoded() {
        return undecodedStatus == null && node.getStatus() != null;
    }

    /** status is the reported status, decoded on first use. */
    public NodeStatus status() {
        return node().getStatus();
    }

    /** node is the reported node, its status decoded on first use. */
    public Node node() {
        if (undecodedStatus != null) {
            node.setStatus(EventCodec.decode(undecodedStatus, NodeStatus.class));
            undecodedStatus = null;
        }
        return node;
    }
}
