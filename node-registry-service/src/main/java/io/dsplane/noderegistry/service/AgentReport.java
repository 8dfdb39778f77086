package io.dsplane.noderegistry.service;

import io.dsplane.contracts.api.KubeBodies;
import io.fabric8.kubernetes.api.model.Node;

/**
 * AgentReport is one readable report of a node agent: the Node as the agent sees it and the digest of
 * its status. The digest is taken once, when the report is read, outside any transaction.
 */
public record AgentReport(Node node, StatusDigest digest) {

    /** of reads the digest of the report's status; the node must carry metadata.name. */
    public static AgentReport of(Node node) {
        return new AgentReport(node,
                StatusDigest.of(node.getStatus() == null ? null : KubeBodies.toTree(node.getStatus())));
    }

    public String name() {
        return node.getMetadata().getName();
    }

    /** hasStatus is false for a report without status, which can only register a node or heartbeat. */
    public boolean hasStatus() {
        return node.getStatus() != null;
    }
}
