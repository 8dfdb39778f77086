package io.dsplane.noderegistry.service;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.dsplane.contracts.registry.RegistryRows;

/**
 * BatchStatements are the two statements that make a batch of agent reports cost a constant number of
 * round trips instead of a few per report: one upsert of every heartbeat, and one look-up of every
 * node's stored version. They run as plain JDBC on the connection of the current transaction
 * ({@link RegistryRows}), as the registry's own statements do.
 */
final class BatchStatements {

    /**
     * Sorted names: rows are locked in name order, as the lifecycle monitor locks them, so that two
     * batches that share nodes (e.g. during a rebalance) cannot deadlock. A heartbeat re-arms the
     * monitor for the node (marked_unknown = FALSE), as a single heartbeat always did.
     */
    private static final String UPSERT_HEARTBEATS = "INSERT INTO node_heartbeats (name, last_heartbeat)"
            + " SELECT name, ? FROM unnest(?::text[]) AS reported(name) ORDER BY name"
            + " ON CONFLICT (name) DO UPDATE SET last_heartbeat = excluded.last_heartbeat, marked_unknown = FALSE";

    /**
     * The stored resourceVersion of each reported node that exists, and its body only where the
     * resourceVersion is not the one the caller already knows the status of. One index probe per
     * reported node (LATERAL, and LIMIT 1 so that it is not flattened into a join): as a join, a planner
     * without statistics hashed every node of the table for each batch of reports.
     */
    private static final String STORED_VERSIONS = "SELECT o.name, o.resource_version,"
            + " CASE WHEN o.resource_version = reported.known THEN NULL ELSE o.body::text END"
            + " FROM unnest(?::text[], ?::bigint[]) AS reported(name, known) CROSS JOIN LATERAL"
            + " (SELECT name, resource_version, body FROM objects WHERE kind = ? AND namespace = '' AND name = reported.name LIMIT 1) o";

    /** Stored is a node as stored: its resourceVersion, and its body unless the caller knew that version. */
    record Stored(long resourceVersion, String body) {
    }

    private BatchStatements() {
    }

    /** recordHeartbeats notes that every node of {@code sortedNames} was heard from at {@code now}. */
    static void recordHeartbeats(List<String> sortedNames, Instant now) {
        RegistryRows.run(c -> {
            try (PreparedStatement st = c.prepareStatement(UPSERT_HEARTBEATS)) {
                st.setObject(1, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
                st.setArray(2, c.createArrayOf("text", sortedNames.toArray()));
                st.executeUpdate();
            }
        });
    }

    /**
     * storedVersions returns the nodes among {@code names} that exist, by name. {@code known} holds, per
     * name, a resourceVersion whose status the caller knows (0 for none): for those still at that
     * version no body is transferred.
     */
    static Map<String, Stored> storedVersions(String kind, List<String> names, long[] known) {
        return RegistryRows.work(c -> {
            Map<String, Stored> out = new HashMap<>(names.size() * 2);
            try (PreparedStatement st = c.prepareStatement(STORED_VERSIONS)) {
                st.setArray(1, c.createArrayOf("text", names.toArray()));
                st.setArray(2, bigints(c, known));
                st.setString(3, kind);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), new Stored(rs.getLong(2), rs.getString(3)));
                    }
                }
            }
            return out;
        });
    }

    private static Array bigints(Connection c, long[] values) throws SQLException {
        Long[] boxed = new Long[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = values[i];
        }
        return c.createArrayOf("bigint", boxed);
    }

}
