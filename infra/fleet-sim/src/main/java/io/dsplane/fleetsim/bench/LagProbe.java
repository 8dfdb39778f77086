package io.dsplane.fleetsim.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * LagProbe measures the backlog of the control plane: per consumer group of the services (committed
 * offset vs. end offset, read_committed, through the Kafka Admin API) and the rows waiting in each
 * service's outbox table (the events a service committed but has not published yet).
 */
public final class LagProbe implements AutoCloseable {

    /** The consumer groups of the services start with these (pod-service has one group per channel). */
    public static final List<String> GROUP_PREFIXES = List.of("node-registry-service", "scheduler-service",
            "pod-service", "daemonset-service");
    /** Schemas whose outbox is probed. */
    public static final List<String> OUTBOX_SCHEMAS = List.of("node_registry", "daemonsets", "pods");

    private final Admin admin;
    private final String jdbcUrl;
    private final String dbUser;
    private Connection db;

    public LagProbe(String bootstrap, String jdbcUrl, String dbUser) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "dsplane-bench-lag");
        this.admin = Admin.create(p);
        this.jdbcUrl = jdbcUrl;
        this.dbUser = dbUser;
    }

    public Admin admin() {
        return admin;
    }

    /** groups lists the services' consumer groups (any type), sorted. */
    public List<String> groups() throws Exception {
        List<String> out = new ArrayList<>();
        for (GroupListing g : admin.listGroups().all().get(30, TimeUnit.SECONDS)) {
            for (String prefix : GROUP_PREFIXES) {
                if (g.groupId().equals(prefix) || g.groupId().startsWith(prefix + ".")
                        || g.groupId().startsWith(prefix + "-")) {
                    out.add(g.groupId());
                    break;
                }
            }
        }
        out.sort(null);
        return out;
    }

    /** lag returns, per group, the records between its committed offsets and the end of its partitions. */
    public Map<String, Long> lag(List<String> groups) throws Exception {
        Map<String, Long> out = new TreeMap<>();
        // Every group in one request, so that a sample is taken at one moment and costs one round trip.
        Map<String, ListConsumerGroupOffsetsSpec> specs = new HashMap<>();
        groups.forEach(g -> specs.put(g, new ListConsumerGroupOffsetsSpec()));
        Map<String, Map<TopicPartition, OffsetAndMetadata>> committed = groups.isEmpty() ? Map.of()
                : admin.listConsumerGroupOffsets(specs).all().get(30, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> wanted = new HashMap<>();
        committed.values().forEach(offsets -> offsets.keySet().forEach(tp -> wanted.put(tp, OffsetSpec.latest())));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = wanted.isEmpty() ? Map.of()
                : admin.listOffsets(wanted, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                        .get(30, TimeUnit.SECONDS);
        for (String g : groups) {
            long lag = 0;
            for (Map.Entry<TopicPartition, OffsetAndMetadata> e : committed.getOrDefault(g, Map.of()).entrySet()) {
                if (e.getValue() == null || !ends.containsKey(e.getKey())) {
                    continue;
                }
                lag += Math.max(0, ends.get(e.getKey()).offset() - e.getValue().offset());
            }
            out.put(g, lag);
        }
        return out;
    }

    /**
     * outbox returns the rows waiting in each service's outbox (-1 for a schema that cannot be read),
     * as the span of ids between the oldest and the newest row: the relay publishes and deletes in id
     * order, so that is the count up to ids of rolled-back or not yet committed writes, and it costs two
     * probes of the primary key. A count(*) read every dead row of the table, on every sample.
     */
    public Map<String, Long> outbox() {
        Map<String, Long> out = new TreeMap<>();
        try {
            if (db == null || db.isClosed()) {
                db = DriverManager.getConnection(jdbcUrl, dbUser, System.getenv().getOrDefault("DB_PASSWORD", ""));
                db.setAutoCommit(true);
            }
            for (String schema : OUTBOX_SCHEMAS) {
                try (Statement st = db.createStatement();
                        ResultSet rs = st.executeQuery("SELECT coalesce(max(id) - min(id) + 1, 0) FROM " + schema + ".outbox")) {
                    rs.next();
                    out.put(schema, rs.getLong(1));
                } catch (SQLException e) {
                    out.put(schema, -1L);
                }
            }
        } catch (SQLException e) {
            OUTBOX_SCHEMAS.forEach(s -> out.put(s, -1L));
        }
        return out;
    }

    @Override
    public void close() {
        admin.close();
        try {
            if (db != null) {
                db.close();
            }
        } catch (SQLException e) {
            // closing anyway
        }
    }
}
