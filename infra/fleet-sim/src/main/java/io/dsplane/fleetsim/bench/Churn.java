package io.dsplane.fleetsim.bench;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.Histogram;

/**
 * Churn is the background load of M2: workload pods POSTed to pod-service (already bound to a random
 * node of the fleet, tiny requests, namespace {@code bench-churn}) and deleted again, at a fixed
 * operation rate. Until {@code pool} pods exist it only creates; then it alternates create and delete
 * (oldest first, with {@code gracePeriodSeconds=0}: removed at once, as a force delete), so the number
 * of workload pods stays about constant. At most {@code maxInFlight}
 * requests are outstanding; an operation that finds no free slot is skipped and counted, so the
 * achieved rate is reported honestly instead of queueing up.
 */
public final class Churn implements AutoCloseable {

    public static final String NAMESPACE = "bench-churn";

    private final Rest rest;
    private final String podUrl;
    private final double rate;
    private final int pool;
    private final List<String> nodes;
    private final Semaphore slots;
    private final Random random = new Random(7);
    private final ArrayDeque<String> live = new ArrayDeque<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bench-churn");
        t.setDaemon(true);
        return t;
    });
    private long seq;
    private boolean createNext = true;
    private double debt;
    private long startNanos;
    private long stopNanos;

    public final AtomicLong creates = new AtomicLong();
    public final AtomicLong deletes = new AtomicLong();
    public final AtomicLong errors = new AtomicLong();
    public final AtomicLong skipped = new AtomicLong();
    /** Latency of the churn requests themselves, microseconds. */
    private final Histogram latency = new Histogram(3_600_000_000L, 3);

    public Churn(Rest rest, String podBaseUrl, double rate, int pool, int maxInFlight, List<String> nodes) {
        this.rest = rest;
        this.podUrl = podBaseUrl + "/api/v1/namespaces/" + NAMESPACE + "/pods";
        this.rate = rate;
        this.pool = pool;
        this.nodes = List.copyOf(nodes);
        this.slots = new Semaphore(maxInFlight);
    }

    public void start() {
        if (rate <= 0) {
            return;
        }
        startNanos = System.nanoTime();
        timer.scheduleAtFixedRate(this::tick, 10, 10, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        debt += rate / 100.0;
        while (debt >= 1) {
            debt -= 1;
            if (!slots.tryAcquire()) {
                skipped.incrementAndGet();
                continue;
            }
            long t0 = System.nanoTime();
            boolean create = live.size() < pool || createNext || live.isEmpty();
            createNext = !createNext;
            if (create) {
                String name = "churn-" + (++seq);
                String node = nodes.get(random.nextInt(nodes.size()));
                live.addLast(name);
                rest.postAsync(podUrl, podJson(name, node)).whenComplete((resp, e) -> done(t0, resp == null ? -1
                        : resp.statusCode(), e, creates));
            } else {
                String name = live.pollFirst();
                rest.deleteAsync(podUrl + "/" + name + "?gracePeriodSeconds=0").whenComplete((resp, e) -> done(t0, resp == null ? -1
                        : resp.statusCode(), e, deletes));
            }
        }
    }

    private void done(long t0, int status, Throwable e, AtomicLong counter) {
        slots.release();
        synchronized (latency) {
            latency.recordValue(Math.max(0, (System.nanoTime() - t0) / 1000));
        }
        if (e != null || status / 100 != 2) {
            errors.incrementAndGet();
        } else {
            counter.incrementAndGet();
        }
    }

    static String podJson(String name, String node) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name
                + "\",\"labels\":{\"app\":\"bench-churn\"}},\"spec\":{\"nodeName\":\"" + node
                + "\",\"containers\":[{\"name\":\"app\",\"image\":\"registry.example/app:1\","
                + "\"resources\":{\"requests\":{\"cpu\":\"1m\",\"memory\":\"1Mi\"}}}]}}";
    }

    /**
     * latency is a copy of the request latencies (µs) recorded so far: requests still in flight after
     * {@link #close} keep recording into the live histogram, which must not be read while they do.
     */
    public Histogram latency() {
        synchronized (latency) {
            return latency.copy();
        }
    }

    /** achievedRate is completed operations per second since start (until close). */
    public double achievedRate() {
        long end = stopNanos == 0 ? System.nanoTime() : stopNanos;
        double s = (end - startNanos) / 1e9;
        return s <= 0 ? 0 : (creates.get() + deletes.get()) / s;
    }

    @Override
    public void close() {
        if (stopNanos != 0) {
            return;
        }
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stopNanos = System.nanoTime();
    }
}
