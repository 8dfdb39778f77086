package io.dsplane.daemonset.service;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.dsplane.daemonset.config.StatusConfig;
import io.dsplane.daemonset.service.DaemonSetStatuses.FlushRound;
import io.dsplane.daemonset.service.DaemonSetStatuses.StatusesPending;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * StatusFlusher recomputes the DaemonSets whose status is marked pending, on a daemon thread of its own
 * ({@code daemonset-status-flusher}), in rounds of {@link DaemonSetStatuses#flushPending}. Rounds of
 * one instance start at least {@code dsplane.status.coalesce-interval} apart, or four times the last
 * round's duration when that is longer ({@link #roundSpacingNanos}), and a round recomputes a
 * DaemonSet at most once, however many batches marked it meanwhile: that is the coalescing. Each
 * instance paces its own rounds, and two instances never claim the same mark at once (SKIP LOCKED).
 *
 * <p>When to run a round: right after a batch that marked statuses commits (the batch's transaction
 * fires {@link StatusesPending}; this bean observes it after success) unless the last round started less
 * than an interval ago, in which case the round waits out the rest of the interval and then takes
 * everything marked meanwhile. So an idle service answers a change within milliseconds and a busy one
 * writes each status once per interval. Without a wake-up it still looks every {@link #IDLE_POLL}, and
 * once at start-up, for marks it was not told about: left by a crash after a batch committed, or by an
 * instance that stopped before flushing them.
 *
 * <p>A failed round rolls back and leaves its marks; the flusher logs it and tries again after a pause
 * that doubles with each failure in a row (from the interval, at least {@link #MIN_BACKOFF}, up to
 * {@link #MAX_BACKOFF}), so a database outage does not make it spin.
 */
@ApplicationScoped
public class StatusFlusher {

    private static final Logger LOG = Logger.getLogger(StatusFlusher.class);
    /**
     * 100 DaemonSets per round: bounds a round's transaction (each DaemonSet reads all its node states
     * under its row lock) to well under a second on clusters of hundreds of nodes. More pending than
     * that starts the next round one interval later, oldest marks first.
     */
    static final int MAX_PER_ROUND = 100;
    /** 1 s: how long a mark no in-process batch announced (a crash, another instance) may wait. */
    static final Duration IDLE_POLL = Duration.ofSeconds(1);
    /** 200 ms: the shortest pause after a failed round, for intervals shorter than that. */
    static final Duration MIN_BACKOFF = Duration.ofMillis(200);
    /** 30 s: the longest pause between failed rounds, so recovery is noticed within that. */
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    /**
     * 4: rounds start at least four times their own duration apart, so the flusher takes at most a
     * fifth of a database connection's time. A round's cost grows with the nodes of the DaemonSets it
     * recomputes (one grouped read of their states each); on a fleet of thousands of nodes under a
     * cold start, rounds every coalesce interval took a core of PostgreSQL from the writes they report on.
     */
    static final int ROUND_SPACING_FACTOR = 4;
    /** 5 s: the longest the spacing grows, so a status lags by at most that plus a round. */
    static final Duration MAX_SPACING = Duration.ofSeconds(5);
    /** 10 s: how long shutdown waits for a round in progress to finish. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);

    @Inject
    DaemonSetStatuses statuses;

    @Inject
    StatusConfig config;

    @Inject
    MeterRegistry meters;

    private final Semaphore wake = new Semaphore(0);
    private final CountDownLatch stopping = new CountDownLatch(1);
    /**
     * Age in milliseconds of the oldest mark the last round claimed, when the round began; 0 after a
     * round that claimed none.
     */
    private final AtomicLong lastMarkAgeMillis = new AtomicLong();
    private volatile Thread thread;
    private Counter roundsFlushed;
    private Counter roundsFailed;
    private Counter recomputed;

    void onStart(@Observes StartupEvent event) {
        roundsFlushed = meters.counter("dsplane.daemonset.status.flush.rounds", "outcome", "flushed");
        roundsFailed = meters.counter("dsplane.daemonset.status.flush.rounds", "outcome", "failed");
        recomputed = meters.counter("dsplane.daemonset.status.flush.recomputed");
        Gauge.builder("dsplane.daemonset.status.pending.age", lastMarkAgeMillis, a -> a.get() / 1000.0)
                .description("Age of the oldest status mark the last flush round took, when it began: how "
                        + "far DaemonSet statuses lag behind the stored node states")
                .baseUnit("seconds").register(meters);
        Thread t = new Thread(this::loop, "daemonset-status-flusher");
        t.setDaemon(true);
        t.setUncaughtExceptionHandler((th, e) -> LOG.error("the status flusher stopped; statuses are no longer "
                + "written after node-state batches", e));
        thread = t;
        // A first round at once: marks left by a crash or an earlier run.
        wake.release();
        t.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping.countDown();
        wake.release();
        Thread t = thread;
        if (t != null) {
            try {
                t.join(STOP_WAIT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** onStatusesPending wakes the flusher once a transaction that marked statuses has committed. */
    void onStatusesPending(@Observes(during = TransactionPhase.AFTER_SUCCESS) StatusesPending event) {
        wake.release();
    }

    private void loop() {
        long intervalNanos = Math.max(0, config.coalesceInterval().toNanos());
        long lastRound = System.nanoTime() - intervalNanos;
        long spacing = intervalNanos;
        int failures = 0;
        try {
            while (!stopped()) {
                wake.tryAcquire(IDLE_POLL.toMillis(), TimeUnit.MILLISECONDS);
                // At most one round per spacing: wait out the rest of it. What is marked meanwhile goes
                // into this round.
                long wait = lastRound + spacing - System.nanoTime();
                if (wait > 0 && pause(wait)) {
                    return;
                }
                // Wake-ups so far are for commits this round's claim will see.
                wake.drainPermits();
                lastRound = System.nanoTime();
                Instant now = Instant.now();
                try {
                    FlushRound round = statuses.flushPending(now, MAX_PER_ROUND);
                    spacing = roundSpacingNanos(intervalNanos, System.nanoTime() - lastRound);
                    failures = 0;
                    record(round, now);
                    if (round.recomputed() >= MAX_PER_ROUND) {
                        // Probably more pending: the next round follows after the interval.
                        wake.release();
                    }
                } catch (RuntimeException e) {
                    failures++;
                    roundsFailed.increment();
                    long backoff = backoffNanos(intervalNanos, failures);
                    if (failures == 1) {
                        LOG.warnf(e, "a status flush round failed; the marks stay, retrying in %d ms",
                                TimeUnit.NANOSECONDS.toMillis(backoff));
                    } else {
                        LOG.warnf("a status flush round failed (%d in a row); retrying in %d ms: %s", failures,
                                TimeUnit.NANOSECONDS.toMillis(backoff), e.toString());
                    }
                    wake.release();
                    if (pause(backoff)) {
                        return;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void record(FlushRound round, Instant start) {
        if (round.recomputed() == 0) {
            lastMarkAgeMillis.set(0);
            return;
        }
        roundsFlushed.increment();
        recomputed.increment(round.recomputed());
        long age = round.oldestMark().map(since -> Duration.between(since, start).toMillis()).orElse(0L);
        lastMarkAgeMillis.set(Math.max(0, age));
        LOG.debugf("status flush round: %d DaemonSets recomputed, %d statuses written, oldest mark %d ms old",
                round.recomputed(), round.written(), age);
    }

    /**
     * roundSpacingNanos is the shortest time from the start of a round that took {@code roundNanos} to
     * the start of the next: the coalesce interval, or {@link #ROUND_SPACING_FACTOR} times the round
     * when that is longer, but never more than {@link #MAX_SPACING} (nor less than the interval).
     */
    static long roundSpacingNanos(long intervalNanos, long roundNanos) {
        long spaced = Math.min(Math.max(0, roundNanos) * ROUND_SPACING_FACTOR, MAX_SPACING.toNanos());
        return Math.max(intervalNanos, spaced);
    }

    /** backoffNanos is the pause after {@code failures} failed rounds in a row: doubling, bounded. */
    static long backoffNanos(long intervalNanos, int failures) {
        long max = MAX_BACKOFF.toNanos();
        long pause = Math.min(Math.max(intervalNanos, MIN_BACKOFF.toNanos()), max);
        for (int i = 1; i < failures && pause < max; i++) {
            pause = Math.min(pause * 2, max);
        }
        return pause;
    }

    /** pause waits {@code nanos} unless the service stops first; returns whether it is stopping. */
    private boolean pause(long nanos) throws InterruptedException {
        return stopping.await(nanos, TimeUnit.NANOSECONDS);
    }

    private boolean stopped() {
        return stopping.getCount() == 0;
    }
}
