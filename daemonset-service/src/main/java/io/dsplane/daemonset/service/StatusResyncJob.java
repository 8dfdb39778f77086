package io.dsplane.daemonset.service;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.scheduler.Scheduled;

/**
 * StatusResyncJob runs {@link DaemonSetStatuses#resync} every {@code dsplane.status.resync-period}: the
 * stand-in for upstream's delayed requeue (availability appears when minReadySeconds pass, with no new
 * pod event to trigger it) and for the sync that follows a spec change. Rounds never overlap.
 */
@ApplicationScoped
public class StatusResyncJob {

    @Inject
    DaemonSetStatuses statuses;

    @Scheduled(identity = "daemonset-status-resync", every = "${dsplane.status.resync-period:2s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void resync() {
        statuses.resync(Instant.now());
    }
}
