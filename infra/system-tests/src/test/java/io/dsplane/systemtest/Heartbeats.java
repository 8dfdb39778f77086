package io.dsplane.systemtest;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.dsplane.broker.TopicProbe;
import io.dsplane.contracts.event.Topics;

/**
 * Heartbeats plays the agents of nodes registered through Kafka: it re-sends each node's report on
 * dsplane.node-status.v1 every 10 s, as an agent does, so that the node lifecycle does not mark the
 * test's nodes unreachable (40 s grace period) while a test still needs them. A node can be made
 * silent ({@link #stop}) to test exactly that.
 */
public final class Heartbeats implements AutoCloseable {

    /** 10 s: kubelet's default node status report frequency. */
    private static final long INTERVAL_SECONDS = 10;

    private final ControlPlane cp;
    private final Map<String, String> reports = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "heartbeats");
        t.setDaemon(true);
        return t;
    });

    public Heartbeats(ControlPlane cp) {
        this.cp = cp;
        timer.scheduleAtFixedRate(this::beat, INTERVAL_SECONDS, INTERVAL_SECONDS, TimeUnit.SECONDS);
    }

    /** register sends the nodes' first reports now and keeps sending them. */
    public void register(List<TopicProbe.Record> nodeReports) {
        TopicProbe.publish(cp.bootstrap(), Topics.NODE_STATUS, nodeReports);
        nodeReports.forEach(r -> reports.put(r.key(), r.value()));
    }

    /** stop makes a node's agent fall silent. */
    public void stop(String node) {
        reports.remove(node);
    }

    private void beat() {
        List<TopicProbe.Record> batch = reports.entrySet().stream()
                .map(e -> new TopicProbe.Record(e.getKey(), e.getValue(), Map.of())).toList();
        if (!batch.isEmpty()) {
            TopicProbe.publish(cp.bootstrap(), Topics.NODE_STATUS, batch);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
