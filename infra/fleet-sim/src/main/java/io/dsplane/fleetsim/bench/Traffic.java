package io.dsplane.fleetsim.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * Traffic counts the work behind a phase: records appended to every Kafka topic (the sum of end
 * offsets, so transaction markers count too), the internal ones included (__transaction_state grows
 * by a few records per transaction, __consumer_offsets with every offset commit), and PostgreSQL's
 * transaction and row counters of the control plane's database (pg_stat_database). Divided by the pods of M1 this says how many records
 * and transactions one pod costs. When the server has pg_stat_statements loaded
 * ({@code shared_preload_libraries}), the time, calls and rows of every statement of the database too,
 * so that PostgreSQL's share of a phase can be told per statement.
 */
public final class Traffic {

    /** A snapshot of the counters; {@code statements} is null without pg_stat_statements. */
    public record Snapshot(Map<String, Long> topicOffsets, Map<String, Long> database, Map<Long, SqlStatement> statements) {
    }

    /**
     * SqlStatement is one normalized statement of pg_stat_statements: calls, execution time (ms, which
     * includes waiting for locks), rows, and its text.
     */
    public record SqlStatement(long calls, double totalMillis, long rows, String query) {
    }

    private Traffic() {
    }

    public static Snapshot snapshot(Admin admin, String jdbcUrl, String user, String password) {
        Map<String, Long> topics = new TreeMap<>();
        try {
            Set<String> names = admin.listTopics(new ListTopicsOptions().listInternal(true)).names()
                    .get(30, TimeUnit.SECONDS);
            Map<String, TopicDescription> desc = admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> wanted = new HashMap<>();
            desc.values().forEach(d -> d.partitions().forEach(p -> wanted.put(new TopicPartition(d.name(),
                    p.partition()), OffsetSpec.latest())));
            admin.listOffsets(wanted, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED)).all()
                    .get(30, TimeUnit.SECONDS)
                    .forEach((tp, info) -> topics.merge(tp.topic(), info.offset(), Long::sum));
        } catch (Exception e) {
            // an empty map: the report then says n/a
        }
        Map<String, Long> db = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT xact_commit, xact_rollback, tup_inserted, tup_updated,"
                        + " tup_deleted, tup_returned, tup_fetched FROM pg_stat_database WHERE datname = current_database()")) {
            if (rs.next()) {
                String[] names = {"commits", "rollbacks", "rowsInserted", "rowsUpdated", "rowsDeleted", "rowsReturned",
                        "rowsFetched"};
                for (int i = 0; i < names.length; i++) {
                    db.put(names[i], rs.getLong(i + 1));
                }
            }
        } catch (SQLException e) {
            // n/a
        }
        return new Snapshot(topics, db, statements(jdbcUrl, user, password));
    }

    /**
     * statements reads pg_stat_statements for the current database, creating the extension's view there
     * when the server has the module loaded; null when it has not.
     */
    private static Map<Long, SqlStatement> statements(String jdbcUrl, String user, String password) {
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password);
                java.sql.Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT 1 FROM pg_settings WHERE name = 'shared_preload_libraries'"
                    + " AND setting LIKE '%pg_stat_statements%'")) {
                if (!rs.next()) {
                    return null;
                }
            }
            st.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            Map<Long, SqlStatement> out = new HashMap<>();
            try (ResultSet rs = st.executeQuery("SELECT queryid, calls, total_exec_time, rows, query FROM pg_stat_statements"
                    + " WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND queryid IS NOT NULL")) {
                while (rs.next()) {
                    out.merge(rs.getLong(1), new SqlStatement(rs.getLong(2), rs.getDouble(3), rs.getLong(4), rs.getString(5)),
                            (x, y) -> new SqlStatement(x.calls() + y.calls(), x.totalMillis() + y.totalMillis(),
                                    x.rows() + y.rows(), x.query()));
                }
            }
            return out;
        } catch (SQLException e) {
            return null;
        }
    }

    /**
     * statementDelta is the work of each statement from a to b, most execution time first; empty when
     * either snapshot has no statements.
     */
    public static List<SqlStatement> statementDelta(Snapshot a, Snapshot b) {
        if (a.statements() == null || b.statements() == null) {
            return List.of();
        }
        List<SqlStatement> out = new ArrayList<>();
        b.statements().forEach((id, s) -> {
            SqlStatement before = a.statements().get(id);
            long calls = s.calls() - (before == null ? 0 : before.calls());
            if (calls > 0) {
                out.add(new SqlStatement(calls, s.totalMillis() - (before == null ? 0 : before.totalMillis()),
                        s.rows() - (before == null ? 0 : before.rows()), s.query()));
            }
        });
        out.sort((x, y) -> Double.compare(y.totalMillis(), x.totalMillis()));
        return out;
    }

    /** topicDelta returns the records appended per topic from a to b (only topics that grew), largest first. */
    public static Map<String, Long> topicDelta(Snapshot a, Snapshot b) {
        Map<String, Long> out = new LinkedHashMap<>();
        b.topicOffsets().entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - a.topicOffsets().getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > 0 && !e.getKey().startsWith("dsplane-bench."))
                .sorted((x, y) -> Long.compare(y.getValue(), x.getValue()))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** databaseDelta returns the change of each pg_stat_database counter. */
    public static Map<String, Long> databaseDelta(Snapshot a, Snapshot b) {
        Map<String, Long> out = new LinkedHashMap<>();
        b.database().forEach((k, v) -> out.put(k, v - a.database().getOrDefault(k, 0L)));
        return out;
    }
}
