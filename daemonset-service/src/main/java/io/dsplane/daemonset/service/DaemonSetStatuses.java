package io.dsplane.daemonset.service;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SortedSet;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.dsplane.daemonset.config.StatusConfig;
import io.dsplane.daemonset.repository.NodeStateRepository;
import io.dsplane.daemonset.repository.PendingStatusRepository;
import io.dsplane.daemonset.status.DaemonSetStatusCalculator;
import io.dsplane.daemonset.status.NodeStateRecords.Change;
import io.dsplane.daemonset.status.NodeTally;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * DaemonSetStatuses owns the transaction boundaries of DaemonSet status. A batch of node states is
 * stored together with a durable "status pending" mark per DaemonSet it touched ({@link #applyBatch});
 * the {@link StatusFlusher} then recomputes the marked DaemonSets in rounds ({@link #flushPending}), at
 * most one round per {@code dsplane.status.coalesce-interval}; and a periodic resync ({@link #resync})
 * recomputes the DaemonSets whose status can change without new input.
 *
 * <p>Why marks instead of recomputing in the batch: a status recompute reads every node state of the
 * DaemonSet and a write publishes a MODIFIED event. When many small batches arrive (a cold start of
 * hundreds of nodes), recomputing per batch rewrites each status hundreds of times; coalescing writes
 * it once per interval whatever the number of batches, and the status still ends at the value of the
 * last states. The marks live in the batch's transaction, so a crash after the commit loses nothing:
 * the next round, of this instance after its restart or of another one, finds them.
 *
 * <p>Each status is computed while the DaemonSet row is locked ({@code ObjectRegistry.modify}), and the
 * node states are read after the lock is taken. Two instances therefore never overwrite each other's
 * counters with a stale count: the second waits for the first to commit and then reads its node states
 * too. DaemonSets are locked in key order, so rounds and resyncs never deadlock each other.
 */
@ApplicationScoped
public class DaemonSetStatuses {

    private static final Logger LOG = Logger.getLogger(DaemonSetStatuses.class);

    /**
     * The DaemonSets a resync looks at: observedGeneration behind metadata.generation (a new or changed
     * DaemonSet the scheduler may have nothing new to say about), or minReadySeconds &gt; 0 with ready
     * pods that were not yet available at the last write (upstream requeues those after minReadySeconds).
     */
    private static final String STALE_DAEMONSETS = """
            SELECT namespace, name FROM objects
            WHERE kind = :kind AND body #> '{metadata,deletionTimestamp}' IS NULL
              AND (COALESCE(CAST(body #>> '{status,observedGeneration}' AS bigint), 0)
                     < COALESCE(CAST(body #>> '{metadata,generation}' AS bigint), 0)
                OR (COALESCE(CAST(body #>> '{spec,minReadySeconds}' AS bigint), 0) > 0
                    AND COALESCE(CAST(body #>> '{status,numberReady}' AS bigint), 0)
                          <> COALESCE(CAST(body #>> '{status,numberAvailable}' AS bigint), 0)))
            ORDER BY namespace, name
            """;

    @Inject
    DaemonSetRegistry daemonSets;

    @Inject
    NodeStateRepository nodeStates;

    @Inject
    PendingStatusRepository pending;

    @Inject
    Event<StatusesPending> statusesPending;

    @Inject
    DaemonSetRevisions revisions;

    @Inject
    EntityManager entityManager;

    @Inject
    StatusConfig config;

    private final Counter statusWrites;
    private final Counter resyncsSkipped;

    @Inject
    public DaemonSetStatuses(MeterRegistry meters) {
        this.statusWrites = meters.counter("dsplane.daemonset.status.writes");
        this.resyncsSkipped = meters.counter("dsplane.daemonset.status.resync.skipped");
    }

    /**
     * applyBatch stores the node-state changes of one batch and marks the status of each DaemonSet they
     * name as pending, in one transaction (JDBC batches for the states, one statement for all the marks).
     * The statuses, and the revision cleanup that depends on the states (a revision kept because pods
     * still used it may be free now), are left to the next flush round. Returns how many DaemonSets were
     * marked.
     *
     * @param changes at most one change per (DaemonSet, node) key
     */
    @Transactional
    public int applyBatch(Collection<Change> changes, Instant now) {
        nodeStates.apply(changes);
        SortedSet<String> touched = new TreeSet<>();
        changes.forEach(c -> touched.add(c.daemonSetKey()));
        int marked = pending.mark(touched, now);
        if (marked > 0) {
            // The flusher wakes once this transaction has committed (a transactional observer).
            statusesPending.fire(new StatusesPending(marked));
        }
        return marked;
    }

    /** StatusesPending is fired by a transaction that marked statuses as pending; observed after it commits. */
    public record StatusesPending(int daemonSets) {
    }

    /** FlushRound is what one round of {@link #flushPending} did. */
    public record FlushRound(int recomputed, int written, Optional<Instant> oldestMark) {

        static final FlushRound NONE = new FlushRound(0, 0, Optional.empty());
    }

    /**
     * flushPending is one round of the flusher: it claims the pending marks of up to {@code limit}
     * DaemonSets that no other transaction holds, recomputes the status of each of those DaemonSets, cleans up their
     * revision history, and deletes the marks, all in one transaction. A DaemonSet that no longer exists
     * just loses its mark. When anything fails, everything rolls back and the marks stay for a later
     * round.
     */
    @Transactional
    public FlushRound flushPending(Instant now, int limit) {
        List<PendingStatusRepository.Mark> claimed = pending.claim(limit);
        if (claimed.isEmpty()) {
            return FlushRound.NONE;
        }
        SortedSet<String> keys = new TreeSet<>();
        Instant oldest = null;
        for (PendingStatusRepository.Mark mark : claimed) {
            keys.add(mark.daemonSetKey());
            oldest = oldest == null || mark.since().isBefore(oldest) ? mark.since() : oldest;
        }
        int written = recompute(keys, now);
        // recompute locked every existing DaemonSet row (modify locks even when it writes nothing), so the
        // history is cleaned under that lock.
        revisions.cleanupHistory(keys);
        pending.delete(claimed);
        return new FlushRound(keys.size(), written, Optional.of(oldest));
    }

    /**
     * resync recomputes the DaemonSets whose status may be out of date without new input. Only one
     * instance runs it at a time (a transaction-scoped advisory lock); the others skip the round.
     * Returns how many statuses were written, or empty when another instance holds the lock.
     */
    @Transactional
    public OptionalInt resync(Instant now) {
        if (!tryAdvisoryLock(config.lockName())) {
            resyncsSkipped.increment();
            return OptionalInt.empty();
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entityManager.createNativeQuery(STALE_DAEMONSETS)
                .setParameter("kind", DaemonSetRegistry.KIND.kind()).getResultList();
        SortedSet<String> keys = new TreeSet<>();
        for (Object[] row : rows) {
            keys.add(row[0] + "/" + row[1]);
        }
        return OptionalInt.of(recompute(keys, now));
    }

    private int recompute(SortedSet<String> daemonSetKeys, Instant now) {
        int written = 0;
        for (String key : daemonSetKeys) {
            if (recomputeOne(key, now)) {
                written++;
            }
        }
        return written;
    }

    private boolean recomputeOne(String daemonSetKey, Instant now) {
        int slash = daemonSetKey.indexOf('/');
        String namespace = daemonSetKey.substring(0, slash);
        String name = daemonSetKey.substring(slash + 1);
        String[] before = new String[1];
        var stored = daemonSets.registry().modify(namespace, name, ds -> {
            before[0] = ds.getMetadata().getResourceVersion();
            var status = DaemonSetStatusCalculator.updateDaemonSetStatus(ds, nodeStates.tallies(daemonSetKey,
                    ds.getMetadata().getUid(), NodeTally.availableCutoff(DaemonSetStatusCalculator.minReadySeconds(ds),
                            now), DaemonSetStatusCalculator.generation(ds)));
            if (status.isEmpty()) {
                return null;
            }
            ds.setStatus(status.get());
            return ds;
        });
        boolean written = stored.isPresent() && before[0] != null
                && !Objects.equals(before[0], stored.get().getMetadata().getResourceVersion());
        if (written) {
            statusWrites.increment();
            if (LOG.isDebugEnabled()) {
                LOG.debugf("status of %s: %s", daemonSetKey, describe(stored.get()));
            }
        }
        return written;
    }

    private boolean tryAdvisoryLock(String lockName) {
        Object locked = entityManager.createNativeQuery("SELECT pg_try_advisory_xact_lock(:id)")
                .setParameter("id", (long) lockName.hashCode()).getSingleResult();
        return Boolean.TRUE.equals(locked);
    }

    private static String describe(DaemonSet ds) {
        DaemonSetStatus s = ds.getStatus();
        var c = DaemonSetStatusCalculator.Counters.of(s);
        return "desired=" + c.desiredNumberScheduled() + " current=" + c.currentNumberScheduled() + " misscheduled="
                + c.numberMisscheduled() + " ready=" + c.numberReady() + " available=" + c.numberAvailable()
                + " updated=" + c.updatedNumberScheduled() + " observedGeneration="
                + DaemonSetStatusCalculator.observedGeneration(s);
    }
}
