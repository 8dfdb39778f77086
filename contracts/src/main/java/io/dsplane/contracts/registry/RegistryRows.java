package io.dsplane.contracts.registry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.hibernate.Session;

import io.quarkus.hibernate.orm.panache.Panache;

/**
 * RegistryRows is the SQL of the registry tables ({@code objects}, {@code outbox},
 * {@code processed_messages}), run with plain JDBC on the connection of the current transaction.
 *
 * <p>Why not JPA entities: a consumer applies hundreds of changes in one transaction, and with managed
 * entities every query first flushes and dirty-checks everything the transaction touched so far, which
 * made each change cost more than the one before. Here a row is a value, each statement goes out once,
 * and the bulk methods write a whole batch of objects and events in a few round trips (JDBC batches,
 * which the driver rewrites into multi-row statements).
 */
public final class RegistryRows {

    private static final String COLUMNS = "id, namespace, name, uid, resource_version, body";

    private RegistryRows() {
    }

    /** Row is one stored object as read: the columns the registry needs back, the body as JSON text. */
    public record Row(long id, String namespace, String name, String uid, long resourceVersion, String body) {
    }

    /** NewRow is an object to insert. {@code namespace} is '' for cluster-scoped kinds. */
    public record NewRow(String kind, String namespace, String name, String uid, long resourceVersion,
            String nodeName, String ownerUid, String body, Instant createdAt) {
    }

    /** Change is a new version of a stored row (by id). */
    public record Change(long id, long resourceVersion, String nodeName, String ownerUid, String body) {
    }

    /**
     * Event is an outbox row: the record exactly as it will be published (null payload = tombstone),
     * and what its partition is chosen by when not its key (null: the key).
     */
    public record Event(String topic, String key, String partitionKey, String payload) {
    }

    /** Key names an object of a kind: namespace ('' when cluster-scoped) and name. */
    public record Key(String namespace, String name) {
    }

    /** SqlWork is a unit of JDBC work on the transaction's connection. */
    @FunctionalInterface
    public interface SqlWork<R> {
        R run(Connection c) throws SQLException;
    }

    /** SqlAction is JDBC work that returns nothing. */
    @FunctionalInterface
    public interface SqlAction {
        void run(Connection c) throws SQLException;
    }

    /** Binder sets the parameters of one batched statement from one item. */
    @FunctionalInterface
    private interface Binder<T> {
        void bind(PreparedStatement ps, T item) throws SQLException;
    }

    /** work runs {@code work} on the current transaction's connection (inside a transaction only). */
    public static <R> R work(SqlWork<R> work) {
        return Panache.getEntityManager().unwrap(Session.class).doReturningWork(work::run);
    }

    /** run runs {@code action} on the current transaction's connection (inside a transaction only). */
    public static void run(SqlAction action) {
        Panache.getEntityManager().unwrap(Session.class).doWork(action::run);
    }

    /** batch executes {@code sql} once per item, as one JDBC batch (nothing for no items). */
    private static <T> void batch(String sql, List<T> items, Binder<T> binder) {
        if (items.isEmpty()) {
            return;
        }
        run(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (T item : items) {
                    binder.bind(ps, item);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        });
    }

    // ---------------------------------------------------------------- reads

    /** select reads one object; {@code lock} takes its row lock (FOR UPDATE) until the transaction ends. */
    public static Optional<Row> select(String kind, String namespace, String name, boolean lock) {
        List<Row> rows = selectWhere("kind = ? AND namespace = ? AND name = ?" + (lock ? " FOR UPDATE" : ""),
                kind, namespace, name);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    /**
     * selectAll reads the objects of the given keys in one statement; absent keys are missing from the
     * map. With {@code lock} the rows are locked in key order, so two batches never deadlock each other.
     */
    public static Map<Key, Row> selectAll(String kind, Collection<Key> keys, boolean lock) {
        Map<Key, Row> found = new HashMap<>();
        if (keys.isEmpty()) {
            return found;
        }
        Set<Key> distinct = new LinkedHashSet<>(keys);
        String[] namespaces = new String[distinct.size()];
        String[] names = new String[distinct.size()];
        int i = 0;
        for (Key k : distinct) {
            namespaces[i] = k.namespace();
            names[i++] = k.name();
        }
        String sql = selectAllStatement(lock);
        return work(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setArray(1, c.createArrayOf("text", namespaces));
                ps.setArray(2, c.createArrayOf("text", names));
                ps.setString(3, kind);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Row row = row(rs);
                        found.put(new Key(row.namespace(), row.name()), row);
                    }
                }
            }
            return found;
        });
    }

    /**
     * selectAllStatement is the statement of {@link #selectAll}: parameters namespaces (text[]), names
     * (text[]) and kind. Without a lock it probes the index once per key, whatever the planner believes
     * about the table (LATERAL, with LIMIT 1 since a key names at most one row, so that the subquery is
     * not flattened into a join). A join let the planner hash every object of the kind when the
     * statistics were older than the table (a table analyzed while small, or never): a scan of 100,000
     * pods to look up 500 names. The locking form keeps the join, so that rows are locked in the order of
     * its sort.
     */
    public static String selectAllStatement(boolean lock) {
        return lock
                ? "SELECT " + COLUMNS + " FROM objects o JOIN unnest(?::text[], ?::text[]) AS k(ns, nm)"
                        + " ON o.namespace = k.ns AND o.name = k.nm WHERE o.kind = ?"
                        + " ORDER BY o.namespace, o.name FOR UPDATE OF o"
                : "SELECT " + COLUMNS + " FROM unnest(?::text[], ?::text[]) AS k(ns, nm) CROSS JOIN LATERAL"
                        + " (SELECT " + COLUMNS + " FROM objects WHERE kind = ? AND namespace = k.ns AND name = k.nm LIMIT 1) o";
    }

    /** selectWhere reads the objects matching {@code condition} (SQL over the objects columns, ? parameters). */
    public static List<Row> selectWhere(String condition, Object... params) {
        String sql = "SELECT " + COLUMNS + " FROM objects WHERE " + condition;
        return work(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < params.length; i++) {
                    Object p = params[i];
                    if (p instanceof Instant t) {
                        ps.setTimestamp(i + 1, Timestamp.from(t));
                    } else {
                        ps.setObject(i + 1, p);
                    }
                }
                List<Row> rows = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(row(rs));
                    }
                }
                return rows;
            }
        });
    }

    private static Row row(ResultSet rs) throws SQLException {
        return new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
                rs.getString(6));
    }

    /** currentVersion is the last resourceVersion handed out (0 before the first). */
    public static long currentVersion() {
        return work(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM resource_version_seq");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    // ---------------------------------------------------------------- writes

    /** nextVersions takes {@code n} new resourceVersions in one statement, in increasing order. */
    public static long[] nextVersions(int n) {
        long[] versions = new long[n];
        if (n == 0) {
            return versions;
        }
        return work(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT nextval('resource_version_seq') FROM generate_series(1, ?)")) {
                ps.setInt(1, n);
                try (ResultSet rs = ps.executeQuery()) {
                    for (int i = 0; i < n && rs.next(); i++) {
                        versions[i] = rs.getLong(1);
                    }
                }
            }
            java.util.Arrays.sort(versions);
            return versions;
        });
    }

    /**
     * insertFree stores the new objects whose (kind, namespace, name) is free, in one statement, and
     * returns the keys it stored. A name taken by a committed row, or by a concurrent transaction that
     * then commits, is skipped rather than failing the statement: the caller answers AlreadyExists for
     * it and the rest of its batch is unharmed. Rows go in key order, so two transactions inserting the
     * same names wait for each other in one order and never deadlock.
     */
    public static Set<Key> insertFree(List<NewRow> rows) {
        Set<Key> stored = new java.util.HashSet<>();
        if (rows.isEmpty()) {
            return stored;
        }
        List<NewRow> sorted = new ArrayList<>(rows);
        sorted.sort(java.util.Comparator.comparing(NewRow::kind).thenComparing(NewRow::namespace)
                .thenComparing(NewRow::name));
        int n = sorted.size();
        String[] kinds = new String[n], namespaces = new String[n], names = new String[n], uids = new String[n];
        String[] nodes = new String[n], owners = new String[n], bodies = new String[n];
        Long[] versions = new Long[n];
        Timestamp[] created = new Timestamp[n];
        for (int i = 0; i < n; i++) {
            NewRow r = sorted.get(i);
            kinds[i] = r.kind();
            namespaces[i] = r.namespace();
            names[i] = r.name();
            uids[i] = r.uid();
            versions[i] = r.resourceVersion();
            nodes[i] = r.nodeName();
            owners[i] = r.ownerUid();
            bodies[i] = r.body();
            created[i] = Timestamp.from(r.createdAt());
        }
        run(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO objects (kind, namespace, name, uid,"
                    + " resource_version, node_name, owner_uid, body, created_at)"
                    + " SELECT k, ns, nm, u, v, nd, o, b::jsonb, t FROM unnest(?::text[], ?::text[], ?::text[],"
                    + " ?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::timestamptz[])"
                    + " WITH ORDINALITY AS r(k, ns, nm, u, v, nd, o, b, t, ord) ORDER BY ord"
                    + " ON CONFLICT (kind, namespace, name) DO NOTHING RETURNING namespace, name")) {
                ps.setArray(1, c.createArrayOf("text", kinds));
                ps.setArray(2, c.createArrayOf("text", namespaces));
                ps.setArray(3, c.createArrayOf("text", names));
                ps.setArray(4, c.createArrayOf("text", uids));
                ps.setArray(5, c.createArrayOf("bigint", versions));
                ps.setArray(6, c.createArrayOf("text", nodes));
                ps.setArray(7, c.createArrayOf("text", owners));
                ps.setArray(8, c.createArrayOf("text", bodies));
                ps.setArray(9, c.createArrayOf("timestamptz", created));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        stored.add(new Key(rs.getString(1), rs.getString(2)));
                    }
                }
            }
        });
        return stored;
    }

    /** update stores new versions of rows (by id) in one JDBC batch. */
    public static void update(List<Change> changes) {
        batch("UPDATE objects SET resource_version = ?, node_name = ?, owner_uid = ?, body = ?::jsonb WHERE id = ?",
                changes, (ps, ch) -> {
                    ps.setLong(1, ch.resourceVersion());
                    ps.setString(2, ch.nodeName());
                    ps.setString(3, ch.ownerUid());
                    ps.setString(4, ch.body());
                    ps.setLong(5, ch.id());
                });
    }

    /** delete removes rows by id. */
    public static void delete(long... ids) {
        if (ids.length == 0) {
            return;
        }
        Long[] boxed = new Long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            boxed[i] = ids[i];
        }
        run(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM objects WHERE id = ANY (?)")) {
                ps.setArray(1, c.createArrayOf("bigint", boxed));
                ps.executeUpdate();
            }
        });
    }

    /**
     * queue inserts outbox rows in one JDBC batch, in list order: the relay publishes in id order, so
     * the events of one key keep the order of the list (and, across transactions, of the row locks).
     */
    public static void queue(List<Event> events) {
        String sql = "INSERT INTO outbox (topic, key, partition_key, payload, created_at) VALUES (?, ?, ?, ?, now())";
        batch(sql, events, (ps, e) -> {
            ps.setString(1, e.topic());
            ps.setString(2, e.key());
            ps.setString(3, e.partitionKey());
            ps.setString(4, e.payload());
        });
    }

    /**
     * firstTimeAll records message ids as applied by {@code consumer} and returns the ones that were
     * new, in one statement. Must run inside the transaction that applies the messages.
     */
    public static Set<String> firstTimeAll(String consumer, Collection<String> messageIds) {
        Set<String> fresh = new java.util.HashSet<>();
        if (messageIds.isEmpty()) {
            return fresh;
        }
        String[] ids = new LinkedHashSet<>(messageIds).toArray(String[]::new);
        return work(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO processed_messages (consumer, message_id,"
                    + " processed_at) SELECT ?, id, now() FROM unnest(?::text[]) AS id"
                    + " ON CONFLICT DO NOTHING RETURNING message_id")) {
                ps.setString(1, consumer);
                ps.setArray(2, c.createArrayOf("text", ids));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        fresh.add(rs.getString(1));
                    }
                }
            }
            return fresh;
        });
    }

    /** forget removes recorded message ids of {@code consumer} again (a message whose change was refused). */
    public static void forget(String consumer, Collection<String> messageIds) {
        if (messageIds.isEmpty()) {
            return;
        }
        run(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM processed_messages WHERE consumer = ? AND message_id = ANY (?)")) {
                ps.setString(1, consumer);
                ps.setArray(2, c.createArrayOf("text", messageIds.toArray(String[]::new)));
                ps.executeUpdate();
            }
        });
    }
}
