package io.dsplane.noderegistry.service;

import io.dsplane.contracts.api.ApiException;

/**
 * RejectedReport says that a batch of agent reports failed because of one node's report, for a reason
 * other than the database (e.g. the registry refused to register it). The batch was rolled back; the
 * caller applies the other nodes without it and that node's reports one at a time.
 */
public class RejectedReport extends RuntimeException {

    private final String node;

    public RejectedReport(String node, RuntimeException cause) {
        super(reasonOf(cause), cause);
        this.node = node;
    }

    /** node is the name of the node whose report failed. */
    public String node() {
        return node;
    }

    /** kind is the registry's Status reason for a refusal, otherwise the failure's class. */
    public String kind() {
        if (getCause() instanceof ApiException api && api.status().getReason() != null) {
            return api.status().getReason();
        }
        return getCause().getClass().getName();
    }

    private static String reasonOf(RuntimeException cause) {
        if (cause instanceof ApiException) {
            return "node report rejected: " + cause.getMessage();
        }
        return cause.getMessage() == null ? cause.toString() : cause.getMessage();
    }
}
