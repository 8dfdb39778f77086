package io.dsplane.daemonset.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** StatusConfig holds the settings of DaemonSet status computation ({@code dsplane.status.*}). */
@ConfigMapping(prefix = "dsplane.status")
public interface StatusConfig {

    /**
     * How often DaemonSets whose status may be out of date without new input are recomputed: those
     * waiting for minReadySeconds to pass, and those whose observedGeneration is behind.
     */
    @WithDefault("2s")
    Duration resyncPeriod();

    /**
     * The shortest time between two status flush rounds of one instance, so the longest time a batch of
     * node states waits for its statuses once the service is busy: every DaemonSet marked pending in the
     * meantime is recomputed and written once per round, however many batches marked it. An idle
     * service starts a round as soon as a batch commits. Longer means fewer status writes and MODIFIED
     * events under load, shorter means fresher statuses.
     */
    @WithDefault("200ms")
    Duration coalesceInterval();

    /** Names the PostgreSQL advisory lock that lets one instance at a time run the resync. */
    @WithDefault("daemonsets.status-resync")
    String lockName();

    /** Attempts of a batch of node states that fails in the database before the channel stops. */
    @WithDefault("3")
    int retryAttempts();

    /** How long parking unusable records on dsplane.parked.v1 may take before the batch fails. */
    @WithDefault("30s")
    Duration parkTimeout();
}
