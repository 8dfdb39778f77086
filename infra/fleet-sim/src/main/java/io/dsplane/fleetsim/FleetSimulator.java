package io.dsplane.fleetsim;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.dsplane.contracts.event.EventCodec;
import io.dsplane.contracts.event.EventType;
import io.dsplane.contracts.event.Topics;

/**
 * FleetSimulator plays the node agents of a fleet through Kafka only: it registers each node with a v1
 * Node on dsplane.node-status.v1 (key = node name), heartbeats every node once per interval (the same
 * report with new heartbeat times, spread evenly over the interval), and, when pod status reporting is
 * on, watches dsplane.pods.v1 and reports every pod bound to one of its nodes as Running and Ready (or,
 * for a fraction, Failed) on dsplane.pod-status.v1 after a delay.
 */
public final class FleetSimulator implements AutoCloseable {

    /** What the simulator does (command-line options: infra/sim/run --help; docs/benchmarks.md). */
    public record Config(String bootstrap, Duration heartbeatInterval, boolean reportPodStatus, Duration readyDelay,
            double failFraction, boolean podsFromBeginning, long seed) {
    }

    /** One node of the fleet and what its agent last reported. */
    public static final class NodeState {
        final SimNode node;
        final Instant booted;
        volatile int variant;

        NodeState(SimNode node, Instant booted) {
            this.node = node;
            this.booted = booted;
        }

        public SimNode node() {
            return node;
        }

        public Instant booted() {
            return booted;
        }

        public int variant() {
            return variant;
        }

        public void variant(int v) {
            variant = v;
        }
    }

    private static final long TICK_MS = 100;

    private final Config config;
    private final KafkaProducer<String, byte[]> producer;
    private final Map<String, NodeState> byName = new ConcurrentHashMap<>();
    private final List<NodeState> heartbeatOrder = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "fleet-sim-timer");
        t.setDaemon(true);
        return t;
    });
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    /** Uids of terminating pods already reported stopped. */
    private final Set<String> stopped = ConcurrentHashMap.newKeySet();
    private final Random random;
    private final AtomicLong podIps = new AtomicLong();
    private volatile boolean running = true;
    private volatile boolean heartbeats = true;
    private Thread podWatcher;
    private KafkaConsumer<String, byte[]> podConsumer;
    private double heartbeatDebt;
    private int heartbeatCursor;

    public final AtomicLong registrations = new AtomicLong();
    public final AtomicLong heartbeatsSent = new AtomicLong();
    public final AtomicLong runningReported = new AtomicLong();
    public final AtomicLong failedReported = new AtomicLong();
    public final AtomicLong stoppedReported = new AtomicLong();
    public final AtomicLong sendErrors = new AtomicLong();
    private volatile String lastError;

    public FleetSimulator(Config config) {
        this.config = config;
        this.random = new Random(config.seed());
        this.producer = new KafkaProducer<>(producerProps(config.bootstrap(), "fleet-sim"));
    }

    /** producerProps: acks=all and idempotent like the services' own producers; small linger for batching. */
    public static Properties producerProps(String bootstrap, String clientId) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    /** start begins heartbeating (nodes registered later join the rotation) and, if asked, the pod watcher. */
    public void start() {
        timers.scheduleAtFixedRate(this::heartbeatTick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
        if (config.reportPodStatus()) {
            podWatcher = new Thread(this::watchPods, "fleet-sim-pod-watcher");
            podWatcher.setDaemon(true);
            podWatcher.start();
        }
    }

    /**
     * register sends the registration of each node (its first report) and returns one future per node,
     * completed when the broker acknowledged it. The nodes then heartbeat with the rest of the fleet.
     */
    public List<CompletableFuture<Long>> register(List<SimNode> nodes) {
        List<CompletableFuture<Long>> acks = new ArrayList<>(nodes.size());
        Instant now = Instant.now();
        for (SimNode node : nodes) {
            NodeState state = new NodeState(node, now);
            if (byName.putIfAbsent(node.name(), state) != null) {
                throw new IllegalArgumentException("node " + node.name() + " is already part of the fleet");
            }
            acks.add(send(Topics.NODE_STATUS, node.name(), AgentMessages.nodeReportBytes(node, now, now, 0)));
            registrations.incrementAndGet();
            heartbeatOrder.add(state);
        }
        return acks;
    }

    /**
     * send publishes one record and returns a future of the {@link System#nanoTime()} at which the
     * broker acknowledged it; failures are counted (and the last one kept for the status line).
     */
    public CompletableFuture<Long> send(String topic, String key, byte[] value) {
        CompletableFuture<Long> ack = new CompletableFuture<>();
        producer.send(new ProducerRecord<>(topic, key, value), (md, e) -> {
            if (e != null) {
                sendErrors.incrementAndGet();
                lastError = e.toString();
                ack.completeExceptionally(e);
            } else {
                ack.complete(System.nanoTime());
            }
        });
        return ack;
    }

    public void flush() {
        producer.flush();
    }

    /** nodes are the fleet's nodes in registration order. */
    public List<NodeState> nodes() {
        return heartbeatOrder;
    }

    public NodeState node(String name) {
        return byName.get(name);
    }

    /** heartbeats(false) pauses the heartbeats (the node lifecycle then marks the nodes Unknown after its grace period). */
    public void heartbeats(boolean on) {
        heartbeats = on;
    }

    public String lastError() {
        return lastError;
    }

    private void heartbeatTick() {
        try {
            if (!heartbeats || !running) {
                return;
            }
            List<NodeState> order = heartbeatOrder;
            int n = order.size();
            if (n == 0) {
                return;
            }
            heartbeatDebt += n * (double) TICK_MS / config.heartbeatInterval().toMillis();
            Instant now = Instant.now();
            while (heartbeatDebt >= 1) {
                heartbeatDebt -= 1;
                NodeState s = order.get(heartbeatCursor % n);
                heartbeatCursor = (heartbeatCursor + 1) % n;
                send(Topics.NODE_STATUS, s.node.name(), AgentMessages.nodeReportBytes(s.node, s.booted, now, s.variant));
                heartbeatsSent.incrementAndGet();
            }
        } catch (RuntimeException e) {
            lastError = e.toString();
        }
    }

    // ------------------------------------------------------------------ pod status

    private void watchPods() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrap());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "fleet-sim-pods");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p)) {
            podConsumer = consumer;
            List<TopicPartition> parts = new ArrayList<>();
            consumer.partitionsFor(Topics.PODS, Duration.ofSeconds(60))
                    .forEach(pi -> parts.add(new TopicPartition(pi.topic(), pi.partition())));
            consumer.assign(parts);
            if (config.podsFromBeginning()) {
                consumer.seekToBeginning(parts);
            } else {
                consumer.seekToEnd(parts);
            }
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    PodEvent e = PodEvent.parse(r.key(), r.value());
                    if (e != null) {
                        onPod(e);
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            lastError = "pod watcher: " + e;
        }
    }

    private void onPod(PodEvent e) {
        if (e.type() == EventType.DELETED && e.uid() != null) {
            reported.remove(e.uid());
            stopped.remove(e.uid());
        }
        if (e.type() == EventType.DELETED || e.nodeName() == null || e.uid() == null) {
            return;
        }
        NodeState node = byName.get(e.nodeName());
        if (node == null) {
            return;
        }
        if (e.terminating()) {
            // The agent stops the containers at once and says so, which ends the grace period early.
            if (stopped.add(e.uid())) {
                AgentMessages.PodOnNode pod = new AgentMessages.PodOnNode(e.namespace(), e.name(), e.uid(),
                        e.nodeName(), e.containers());
                send(Topics.POD_STATUS, e.namespace() + "/" + e.name(),
                        EventCodec.encode(AgentMessages.podStopped(pod, Instant.now())));
                stoppedReported.incrementAndGet();
            }
            return;
        }
        if (e.phase() != null && !"Pending".equals(e.phase())) {
            reported.add(e.uid());
            return;
        }
        if (!reported.add(e.uid())) {
            return;
        }
        boolean fail;
        long delayMs;
        synchronized (random) {
            fail = random.nextDouble() < config.failFraction();
            // +-20 % around the configured delay, so a fleet's reports do not arrive in lockstep.
            delayMs = Math.round(config.readyDelay().toMillis() * (0.8 + 0.4 * random.nextDouble()));
        }
        AgentMessages.PodOnNode pod = new AgentMessages.PodOnNode(e.namespace(), e.name(), e.uid(), e.nodeName(),
                e.containers());
        Instant scheduled = Instant.now();
        timers.schedule(() -> {
            long ip = podIps.incrementAndGet();
            String podIP = "172." + (16 + ((ip >> 16) & 15)) + "." + ((ip >> 8) & 255) + "." + (ip & 255);
            byte[] value = EventCodec.encode(AgentMessages.podStatus(pod, node.node.internalIP(), podIP, scheduled,
                    Instant.now(), fail));
            send(Topics.POD_STATUS, e.namespace() + "/" + e.name(), value);
            (fail ? failedReported : runningReported).incrementAndGet();
        }, delayMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        running = false;
        timers.shutdownNow();
        KafkaConsumer<String, byte[]> c = podConsumer;
        if (c != null) {
            c.wakeup();
        }
        if (podWatcher != null) {
            try {
                podWatcher.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        producer.close(Duration.ofSeconds(10));
    }
}
