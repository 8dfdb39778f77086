package io.dsplane.daemonset.service;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.dsplane.contracts.api.ApiException;
import io.dsplane.contracts.api.Statuses;
import io.dsplane.contracts.registry.ObjectRegistry;
import io.dsplane.daemonset.history.ControllerHistory;
import io.dsplane.daemonset.history.ControllerHistory.History;
import io.dsplane.daemonset.history.DaemonSetRollback;
import io.dsplane.daemonset.repository.NodeStateRepository;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;

/**
 * DaemonSetRevisions owns the transactions of DaemonSet writes that keep the revision history
 * (kubernetes-semantics.md §3.4): every create, replace and patch runs {@code constructHistory} and
 * {@code cleanupHistory} in the transaction of the DaemonSet write, a delete removes the DaemonSet's
 * revisions with it, and a rollback puts a revision's template back as an ordinary update. Node-state
 * batches call {@link #cleanupHistory(Collection)} so revisions whose pods are gone are cleaned up then.
 *
 * <p>All revision writes of a DaemonSet happen while its row is locked (the registry locks it on
 * update, modify and delete; a DaemonSet being created is not visible to anyone else), so two writers
 * never number or clean the same history at once.
 */
@ApplicationScoped
public class DaemonSetRevisions {

    private static final Logger LOG = Logger.getLogger(DaemonSetRevisions.class);
    /**
     * 5: hash collisions of two different templates of one DaemonSet are rare enough (32-bit hash) that
     * five in a row mean something else is wrong; the write fails instead of looping.
     */
    private static final int MAX_COLLISION_ATTEMPTS = 5;

    @Inject
    DaemonSetRegistry daemonSets;

    @Inject
    ControllerRevisionRegistry revisions;

    @Inject
    NodeStateRepository nodeStates;

    /** RollbackResult is the DaemonSet after a rollback and whether it was skipped (already at that revision). */
    public record RollbackResult(DaemonSet daemonSet, long revision, boolean skipped) {
    }

    @Transactional
    public DaemonSet create(String namespace, DaemonSet ds) {
        return recordHistory(registry().create(namespace, ds));
    }

    @Transactional
    public DaemonSet update(String namespace, String name, DaemonSet ds) {
        return recordHistory(registry().update(namespace, name, ds));
    }

    @Transactional
    public DaemonSet patch(String namespace, String name, JsonNode mergePatch) {
        return recordHistory(registry().patch(namespace, name, mergePatch));
    }

    /** delete removes the DaemonSet and every revision it controls. */
    @Transactional
    public DaemonSet delete(String namespace, String name) {
        DaemonSet deleted = registry().delete(namespace, name);
        revisions.ownedBy(deleted.getMetadata().getUid()).forEach(revisions::delete);
        return deleted;
    }

    /**
     * rollback is {@code kubectl rollout undo daemonset}: the template of revision {@code toRevision}
     * (0: the previous revision) goes back into spec.template through an ordinary update, so generation
     * and template generation go up and the revision is renumbered as the newest, not copied. A revision
     * that already holds the current template changes nothing.
     *
     * @throws ApiException 404 when the DaemonSet or the revision does not exist
     */
    @Transactional
    public RollbackResult rollback(String namespace, String name, long toRevision) {
        // A change that returns null writes nothing but locks the row: the template goes back into the
        // latest DaemonSet, and no other write slips in between.
        DaemonSet ds = registry().modify(namespace, name, current -> null)
                .orElseThrow(() -> Statuses.notFound(DaemonSetRegistry.KIND.group(),
                        DaemonSetRegistry.KIND.resource(), name));
        List<ControllerRevision> history = revisions.ownedBy(ds.getMetadata().getUid());
        ControllerRevision target = DaemonSetRollback.findHistory(toRevision, history)
                .orElseThrow(() -> new ApiException(Statuses.of(404, Statuses.NOT_FOUND,
                        DaemonSetRollback.notFoundMessage(toRevision))));
        long revision = target.getRevision() == null ? 0 : target.getRevision();
        if (ControllerHistory.match(ds, target)) {
            return new RollbackResult(ds, revision, true);
        }
        ds.getSpec().setTemplate(DaemonSetRollback.templateOf(target));
        DaemonSet updated = recordHistory(registry().update(namespace, name, ds));
        LOG.debugf("%s/%s rolled back to revision %d", namespace, name, revision);
        return new RollbackResult(updated, revision, false);
    }

    /**
     * cleanupHistory runs {@code cleanupHistory} for DaemonSets whose node states just changed, inside
     * the caller's transaction: a revision kept because pods still used it can go once they are gone.
     * Returns how many revisions were deleted.
     *
     * @param daemonSetKeys namespace/name
     */
    public int cleanupHistory(Collection<String> daemonSetKeys) {
        int deleted = 0;
        for (String key : daemonSetKeys) {
            int slash = key.indexOf('/');
            Optional<DaemonSet> ds = registry().find(key.substring(0, slash), key.substring(slash + 1));
            if (ds.isPresent()) {
                List<ControllerRevision> owned = revisions.ownedBy(ds.get().getMetadata().getUid());
                deleted += cleanupHistory(ds.get(), ControllerHistory.constructHistory(ds.get(), owned).old());
            }
        }
        return deleted;
    }

    /**
     * recordHistory is upstream's constructHistory followed by cleanupHistory for a DaemonSet just
     * written. On a hash collision (the name {@code <ds>-<hash>} is taken by a revision with another
     * template) the status collisionCount goes up, which changes the hash, and it tries again, as upstream.
     */
    private DaemonSet recordHistory(DaemonSet ds) {
        String namespace = ds.getMetadata().getNamespace();
        for (int attempt = 1;; attempt++) {
            History history = ControllerHistory.constructHistory(ds, revisions.ownedBy(ds.getMetadata().getUid()));
            ControllerRevision create = history.create();
            if (create != null && revisions.find(namespace, create.getMetadata().getName()).isPresent()) {
                if (attempt >= MAX_COLLISION_ATTEMPTS) {
                    throw new IllegalStateException("no free ControllerRevision name for " + namespace + "/"
                            + ds.getMetadata().getName() + " after " + attempt + " hash collisions");
                }
                LOG.infof("hash collision on ControllerRevision %s/%s; raising collisionCount", namespace,
                        create.getMetadata().getName());
                ds = raiseCollisionCount(ds);
                continue;
            }
            history.duplicates().forEach(revisions::delete);
            if (create != null) {
                revisions.create(create);
            }
            if (history.renumber() != null) {
                revisions.update(history.renumber());
            }
            cleanupHistory(ds, history.old());
            return ds;
        }
    }

    /**
     * cleanupHistory deletes the old revisions beyond revisionHistoryLimit that no pod uses, as
     * upstream, and, as upstream, only once expectations are satisfied: here, once the scheduler has
     * reported every node of the DaemonSet at its current generation. Before that the stored states may
     * not yet show pods the scheduler created from a revision (their states are still on the way), and
     * a revision in use would be deleted; the node-state batch that brings the states up to date runs
     * the cleanup then.
     */
    private int cleanupHistory(DaemonSet ds, List<ControllerRevision> old) {
        if (!ControllerHistory.needsCleanup(ds, old)) {
            return 0;
        }
        String key = ds.getMetadata().getNamespace() + "/" + ds.getMetadata().getName();
        Long generation = ds.getMetadata().getGeneration();
        if (!nodeStates.caughtUp(key, ds.getMetadata().getUid(), generation == null ? 0 : generation)) {
            return 0;
        }
        Set<String> liveHashes = nodeStates.revisionHashesInUse(key, ds.getMetadata().getUid());
        List<ControllerRevision> delete = ControllerHistory.cleanupHistory(ds, old, liveHashes);
        delete.forEach(revisions::delete);
        return delete.size();
    }

    private DaemonSet raiseCollisionCount(DaemonSet ds) {
        return registry().modify(ds.getMetadata().getNamespace(), ds.getMetadata().getName(), current -> {
            DaemonSetStatus status = current.getStatus() == null ? new DaemonSetStatus() : current.getStatus();
            Integer count = status.getCollisionCount();
            status.setCollisionCount(count == null ? 1 : count + 1);
            current.setStatus(status);
            return current;
        }).orElseThrow();
    }

    private ObjectRegistry<DaemonSet> registry() {
        return daemonSets.registry();
    }
}
