package io.dsplane.contracts.registry;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.sql.DataSource;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.dsplane.contracts.event.Topics;

/**
 * OutboxRelay publishes outbox rows to Kafka in id order and deletes them once the broker has
 * acknowledged them (acks=all, idempotent producer). A crash between publish and delete publishes the
 * rows again on restart: at-least-once delivery, made harmless by consumers that are idempotent per
 * event id or resourceVersion. Only one relay of a service publishes at a time (a PostgreSQL advisory
 * lock), which keeps per-key order when a service runs several instances. A row with a partition key
 * goes to that key's partition ({@link Topics#partitionOf}), a row without one to its record key's.
 */
public class OutboxRelay implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class.getName());
    /** 2000 rows: large enough to amortise the broker round trip, small enough to keep a transaction short. */
    public static final int DEFAULT_BATCH = 2000;
    /** 250 ms: the fallback poll when no in-process write woke the relay (writes of other instances). */
    private static final long IDLE_POLL_MS = 250;

    private final DataSource dataSource;
    private final long lockId;
    private final int batchSize;
    private final KafkaProducer<String, byte[]> producer;
    private final Semaphore wake = new Semaphore(0);
    private final AtomicLong published = new AtomicLong();
    private volatile boolean running;
    private volatile Thread thread;
    private volatile String lastError;

    /**
     * @param lockName names the advisory lock; use the service's schema so instances of one service
     *                 exclude each other and different services never do
     */
    public OutboxRelay(DataSource dataSource, String bootstrapServers, String lockName, int batchSize) {
        this.dataSource = dataSource;
        this.lockId = lockName.hashCode();
        this.batchSize = batchSize;
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "outbox-relay-" + lockName);
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    /** start runs the relay on its own thread until {@link #close()}. */
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = new Thread(this::loop, "outbox-relay");
        thread.setDaemon(true);
        thread.start();
    }

    /** wakeUp makes the relay look at the outbox now; call it after a transaction that wrote events commits. */
    public void wakeUp() {
        wake.release();
    }

    /** published is the number of records published since start, for metrics. */
    public long published() {
        return published.get();
    }

    /** lastError is the last publishing failure, or null after a successful round; for health checks. */
    public String lastError() {
        return lastError;
    }

    private void loop() {
        while (running) {
            try {
                int n = relayOnce();
                lastError = null;
                if (n < batchSize) {
                    wake.tryAcquire(IDLE_POLL_MS, TimeUnit.MILLISECONDS);
                    wake.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                lastError = e.toString();
                LOG.log(Level.WARNING, "outbox relay round failed; retrying", e);
                try {
                    wake.tryAcquire(1, TimeUnit.SECONDS);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * relayOnce publishes up to one batch and returns how many rows it published. Exposed for tests
     * that want to drive the relay step by step.
     */
    public int relayOnce() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (!tryLock(c)) {
                    c.rollback();
                    return 0;
                }
                List<Long> ids = new ArrayList<>();
                List<Future<RecordMetadata>> sends = new ArrayList<>();
                Map<String, Integer> partitionCounts = new HashMap<>();
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT id, topic, key, partition_key, payload FROM outbox ORDER BY id LIMIT ?")) {
                    ps.setInt(1, batchSize);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            ids.add(rs.getLong(1));
                            String topic = rs.getString(2);
                            String partitionKey = rs.getString(4);
                            Integer partition = partitionKey == null ? null : Topics.partitionOf(partitionKey,
                                    partitionCounts.computeIfAbsent(topic, t -> producer.partitionsFor(t).size()));
                            String payload = rs.getString(5);
                            byte[] value = payload == null ? null : payload.getBytes(StandardCharsets.UTF_8);
                            sends.add(producer.send(new ProducerRecord<>(topic, partition, rs.getString(3), value)));
                        }
                    }
                }
                if (ids.isEmpty()) {
                    c.rollback();
                    return 0;
                }
                producer.flush();
                for (Future<RecordMetadata> f : sends) {
                    f.get(60, TimeUnit.SECONDS);
                }
                try (PreparedStatement del = c.prepareStatement("DELETE FROM outbox WHERE id = ANY (?)")) {
                    del.setArray(1, c.createArrayOf("bigint", ids.toArray()));
                    del.executeUpdate();
                }
                c.commit();
                published.addAndGet(ids.size());
                return ids.size();
            } catch (Exception e) {
                safeRollback(c);
                throw e;
            }
        }
    }

    private boolean tryLock(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_xact_lock(?)")) {
            ps.setLong(1, lockId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private static void safeRollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            LOG.log(Level.FINE, "rollback failed", e);
        }
    }

    @Override
    public void close() {
        running = false;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
