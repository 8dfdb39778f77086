package io.dsplane.pod.service;

import java.sql.Timestamp;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.dsplane.contracts.registry.ProcessedMessage;
import io.dsplane.pod.config.PodServiceConfig;
import io.quarkus.scheduler.Scheduled;

/**
 * ProcessedDecisionsCleanup forgets applied decision ids once the decisions topic no longer holds
 * them, so processed_messages stays as small as the topic.
 */
@ApplicationScoped
public class ProcessedDecisionsCleanup {

    private static final Logger LOG = Logger.getLogger(ProcessedDecisionsCleanup.class);

    @Inject
    PodServiceConfig config;

    @Scheduled(every = "{dsplane.pods.decisions.cleanup-every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void removeExpired() {
        Instant cutoff = Instant.now().minus(config.decisions().processedRetention());
        int removed = ProcessedMessage.getEntityManager()
                .createNativeQuery("DELETE FROM processed_messages WHERE consumer = ?1 AND processed_at < ?2")
                .setParameter(1, PlacementDecisions.CONSUMER).setParameter(2, Timestamp.from(cutoff))
                .executeUpdate();
        if (removed > 0) {
            LOG.infof("forgot %d decision ids applied before %s", removed, cutoff);
        }
    }
}
