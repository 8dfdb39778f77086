package io.dsplane.noderegistry.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * NodeStatusConfig holds the settings of the consumer of agent reports on dsplane.node-status.v1
 * ({@code dsplane.node-status.*}). The batch size itself is the channel's {@code max.poll.records}.
 */
@ConfigMapping(prefix = "dsplane.node-status")
public interface NodeStatusConfig {

    /**
     * Attempts of a batch that fails for a database reason (connection lost, deadlock, commit
     * failure) before the channel stops and waits for a restart, which redelivers the batch.
     */
    @WithDefault("3")
    int retryAttempts();

    /** How long parking records on dsplane.parked.v1 may take before the batch fails. */
    @WithDefault("30s")
    Duration parkTimeout();

    /**
     * How many nodes' last stored status digests are kept in memory, so that a heartbeat of such a node
     * needs no read of the node; 0 turns this off. About 200 bytes per node: 100,000 nodes take ~20 MB.
     */
    @WithDefault("100000")
    int statusDigests();
}
