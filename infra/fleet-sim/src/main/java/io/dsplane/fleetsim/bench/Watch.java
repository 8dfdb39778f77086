package io.dsplane.fleetsim.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.dsplane.contracts.event.EventType;
import io.dsplane.contracts.event.Topics;
import io.dsplane.fleetsim.PodEvent;

/**
 * Watch reads, from their current end, the state and decision topics the benchmark times: every
 * daemon pod ADDED on dsplane.pods.v1 in the benchmark's namespace (distinct pods, per node, with
 * three clocks: when pod-service committed it (event timestamp), when its outbox published it (record
 * timestamp) and when this watcher saw it), the scheduler's CREATE decisions for that namespace, and
 * the node events on dsplane.nodes.v1.
 */
public final class Watch implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final String namespace;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile String error;
    private final byte[] createMarker;

    /** Distinct daemon pods seen ADDED (namespace/name). */
    private final Set<String> added = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicLong> perNode = new ConcurrentHashMap<>();
    private volatile BiConsumer<String, Long> onDaemonPodAdded = (node, nanos) -> { };
    private volatile BiConsumer<String, Long> onNodeEvent = (node, nanos) -> { };
    private volatile BiConsumer<String, Long> onCreate = (node, nanos) -> { };

    public final AtomicLong podEvents = new AtomicLong();
    public final AtomicLong decisions = new AtomicLong();
    public final AtomicLong benchCreates = new AtomicLong();
    public final AtomicLong nodeEvents = new AtomicLong();
    public final AtomicLong daemonPodDeletes = new AtomicLong();
    // Clocks of the daemon pods ADDED: nanoTime when seen; epoch millis of the event and record timestamps.
    private volatile long firstPodSeenNanos = -1;
    private volatile long lastPodSeenNanos = -1;
    private volatile long firstPodEventMillis = Long.MAX_VALUE;
    private volatile long lastPodEventMillis = -1;
    private volatile long lastPodRecordMillis = -1;
    private volatile long firstCreateSeenNanos = -1;
    private volatile long lastCreateSeenNanos = -1;
    private volatile long lastCreateRecordMillis = -1;
    private final AtomicLong podBytes = new AtomicLong();
    private volatile byte[] samplePodValue;

    public Watch(String bootstrap, String namespace) {
        this.namespace = namespace;
        this.createMarker = ("\"podNamespace\":\"" + namespace + "\"").getBytes(StandardCharsets.UTF_8);
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "dsplane-bench-watch");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20);
        // The state topics are written by the outbox relays (not transactional); decisions transactionally.
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer = new KafkaConsumer<>(p);
        List<TopicPartition> parts = new ArrayList<>();
        for (String topic : List.of(Topics.PODS, Topics.PLACEMENT_DECISIONS, Topics.NODES)) {
            consumer.partitionsFor(topic, Duration.ofSeconds(60))
                    .forEach(pi -> parts.add(new TopicPartition(pi.topic(), pi.partition())));
        }
        consumer.assign(parts);
        consumer.seekToEnd(parts);
        parts.forEach(consumer::position); // resolve the end offsets now, before any input is sent
        thread = new Thread(this::run, "dsplane-bench-watch");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
                long seen = System.nanoTime();
                // In causal order: a node event comes before the decisions it causes, and those before
                // the pods; within one poll (one clock reading) the topics are visited in that order.
                for (ConsumerRecord<String, byte[]> r : records.records(Topics.NODES)) {
                    nodeEvents.incrementAndGet();
                    onNodeEvent.accept(r.key(), seen);
                }
                for (ConsumerRecord<String, byte[]> r : records.records(Topics.PLACEMENT_DECISIONS)) {
                    onDecision(r, seen);
                }
                for (ConsumerRecord<String, byte[]> r : records.records(Topics.PODS)) {
                    onPod(r, seen);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            error = e.toString();
        }
    }

    private void onPod(ConsumerRecord<String, byte[]> r, long seen) {
        podEvents.incrementAndGet();
        PodEvent e = PodEvent.parse(r.key(), r.value());
        if (e == null || !namespace.equals(e.namespace())) {
            return;
        }
        if (e.type() == EventType.DELETED) {
            if (r.value() != null) {
                daemonPodDeletes.incrementAndGet();
            }
            return;
        }
        if (e.type() != EventType.ADDED || !e.daemonPod() || e.nodeName() == null) {
            return;
        }
        if (!added.add(e.key())) {
            return;
        }
        if (samplePodValue == null) {
            samplePodValue = r.value();
        }
        podBytes.addAndGet(r.value().length);
        if (firstPodSeenNanos < 0) {
            firstPodSeenNanos = seen;
        }
        lastPodSeenNanos = seen;
        if (e.timestamp() != null) {
            long ms = e.timestamp().toEpochMilli();
            firstPodEventMillis = Math.min(firstPodEventMillis, ms);
            lastPodEventMillis = Math.max(lastPodEventMillis, ms);
        }
        lastPodRecordMillis = Math.max(lastPodRecordMillis, r.timestamp());
        perNode.computeIfAbsent(e.nodeName(), n -> new AtomicLong()).incrementAndGet();
        onDaemonPodAdded.accept(e.nodeName(), seen);
    }

    private void onDecision(ConsumerRecord<String, byte[]> r, long seen) {
        decisions.incrementAndGet();
        byte[] v = r.value();
        if (v == null || indexOf(v, createMarker) < 0 || indexOf(v, CREATE) < 0) {
            return;
        }
        benchCreates.incrementAndGet();
        if (firstCreateSeenNanos < 0) {
            firstCreateSeenNanos = seen;
        }
        lastCreateSeenNanos = seen;
        lastCreateRecordMillis = Math.max(lastCreateRecordMillis, r.timestamp());
        onCreate.accept(r.key(), seen);
    }

    private static final byte[] CREATE = "\"action\":\"CREATE\"".getBytes(StandardCharsets.UTF_8);

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** onDaemonPodAdded sets the callback for each new daemon pod: (node, nanoTime seen). */
    public void onDaemonPodAdded(BiConsumer<String, Long> callback) {
        this.onDaemonPodAdded = callback;
    }

    /**
     * onHops sets the callbacks for each node event and each CREATE decision of the benchmark's
     * namespace: (record key, which is the node name for both; nanoTime seen).
     */
    public void onHops(BiConsumer<String, Long> nodeEvent, BiConsumer<String, Long> create) {
        this.onNodeEvent = nodeEvent;
        this.onCreate = create;
    }

    public int daemonPods() {
        return added.size();
    }

    public long podsOn(String node) {
        AtomicLong n = perNode.get(node);
        return n == null ? 0 : n.get();
    }

    public Map<String, AtomicLong> perNode() {
        return perNode;
    }

    public long firstPodSeenNanos() {
        return firstPodSeenNanos;
    }

    public long lastPodSeenNanos() {
        return lastPodSeenNanos;
    }

    public long firstPodEventMillis() {
        return firstPodEventMillis;
    }

    public long lastPodEventMillis() {
        return lastPodEventMillis;
    }

    public long lastPodRecordMillis() {
        return lastPodRecordMillis;
    }

    public long firstCreateSeenNanos() {
        return firstCreateSeenNanos;
    }

    public long lastCreateSeenNanos() {
        return lastCreateSeenNanos;
    }

    public long lastCreateRecordMillis() {
        return lastCreateRecordMillis;
    }

    public long averagePodBytes() {
        int n = added.size();
        return n == 0 ? 0 : podBytes.get() / n;
    }

    public byte[] samplePodValue() {
        return samplePodValue;
    }

    public String error() {
        return error;
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close(Duration.ofSeconds(5));
    }
}
