package io.dsplane.noderegistry.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** NodeLifecycleConfig holds the settings of the node lifecycle ({@code dsplane.node-lifecycle.*}). */
@ConfigMapping(prefix = "dsplane.node-lifecycle")
public interface NodeLifecycleConfig {

    /**
     * How long an agent may stay silent before its node turns Ready=Unknown and gets the unreachable
     * taints (40 s: the upstream node-monitor grace period).
     */
    @WithDefault("40s")
    Duration gracePeriod();

    /** How often the monitor looks for nodes whose heartbeats stopped (5 s: upstream's node-monitor period). */
    @WithDefault("5s")
    Duration monitorPeriod();

    /** Names the PostgreSQL advisory lock that lets one instance at a time run the monitor. */
    @WithDefault("node_registry.node-lifecycle")
    String lockName();
}
