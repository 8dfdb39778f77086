package io.dsplane.contracts.registry;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

import javax.sql.DataSource;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.dsplane.contracts.event.TopicBootstrap;
import io.quarkus.runtime.StartupEvent;

/**
 * OutboxPublisher runs the {@link OutboxRelay} of a service that owns objects: it creates the topics
 * at start-up, starts the relay, and wakes it right after each transaction that queued events commits,
 * so events leave within milliseconds without polling the table in a tight loop.
 */
@ApplicationScoped
public class OutboxPublisher {

    @Inject
    DataSource dataSource;

    @Inject
    TransactionSynchronizationRegistry transactions;

    /** Kafka bootstrap servers of the product. */
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    /** Names the relay's advisory lock: the service's schema, so only instances of one service exclude each other. */
    @ConfigProperty(name = "dsplane.outbox.lock-name")
    String lockName;

    /** Rows published per round. */
    @ConfigProperty(name = "dsplane.outbox.batch-size", defaultValue = "2000")
    int batchSize;

    /** Partitions of topics created at start-up (existing topics keep theirs). */
    @ConfigProperty(name = "dsplane.topics.partitions", defaultValue = "6")
    int partitions;

    /** Replication factor of topics created at start-up: 1 for a single broker, 3 in production. */
    @ConfigProperty(name = "dsplane.topics.replication-factor", defaultValue = "1")
    short replicationFactor;

    private volatile OutboxRelay relay;

    void onStart(@Observes StartupEvent event) {
        TopicBootstrap.ensureTopics(bootstrapServers, partitions, replicationFactor);
        relay = new OutboxRelay(dataSource, bootstrapServers, lockName, batchSize);
        relay.start();
    }

    @PreDestroy
    void stop() {
        if (relay != null) {
            relay.close();
        }
    }

    /**
     * wakeAfterCommit asks the relay to publish as soon as the current transaction commits. Called by
     * {@link ObjectRegistry} each time it queues an event.
     */
    public void wakeAfterCommit() {
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                OutboxRelay r = relay;
                if (status == Status.STATUS_COMMITTED && r != null) {
                    r.wakeUp();
                }
            }
        });
    }

    /** published counts records published since start. */
    public long published() {
        OutboxRelay r = relay;
        return r == null ? 0 : r.published();
    }

    /** lastError is the relay's last failure, "not started" before start-up, or null when healthy. */
    public String lastError() {
        OutboxRelay r = relay;
        return r == null ? "not started" : r.lastError();
    }
}
