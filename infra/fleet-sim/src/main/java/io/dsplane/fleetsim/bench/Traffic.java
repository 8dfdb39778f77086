package io.dsplane.fleetsim.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * Traffic counts the work behind a phase: records appended to every Kafka topic (the sum of end
 * offsets, so transaction markers count too) and PostgreSQL's transaction and row counters of the
 * control plane's database (pg_stat_database). Divided by the pods of M1 this says how many records
 * and transactions one pod costs.
 */
public final class Traffic {

    /** A snapshot of the counters. */
    public record Snapshot(Map<String, Long> topicOffsets, Map<String, Long> database) {
    }

    private Traffic() {
    }

    public static Snapshot snapshot(Admin admin, String jdbcUrl, String user, String password) {
        Map<String, Long> topics = new TreeMap<>();
        try {
            Set<String> names = admin.listTopics().names().get(30, TimeUnit.SECONDS);
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
        return new Snapshot(topics, db);
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
