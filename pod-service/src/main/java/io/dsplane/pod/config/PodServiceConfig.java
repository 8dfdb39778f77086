package io.dsplane.pod.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** PodServiceConfig holds pod-service's own settings (prefix {@code dsplane.pods}). */
@ConfigMapping(prefix = "dsplane.pods")
public interface PodServiceConfig {

    /** Settings of the placement-decision consumer. */
    Decisions decisions();

    /** Settings of graceful pod deletion. */
    Termination termination();

    /** Settings of the REST write path. */
    Rest rest();

    /** Rest configures how concurrent REST creates and deletes share transactions. */
    interface Rest {

        /**
         * Transactions of REST writes that may be open at once. 2: one batch is built while the other
         * commits; more only adds connections that wait on the same log flush.
         */
        @WithDefault("2")
        int commitThreads();

        /** Most REST writes applied in one transaction (the rest wait for the next one). */
        @WithDefault("256")
        int maxBatch();
    }

    /** Termination configures how terminating pods are finally removed. */
    interface Termination {

        /**
         * How often pods whose grace period has passed are removed. 1 s: grace periods are whole
         * seconds, so a pod never outlives its period by more than about one more second.
         */
        @WithDefault("1s")
        Duration reapEvery();

        /** Most pods removed per transaction of the reaper (the rest follow in the next round). */
        @WithDefault("500")
        int batchSize();
    }

    /** Decisions configures how placement decisions are applied. */
    interface Decisions {

        /**
         * How long an applied decision id is remembered. 7 days: the retention of the decisions topic;
         * an older decision can no longer be redelivered, so its id is no longer needed.
         */
        @WithDefault("7d")
        Duration processedRetention();

        /** How often remembered decision ids older than {@link #processedRetention()} are removed. */
        @WithDefault("1h")
        Duration cleanupEvery();

        /**
         * Attempts of a batch that fails for a database reason (connection lost, deadlock, commit
         * failure) before the channel stops and waits for a restart, which redelivers the batch.
         */
        @WithDefault("3")
        int retryAttempts();

        /** How long parking records on dsplane.parked.v1 may take before the batch fails. */
        @WithDefault("30s")
        Duration parkTimeout();
    }
}
