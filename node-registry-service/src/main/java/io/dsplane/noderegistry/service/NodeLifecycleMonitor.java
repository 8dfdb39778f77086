package io.dsplane.noderegistry.service;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.scheduler.Scheduled;

/**
 * NodeLifecycleMonitor runs {@link NodeRegistry#monitorNodeHealth} every
 * {@code dsplane.node-lifecycle.monitor-period}, as upstream's node lifecycle controller runs
 * monitorNodeHealth every node-monitor-period. Rounds never overlap, and across instances the
 * advisory lock lets one act at a time. No round starts while the application starts or stops.
 */
@ApplicationScoped
public class NodeLifecycleMonitor {

    @Inject
    NodeRegistry nodes;

    @Scheduled(identity = "node-lifecycle-monitor", every = "${dsplane.node-lifecycle.monitor-period:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void monitorNodeHealth() {
        nodes.monitorNodeHealth(Instant.now());
    }
}
