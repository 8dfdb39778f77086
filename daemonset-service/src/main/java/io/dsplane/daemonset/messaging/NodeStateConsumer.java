package io.dsplane.daemonset.messaging;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.dsplane.contracts.event.ParkedRecords;
import io.dsplane.daemonset.config.StatusConfig;
import io.dsplane.daemonset.service.DaemonSetStatuses;
import io.dsplane.daemonset.status.NodeStateRecords;
import io.dsplane.daemonset.status.NodeStateRecords.Change;
import io.dsplane.daemonset.status.NodeStateRecords.Rejected;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Blocking;

/**
 * NodeStateConsumer reads dsplane.daemonset-node-states.v1 (key {@code namespace/name|node}, compacted)
 * in batches. Per batch: records that cannot be used are parked one by one and the rest goes on; the
 * last state per key is stored (a tombstone deletes it) and every DaemonSet touched is marked "status
 * pending", in one database transaction; then the batch is acknowledged. Applying a batch twice
 * (redelivery after a crash) stores the same rows and marks again, so the consumer is idempotent
 * without remembering offsets.
 *
 * <p>The statuses themselves are not computed here: {@link io.dsplane.daemonset.service.StatusFlusher}
 * recomputes the marked DaemonSets once per {@code dsplane.status.coalesce-interval}, so a DaemonSet
 * named by many small batches (a cold start of hundreds of nodes) gets one status write per interval
 * instead of one per batch, and a batch costs a few statements whatever the number of nodes a
 * DaemonSet has. The marks are written with the states, so a crash after the commit loses no status
 * update.
 *
 * <p>A batch that keeps failing in the database is retried a few times and then thrown: the channel
 * stops without committing (failure-strategy=fail), health turns DOWN, and a restart redelivers it.
 */
@ApplicationScoped
public class NodeStateConsumer {

    /** The consumer name in parking headers; also the consumer group. */
    public static final String CONSUMER = "daemonset-service";
    private static final Logger LOG = Logger.getLogger(NodeStateConsumer.class);
    /** 200 ms: the first pause before retrying a failed batch (lock timeout, lost connection); doubled each time. */
    private static final long RETRY_PAUSE_MS = 200;

    @Inject
    DaemonSetStatuses statuses;

    @Inject
    ParkedRecords parking;

    @Inject
    StatusConfig config;

    @Inject
    MeterRegistry meters;

    @Incoming("daemonset-node-states")
    @Blocking
    public void consume(ConsumerRecords<String, byte[]> records) {
        // Last change per key: a key lives in one partition, and a batch holds each partition in offset order.
        Map<String, Change> latest = new LinkedHashMap<>();
        List<ParkedRecords.Parked> toPark = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            NodeStateRecords.Parsed parsed = NodeStateRecords.parse(record.key(), record.value());
            if (parsed instanceof Change change) {
                latest.put(record.key(), change);
            } else if (parsed instanceof Rejected rejected) {
                LOG.warnf("parking %s-%d@%d (key %s): %s", record.topic(), record.partition(), record.offset(),
                        record.key(), rejected.reason());
                toPark.add(ParkedRecords.Parked.of(record, rejected.reason(), rejected.cause()));
            }
        }
        if (!latest.isEmpty()) {
            apply(List.copyOf(latest.values()));
            meters.counter("dsplane.daemonset.node-states", "outcome", "applied").increment(latest.size());
            meters.counter("dsplane.daemonset.node-states.batches").increment();
        }
        if (!toPark.isEmpty()) {
            parking.park(CONSUMER, toPark, config.parkTimeout());
            meters.counter("dsplane.daemonset.node-states", "outcome", "parked").increment(toPark.size());
        }
    }

    private void apply(List<Change> changes) {
        int attempts = Math.max(1, config.retryAttempts());
        for (int attempt = 1;; attempt++) {
            try {
                statuses.applyBatch(changes, Instant.now());
                return;
            } catch (RuntimeException e) {
                if (attempt >= attempts) {
                    throw e;
                }
                LOG.warnf("a batch of %d node states failed (attempt %d of %d), retrying: %s", changes.size(), attempt,
                        attempts, e.toString());
                pause(RETRY_PAUSE_MS << (attempt - 1));
            }
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry a batch", e);
        }
    }
}
