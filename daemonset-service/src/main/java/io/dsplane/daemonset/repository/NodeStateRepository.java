package io.dsplane.daemonset.repository;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;

import io.dsplane.contracts.event.DaemonSetNodeState;
import io.dsplane.contracts.event.DaemonSetNodeState.OldestPod;
import io.dsplane.contracts.registry.RegistryRows;
import io.dsplane.daemonset.status.NodeStateRecords.Change;
import io.dsplane.daemonset.status.NodeTally;

/**
 * NodeStateRepository keeps the table {@code daemonset_node_states}: the latest state per (DaemonSet,
 * node) key. It uses the JDBC connection of the current transaction (JDBC batches: one round trip per
 * batch of records, whatever its size); callers run inside a transaction.
 */
@ApplicationScoped
public class NodeStateRepository {

    private static final String UPSERT = """
            INSERT INTO daemonset_node_states (ds_key, node_name, schema_version, ds_uid, generation, revision_hash,
                should_run, should_continue_running, pods, oldest_pod_name, oldest_pod_ready, oldest_pod_ready_since,
                oldest_pod_updated, revision_hashes, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now())
            ON CONFLICT (ds_key, node_name) DO UPDATE SET schema_version = EXCLUDED.schema_version,
                ds_uid = EXCLUDED.ds_uid, generation = EXCLUDED.generation, revision_hash = EXCLUDED.revision_hash,
                should_run = EXCLUDED.should_run, should_continue_running = EXCLUDED.should_continue_running,
                pods = EXCLUDED.pods, oldest_pod_name = EXCLUDED.oldest_pod_name,
                oldest_pod_ready = EXCLUDED.oldest_pod_ready, oldest_pod_ready_since = EXCLUDED.oldest_pod_ready_since,
                oldest_pod_updated = EXCLUDED.oldest_pod_updated, revision_hashes = EXCLUDED.revision_hashes,
                updated_at = EXCLUDED.updated_at
            """;
    private static final String DELETE = "DELETE FROM daemonset_node_states WHERE ds_key = ? AND node_name = ?";
    private static final String HASHES_IN_USE = """
            SELECT DISTINCT h FROM daemonset_node_states, unnest(revision_hashes) AS h
            WHERE ds_key = ? AND ds_uid = ?
            """;

    /** The grouping of {@link NodeTally#of}, in the same order (false before true). */
    private static final String TALLIES = """
            SELECT should_run, pods > 0 AS scheduled, coalesce(oldest_pod_ready, false) AS ready,
                coalesce(oldest_pod_ready AND oldest_pod_ready_since <= ?, false) AS ready_long_enough,
                coalesce(oldest_pod_updated, false) AS updated, generation >= ? AS caught_up, count(*)
            FROM daemonset_node_states WHERE ds_key = ? AND ds_uid = ?
            GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
            """;

    private static final String CAUGHT_UP = """
            SELECT count(*), coalesce(min(generation), 0) FROM daemonset_node_states WHERE ds_key = ? AND ds_uid = ?
            """;

    /**
     * apply stores each change: an upsert for a state, a delete for a removal. The changes must name
     * each key at most once (the caller keeps the last change per key of a batch).
     */
    public void apply(Collection<Change> changes) {
        if (changes.isEmpty()) {
            return;
        }
        RegistryRows.run(c -> {
            try (PreparedStatement upsert = c.prepareStatement(UPSERT);
                    PreparedStatement delete = c.prepareStatement(DELETE)) {
                int upserts = 0;
                int deletes = 0;
                for (Change change : changes) {
                    if (change.removal()) {
                        delete.setString(1, change.daemonSetKey());
                        delete.setString(2, change.nodeName());
                        delete.addBatch();
                        deletes++;
                    } else {
                        bind(upsert, change.state());
                        upsert.addBatch();
                        upserts++;
                    }
                }
                if (upserts > 0) {
                    upsert.executeBatch();
                }
                if (deletes > 0) {
                    delete.executeBatch();
                }
            }
        });
    }

    /**
     * tallies groups the stored states of one DaemonSet (this uid) into {@link NodeTally}s: what its
     * status needs, without reading one row per node.
     *
     * @param availableCutoff {@link NodeTally#availableCutoff} of the DaemonSet's minReadySeconds and now
     * @param generation      the DaemonSet's generation
     */
    public List<NodeTally> tallies(String daemonSetKey, String daemonSetUid, Instant availableCutoff, long generation) {
        return RegistryRows.work(c -> {
            List<NodeTally> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(TALLIES)) {
                ps.setObject(1, OffsetDateTime.ofInstant(availableCutoff, ZoneOffset.UTC));
                ps.setLong(2, generation);
                ps.setString(3, daemonSetKey);
                ps.setString(4, daemonSetUid);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new NodeTally(rs.getBoolean(1), rs.getBoolean(2), rs.getBoolean(3), rs.getBoolean(4),
                                rs.getBoolean(5), rs.getBoolean(6), rs.getInt(7)));
                    }
                }
            }
            return out;
        });
    }

    /**
     * caughtUp is true when the stored states of one DaemonSet (this uid) exist and were all computed by
     * the scheduler for {@code generation} or a later one: only then do they describe every pod the
     * DaemonSet may have, including pods of a template it has just replaced.
     */
    public boolean caughtUp(String daemonSetKey, String daemonSetUid, long generation) {
        return RegistryRows.work(c -> {
            try (PreparedStatement ps = c.prepareStatement(CAUGHT_UP)) {
                ps.setString(1, daemonSetKey);
                ps.setString(2, daemonSetUid);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() && rs.getLong(1) > 0 && rs.getLong(2) >= generation;
                }
            }
        });
    }

    /**
     * revisionHashesInUse is the union of the revision hashes of the pods the stored states of one
     * DaemonSet report (states of an earlier DaemonSet of the same name, with another uid, excluded).
     */
    public Set<String> revisionHashesInUse(String daemonSetKey, String daemonSetUid) {
        return RegistryRows.work(c -> {
            Set<String> out = new TreeSet<>();
            try (PreparedStatement ps = c.prepareStatement(HASHES_IN_USE)) {
                ps.setString(1, daemonSetKey);
                ps.setString(2, daemonSetUid);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
            return out;
        });
    }

    private static void bind(PreparedStatement ps, DaemonSetNodeState s) throws java.sql.SQLException {
        ps.setString(1, s.daemonSetKey());
        ps.setString(2, s.nodeName());
        ps.setInt(3, s.schemaVersion());
        ps.setString(4, s.daemonSetUid());
        ps.setLong(5, s.generation());
        ps.setString(6, s.revisionHash());
        ps.setBoolean(7, s.shouldRun());
        ps.setBoolean(8, s.shouldContinueRunning());
        ps.setInt(9, s.pods());
        OldestPod pod = s.oldestPod();
        if (pod == null) {
            ps.setNull(10, Types.VARCHAR);
            ps.setNull(11, Types.BOOLEAN);
            ps.setNull(12, Types.TIMESTAMP_WITH_TIMEZONE);
            ps.setNull(13, Types.BOOLEAN);
        } else {
            ps.setString(10, pod.name());
            ps.setBoolean(11, pod.ready());
            if (pod.readySince() == null) {
                ps.setNull(12, Types.TIMESTAMP_WITH_TIMEZONE);
            } else {
                ps.setObject(12, OffsetDateTime.ofInstant(pod.readySince(), ZoneOffset.UTC));
            }
            ps.setBoolean(13, pod.updated());
        }
        ps.setArray(14, ps.getConnection().createArrayOf("text", s.revisionHashes().toArray()));
    }
}
