package io.dsplane.daemonset.repository;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;

import io.dsplane.contracts.registry.RegistryRows;

/**
 * PendingStatusRepository keeps the table {@code daemonset_status_pending}: the DaemonSets whose node
 * states changed after their status was last computed, with the time of the oldest such change. Every
 * method is one statement on the JDBC connection of the current transaction, whatever the number of
 * keys; callers run inside a transaction.
 *
 * <p>How a mark and a flush round meet: the round claims marks with {@code FOR UPDATE SKIP LOCKED} and
 * deletes them at its end; {@link #mark} upserts with {@code ON CONFLICT DO UPDATE}, which locks the
 * existing row even when it keeps its {@code since}. So a batch that marks a DaemonSet a round has
 * claimed waits for that round and then inserts a new mark (the round did not see the batch's node
 * states; the next round will), and a round never claims a mark a batch still holds (it skips it and
 * takes it once the batch has committed, when its node states are visible). A change is never left out
 * of the status with its mark deleted. (With {@code DO NOTHING} the batch would not wait for the
 * claiming round, and the round would delete the mark of states it never read.)
 */
@ApplicationScoped
public class PendingStatusRepository {

    /**
     * Keys in order, so two batches marking the same DaemonSets lock their rows in the same order and
     * never deadlock; an existing mark keeps the older {@code since}.
     */
    private static final String MARK = """
            INSERT INTO daemonset_status_pending (ds_key, since)
            SELECT k, ?::timestamptz FROM unnest(?::text[]) AS k ORDER BY k
            ON CONFLICT (ds_key) DO UPDATE SET since = EXCLUDED.since
            WHERE EXCLUDED.since < daemonset_status_pending.since
            """;
    /**
     * Oldest first, so no DaemonSet waits behind others when more are pending than one round takes.
     * SKIP LOCKED never waits for a row lock, so the order rows are claimed in cannot deadlock; the
     * DaemonSets themselves are then locked in key order.
     */
    private static final String CLAIM = """
            SELECT ds_key, since FROM daemonset_status_pending ORDER BY since, ds_key LIMIT ? FOR UPDATE SKIP LOCKED
            """;
    private static final String DELETE = "DELETE FROM daemonset_status_pending WHERE ds_key = ANY (?::text[])";

    /** Mark is a claimed DaemonSet key and when its oldest unapplied change was stored. */
    public record Mark(String daemonSetKey, Instant since) {
    }

    /**
     * mark records that the status of these DaemonSets must be recomputed because of changes stored
     * at {@code now} (an existing mark keeps its older time). Returns the number of keys.
     *
     * @param daemonSetKeys namespace/name
     */
    public int mark(Collection<String> daemonSetKeys, Instant now) {
        SortedSet<String> keys = new TreeSet<>(daemonSetKeys);
        if (keys.isEmpty()) {
            return 0;
        }
        RegistryRows.run(c -> {
            try (PreparedStatement ps = c.prepareStatement(MARK)) {
                ps.setObject(1, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
                ps.setArray(2, c.createArrayOf("text", keys.toArray()));
                ps.executeUpdate();
            }
        });
        return keys.size();
    }

    /**
     * claim locks up to {@code limit} marks that no other transaction holds, oldest first. They stay
     * locked until the transaction ends; {@link #delete} them once their statuses are written.
     */
    public List<Mark> claim(int limit) {
        return RegistryRows.work(c -> {
            List<Mark> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(CLAIM)) {
                ps.setInt(1, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Mark(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant()));
                    }
                }
            }
            return out;
        });
    }

    /** delete removes the marks of these DaemonSets (claimed by the current transaction). */
    public void delete(Collection<String> daemonSetKeys) {
        if (daemonSetKeys.isEmpty()) {
            return;
        }
        RegistryRows.run(c -> {
            try (PreparedStatement ps = c.prepareStatement(DELETE)) {
                ps.setArray(1, c.createArrayOf("text", daemonSetKeys.toArray()));
                ps.executeUpdate();
            }
        });
    }

}
