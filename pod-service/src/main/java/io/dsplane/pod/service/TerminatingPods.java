package io.dsplane.pod.service;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.dsplane.contracts.registry.ObjectRegistry;
import io.dsplane.pod.config.PodServiceConfig;
import io.dsplane.pod.lifecycle.GracefulDeletion;
import io.fabric8.kubernetes.api.model.Pod;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * TerminatingPods is the one path by which pods go away: it starts a deletion (graceful or at once,
 * per {@link GracefulDeletion}), completes it when the agent reports the pod stopped, and removes pods
 * whose grace period has passed, as kubelet's force removal does upstream. It keeps no state: the
 * deletionTimestamp on the stored pod is the whole record, so a restart of the service picks up where
 * it was, and with several instances the row lock of {@code deleteIfPresent} lets only one of them
 * delete a given pod.
 */
@ApplicationScoped
public class TerminatingPods {

    private static final Logger LOG = Logger.getLogger(TerminatingPods.class);

    @Inject
    PodRegistry pods;

    @Inject
    PodServiceConfig config;

    /**
     * delete starts the deletion of the pod (only of incarnation {@code uid} when given) in the caller's
     * transaction and returns the pod as it is now: terminating, or its last state when it was removed
     * at once. Empty when there is no such pod. A pod that is already terminating is returned as it is.
     *
     * @param gracePeriodSeconds the period the caller asks for (0 forces removal), or null for the pod's own
     * @param force              true when nothing can confirm termination any more (the node is gone)
     */
    public Optional<Pod> delete(String namespace, String name, String uid, Long gracePeriodSeconds, boolean force,
            Instant now) {
        ObjectRegistry<Pod> registry = pods.internal();
        Optional<Pod> current = registry.find(namespace, name);
        if (current.isEmpty() || (uid != null && !uid.equals(current.get().getMetadata().getUid()))) {
            return Optional.empty();
        }
        Pod pod = current.get();
        long grace = GracefulDeletion.gracePeriodSeconds(pod, force || Long.valueOf(0).equals(gracePeriodSeconds));
        if (grace > 0 && gracePeriodSeconds != null) {
            grace = gracePeriodSeconds;
        }
        String incarnation = pod.getMetadata().getUid();
        return grace == 0 ? registry.deleteIfPresent(namespace, name, incarnation)
                : registry.markForDeletion(namespace, name, incarnation, now, grace);
    }

    /**
     * completeIfStopped removes, in the caller's transaction, a terminating pod whose agent has reported
     * it stopped; returns its last state then, else the pod unchanged.
     */
    public Pod completeIfStopped(Pod stored) {
        if (!GracefulDeletion.stoppedOnNode(stored)) {
            return stored;
        }
        return pods.internal().deleteIfPresent(stored.getMetadata().getNamespace(), stored.getMetadata().getName(),
                stored.getMetadata().getUid()).orElse(stored);
    }

    @Scheduled(every = "{dsplane.pods.termination.reap-every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void reap() {
        int removed;
        do {
            removed = QuarkusTransaction.requiringNew().call(() -> removeDue(Instant.now()));
            if (removed > 0) {
                LOG.debugf("removed %d pods whose grace period ended", removed);
            }
        } while (removed >= config.termination().batchSize());
    }

    /** removeDue removes, in the caller's transaction, a batch of pods whose deletionTimestamp has passed. */
    int removeDue(Instant now) {
        List<Pod> due = pods.internal().deletionDue(now, config.termination().batchSize());
        int removed = 0;
        for (Pod p : due) {
            if (pods.internal().deleteIfPresent(p.getMetadata().getNamespace(), p.getMetadata().getName(),
                    p.getMetadata().getUid()).isPresent()) {
                removed++;
            }
        }
        return removed;
    }
}
