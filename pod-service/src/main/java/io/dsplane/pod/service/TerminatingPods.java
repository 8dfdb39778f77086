package io.dsplane.pod.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
        long grace = grace(pod, gracePeriodSeconds, force);
        String incarnation = pod.getMetadata().getUid();
        return grace == 0 ? registry.deleteIfPresent(namespace, name, incarnation)
                : registry.markForDeletion(namespace, name, incarnation, now, grace);
    }

    /** Deletion is one delete of {@link #deleteAll}: the pod and the grace period asked for (null: the pod's own). */
    public record Deletion(String namespace, String name, Long gracePeriodSeconds) {
    }

    /**
     * deleteAll does what {@link #delete} does (no uid, not forced) for many pods in the caller's
     * transaction, outcomes in order: one lookup for all, and the pods removed at once (grace 0) in one
     * batch; graceful deletions are started one by one. A pod named twice is removed by the first and
     * absent for the second, as two deletes one after the other.
     */
    public List<Optional<Pod>> deleteAll(List<Deletion> deletions, Instant now) {
        ObjectRegistry<Pod> registry = pods.internal();
        Map<String, Pod> found = registry.findAll(deletions.stream()
                .map(d -> new String[] {d.namespace(), d.name()}).toList());
        List<Optional<Pod>> outcomes = new ArrayList<>(java.util.Collections.nCopies(deletions.size(), Optional.empty()));
        List<Integer> removedAtOnce = new ArrayList<>();
        List<ObjectRegistry.Removal> removals = new ArrayList<>();
        for (int i = 0; i < deletions.size(); i++) {
            Deletion d = deletions.get(i);
            Pod pod = found.get(registry.key(d.namespace(), d.name()));
            if (pod == null) {
                continue;
            }
            long grace = grace(pod, d.gracePeriodSeconds(), false);
            String incarnation = pod.getMetadata().getUid();
            if (grace == 0) {
                removedAtOnce.add(i);
                removals.add(new ObjectRegistry.Removal(d.namespace(), d.name(), incarnation));
            } else {
                outcomes.set(i, registry.markForDeletion(d.namespace(), d.name(), incarnation, now, grace));
            }
        }
        List<Optional<Pod>> removed = registry.deleteAllIfPresent(removals);
        for (int j = 0; j < removed.size(); j++) {
            outcomes.set(removedAtOnce.get(j), removed.get(j));
        }
        return outcomes;
    }

    /**
     * grace is the grace period of a deletion of {@code pod}: 0 when it is removed at once (forced, asked
     * for 0, or a pod that nothing has to stop), else the period asked for or the pod's own.
     */
    private static long grace(Pod pod, Long gracePeriodSeconds, boolean force) {
        long grace = GracefulDeletion.gracePeriodSeconds(pod, force || Long.valueOf(0).equals(gracePeriodSeconds));
        return grace > 0 && gracePeriodSeconds != null ? gracePeriodSeconds : grace;
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
