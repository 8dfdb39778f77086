package io.dsplane.daemonset.repository;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;

import io.dsplane.contracts.registry.RegistryRows;

/**
 * PendingStatusRepository keeps the table {@code daemonset_status_pending}: the DaemonSets whose node
 * states changed after their status was last computed, one row per batch and DaemonSet, with the time
 * the batch stored them. Every method is one statement on the JDBC connection of the current
 * transaction, whatever the number of keys; callers run inside a transaction.
 *
 * <p>How a mark and a flush round meet: a batch only inserts rows, so it never waits for a round. A
 * round claims committed rows with {@code FOR UPDATE SKIP LOCKED}, reads the node states after that,
 * and at its end deletes exactly the rows it claimed. A mark the claim did not see (its batch had not
 * committed) stays for the next round, and a round never deletes a mark of states it may not have read:
 * it saw every claimed mark committed, so it reads their states. Two rounds never claim the same row. A
 * DaemonSet may be recomputed once more than needed (a batch that committed between the claim and the
 * read of the states), never once less.
 */
@ApplicationScoped
public class PendingStatusRepository {

    /** Marks never conflict: a batch inserts, and no lock of a round can make it wait. */
    private static final String MARK = """
            INSERT INTO daemonset_status_pending (ds_key, since) SELECT k, ?::timestamptz FROM unnest(?::text[]) AS k
            """;
    /**
     * Oldest first, so no DaemonSet waits behind others when more are pending than one round takes.
     * SKIP LOCKED never waits for a row lock, so the order rows are claimed in cannot deadlock; the
     * DaemonSets themselves are then locked in key order.
     */
    private static final String CLAIM = """
            SELECT id, ds_key, since FROM daemonset_status_pending ORDER BY since, id LIMIT ? FOR UPDATE SKIP LOCKED
            """;
    private static final String DELETE = "DELETE FROM daemonset_status_pending WHERE id = ANY (?::bigint[])";
    /**
     * Rows a claim reads per DaemonSet it may take: a DaemonSet gets a row per batch that touched it, a
     * few dozen per interval under load; rows beyond these wait for the next round.
     */
    static final int ROWS_PER_DAEMONSET = 50;

    /** Mark is a claimed DaemonSet key, when its oldest claimed change was stored, and the rows claimed for it. */
    public record Mark(String daemonSetKey, Instant since, List<Long> rows) {
    }

    /**
     * mark records that the status of these DaemonSets must be recomputed because of changes stored
     * at {@code now}. Returns the number of keys.
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
     * claim locks the marks of up to {@code limit} DaemonSets that no other transaction holds, oldest
     * first. They stay locked until the transaction ends; {@link #delete} them once their statuses are
     * written. Rows of further DaemonSets that the claim read stay locked but are left for a later round.
     */
    public List<Mark> claim(int limit) {
        return RegistryRows.work(c -> {
            Map<String, Mark> byKey = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement(CLAIM)) {
                ps.setInt(1, limit * ROWS_PER_DAEMONSET);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long id = rs.getLong(1);
                        String key = rs.getString(2);
                        Instant since = rs.getObject(3, OffsetDateTime.class).toInstant();
                        Mark mark = byKey.get(key);
                        if (mark == null) {
                            if (byKey.size() == limit) {
                                continue;
                            }
                            mark = new Mark(key, since, new ArrayList<>());
                            byKey.put(key, mark);
                        }
                        mark.rows().add(id);
                    }
                }
            }
            return List.copyOf(byKey.values());
        });
    }

    /** delete removes these claimed marks (claimed by the current transaction). */
    public void delete(Collection<Mark> marks) {
        Long[] ids = marks.stream().flatMap(m -> m.rows().stream()).toArray(Long[]::new);
        if (ids.length == 0) {
            return;
        }
        RegistryRows.run(c -> {
            try (PreparedStatement ps = c.prepareStatement(DELETE)) {
                ps.setArray(1, c.createArrayOf("bigint", ids));
                ps.executeUpdate();
            }
        });
    }
}
