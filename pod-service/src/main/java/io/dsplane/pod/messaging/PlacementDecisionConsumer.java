package io.dsplane.pod.messaging;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.dsplane.contracts.event.EventCodec;
import io.dsplane.contracts.event.ParkedRecords;
import io.dsplane.contracts.event.PlacementDecision;
import io.dsplane.contracts.event.ResourceEvent;
import io.dsplane.contracts.registry.DatabaseFailures;
import io.dsplane.pod.config.PodServiceConfig;
import io.dsplane.pod.service.PlacementDecisions;
import io.dsplane.pod.service.PlacementDecisions.Outcome;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Blocking;

/**
 * PlacementDecisionConsumer reads the scheduler's decisions from dsplane.placement-decisions.v1 (key =
 * node name, so the decisions for one node arrive in order) in batches, and applies each batch in one
 * database transaction. A record that cannot be read, or that the registry refuses, is parked on its
 * own and the rest of the batch goes on. The batch is acknowledged, and its offsets become eligible
 * for commit, only after the transaction has committed and the parked records are on the broker.
 */
@ApplicationScoped
public class PlacementDecisionConsumer {

    private static final Logger LOG = Logger.getLogger(PlacementDecisionConsumer.class);
    /** Parking cause of a record that is not a readable decision. */
    public static final String MALFORMED = "MalformedEvent";
    /** 250 ms: the first pause before retrying a batch after a database failure; doubled each time. */
    private static final long RETRY_PAUSE_MS = 250;

    @Inject
    PlacementDecisions decisions;

    @Inject
    ParkedRecords parking;

    @Inject
    PodServiceConfig config;

    @Inject
    MeterRegistry meters;

    @Incoming("placement-decisions")
    @Blocking
    public void consume(ConsumerRecords<String, byte[]> records) {
        List<ConsumerRecord<String, byte[]>> readable = new ArrayList<>(records.count());
        List<PlacementDecision> decoded = new ArrayList<>(records.count());
        List<ParkedRecords.Parked> toPark = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                PlacementDecision decision = EventCodec.decodeDecision(record.value());
                if (decision.schemaVersion() > ResourceEvent.SCHEMA_VERSION) {
                    throw new EventCodec.MalformedEventException("schemaVersion " + decision.schemaVersion()
                            + " is newer than " + ResourceEvent.SCHEMA_VERSION);
                }
                readable.add(record);
                decoded.add(decision);
            } catch (EventCodec.MalformedEventException e) {
                toPark.add(ParkedRecords.Parked.of(record, e.getMessage(), MALFORMED));
                count("malformed");
            }
        }
        List<Outcome> outcomes = apply(decoded);
        for (int i = 0; i < outcomes.size(); i++) {
            Outcome outcome = outcomes.get(i);
            count(outcome.result().name().toLowerCase(java.util.Locale.ROOT));
            if (outcome.parked()) {
                LOG.warnf("parking decision %s: %s", decoded.get(i).decisionId(), outcome.reason());
                toPark.add(ParkedRecords.Parked.of(readable.get(i), outcome.reason(), outcome.cause()));
            }
        }
        toPark.sort(Comparator.comparingInt(ParkedRecords.Parked::partition)
                .thenComparingLong(ParkedRecords.Parked::offset));
        parking.park(PlacementDecisions.CONSUMER, toPark, config.decisions().parkTimeout());
    }

    /**
     * apply runs the batch in one transaction. When the batch fails because of one decision (not the
     * database), the decisions are applied one by one so that only the culprit is parked; decisions
     * already applied are recognised by their ids. A database failure is retried a few times and then
     * thrown, which stops the channel without committing.
     */
    private List<Outcome> apply(List<PlacementDecision> decoded) {
        if (decoded.isEmpty()) {
            return List.of();
        }
        int attempts = Math.max(1, config.decisions().retryAttempts());
        for (int attempt = 1;; attempt++) {
            try {
                try {
                    return decisions.applyAll(decoded);
                } catch (RuntimeException e) {
                    if (DatabaseFailures.isDatabaseFailure(e)) {
                        throw e;
                    }
                    LOG.warnf(e, "a batch of %d decisions failed; applying them one by one", decoded.size());
                    return applyOneByOne(decoded);
                }
            } catch (RuntimeException e) {
                if (!DatabaseFailures.isDatabaseFailure(e) || attempt >= attempts) {
                    throw e;
                }
                LOG.warnf("database failure applying decisions (attempt %d of %d), retrying: %s", attempt, attempts,
                        e.toString());
                pause(RETRY_PAUSE_MS << (attempt - 1));
            }
        }
    }

    private List<Outcome> applyOneByOne(List<PlacementDecision> decoded) {
        List<Outcome> outcomes = new ArrayList<>(decoded.size());
        for (PlacementDecision d : decoded) {
            try {
                outcomes.add(decisions.applyOne(d));
            } catch (RuntimeException e) {
                if (DatabaseFailures.isDatabaseFailure(e)) {
                    throw e;
                }
                outcomes.add(Outcome.failed(e.getMessage() == null ? e.toString() : e.getMessage(),
                        e.getClass().getName()));
            }
        }
        return outcomes;
    }

    private void count(String outcome) {
        meters.counter("dsplane.pod.decisions", "outcome", outcome).increment();
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry", e);
        }
    }
}
