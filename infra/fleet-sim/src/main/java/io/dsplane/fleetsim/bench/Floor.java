package io.dsplane.fleetsim.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.JsonNode;

import io.dsplane.contracts.api.KubeJson;

/**
 * Floor measures what the same work costs with nothing but the two systems the control plane stores
 * into, on the same machine in the same run: (1) raw Kafka, producing M records of the pods' size to a
 * scratch topic (as many partitions as the product's topics; acks=all, idempotent, lz4, like the outbox
 * relay) while one consumer reads them, from the first send to the last record read; (2) raw
 * PostgreSQL, inserting M pod rows (JSONB body of a real pod) into the registry's objects table, made in
 * a scratch database by the registry's own migrations, JDBC batches of 1,000 with reWriteBatchedInserts,
 * one commit per batch. Both scratch objects are deleted afterwards.
 */
public final class Floor {

    /** Result of one floor measurement. */
    public record Result(long records, int valueBytes, long nanos) {
        public double perSecond() {
            return records / (nanos / 1e9);
        }
    }

    /**
     * The registry's migrations (contracts, {@code db/registry}), in order: the floor's table is made as
     * the services' is, with every index and the same compression.
     */
    static final List<String> REGISTRY_MIGRATIONS = List.of("V1__object_registry.sql", "V2__objects_terminating.sql",
            "V3__outbox_partition_key.sql", "V4__bodies_lz4.sql");

    private Floor() {
    }

    private static String resource(String path) throws IOException {
        try (InputStream in = Floor.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IOException("not on the class path: " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** kafka produces and consumes {@code count} copies of {@code value} through a scratch topic. */
    public static Result kafka(Admin admin, String bootstrap, int partitions, long count, byte[] value)
            throws Exception {
        String topic = "dsplane-bench.floor." + System.currentTimeMillis();
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(60, TimeUnit.SECONDS);
        try {
            Properties cp = new Properties();
            cp.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            cp.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            cp.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            cp.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            cp.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
            cp.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20);
            Properties pp = new Properties();
            pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            pp.put(ProducerConfig.ACKS_CONFIG, "all");
            pp.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            pp.put(ProducerConfig.LINGER_MS_CONFIG, 2);
            pp.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
            pp.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
            pp.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            pp.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(cp);
                    KafkaProducer<String, byte[]> producer = new KafkaProducer<>(pp)) {
                List<TopicPartition> parts = new ArrayList<>();
                for (int i = 0; i < partitions; i++) {
                    parts.add(new TopicPartition(topic, i));
                }
                consumer.assign(parts);
                consumer.seekToBeginning(parts);
                parts.forEach(consumer::position);
                long[] read = {0};
                Thread reader = new Thread(() -> {
                    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
                    while (read[0] < count && System.nanoTime() < deadline) {
                        read[0] += consumer.poll(Duration.ofMillis(100)).count();
                    }
                }, "floor-reader");
                long t0 = System.nanoTime();
                reader.start();
                for (long i = 0; i < count; i++) {
                    producer.send(new ProducerRecord<>(topic, "bench/floor-" + i, value));
                }
                producer.flush();
                reader.join();
                long nanos = System.nanoTime() - t0;
                if (read[0] < count) {
                    throw new IllegalStateException("the floor consumer read only " + read[0] + " of " + count);
                }
                return new Result(count, value.length, nanos);
            }
        } finally {
            admin.deleteTopics(Set.of(topic)).all().get(60, TimeUnit.SECONDS);
        }
    }

    /**
     * postgres inserts {@code count} pod rows into a fresh scratch database {@code scratchDb} (created
     * and dropped here) through the server at {@code adminUrl} (a JDBC URL of an existing database).
     */
    public static Result postgres(String adminUrl, String user, String password, String scratchDb, long count,
            byte[] sampleEvent) throws Exception {
        JsonNode pod = KubeJson.json().readTree(sampleEvent).path("object");
        String body = KubeJson.json().writeValueAsString(pod);
        String ownerUid = UUID.randomUUID().toString();
        try (Connection admin = DriverManager.getConnection(adminUrl, user, password);
                Statement st = admin.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + scratchDb + " WITH (FORCE)");
            st.execute("CREATE DATABASE " + scratchDb);
        }
        String scratchUrl = adminUrl.replaceFirst("/[^/?]*(\\?|$)", "/" + scratchDb + "$1");
        Properties props = new Properties();
        props.put("user", user);
        props.put("password", password);
        props.put("reWriteBatchedInserts", "true");
        try {
            try (Connection c = DriverManager.getConnection(scratchUrl, props)) {
                try (Statement st = c.createStatement()) {
                    // The registry's tables as its own migrations make them (indexes, compression).
                    for (String migration : REGISTRY_MIGRATIONS) {
                        st.execute(resource("/db/registry/" + migration));
                    }
                }
                c.setAutoCommit(false);
                long t0 = System.nanoTime();
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO objects (kind, namespace, name, uid,"
                        + " resource_version, node_name, owner_uid, body, created_at) VALUES (?,?,?,?,?,?,?,?::jsonb,?)")) {
                    Timestamp now = Timestamp.from(Instant.now());
                    for (long i = 0; i < count; i++) {
                        ps.setString(1, "Pod");
                        ps.setString(2, "bench");
                        ps.setString(3, "floor-" + i);
                        ps.setString(4, UUID.randomUUID().toString());
                        ps.setLong(5, i + 1);
                        ps.setString(6, "node-" + (i % 5000));
                        ps.setString(7, ownerUid);
                        ps.setString(8, body);
                        ps.setTimestamp(9, now);
                        ps.addBatch();
                        if ((i + 1) % 1000 == 0 || i == count - 1) {
                            ps.executeBatch();
                            c.commit();
                        }
                    }
                }
                long nanos = System.nanoTime() - t0;
                return new Result(count, body.getBytes(StandardCharsets.UTF_8).length, nanos);
            }
        } finally {
            try (Connection admin = DriverManager.getConnection(adminUrl, user, password);
                    Statement st = admin.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + scratchDb + " WITH (FORCE)");
            } catch (SQLException e) {
                System.err.println("WARN: could not drop scratch database " + scratchDb + ": " + e.getMessage());
            }
        }
    }
}
