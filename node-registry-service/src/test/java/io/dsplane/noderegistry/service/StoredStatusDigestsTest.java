package io.dsplane.noderegistry.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.dsplane.noderegistry.config.NodeStatusConfig;

class StoredStatusDigestsTest {

    private static final StatusDigest A = new StatusDigest(1, 2);
    private static final StatusDigest B = new StatusDigest(3, 4);

    private static StoredStatusDigests withCapacity(int capacity) {
        return new StoredStatusDigests(new NodeStatusConfig() {
            @Override
            public int retryAttempts() {
                return 3;
            }

            @Override
            public Duration parkTimeout() {
                return Duration.ofSeconds(30);
            }

            @Override
            public int statusDigests() {
                return capacity;
            }
        });
    }

    @Test
    void remembersTheDigestOfTheNewestVersionOnly() {
        StoredStatusDigests digests = withCapacity(10);
        assertThat(digests.known("n1")).isNull();
        digests.remember("n1", 7, A);
        assertThat(digests.known("n1")).isEqualTo(new StoredStatusDigests.Entry(7, A));
        digests.remember("n1", 9, B);
        // A writer that remembers late cannot bring back an older version.
        digests.remember("n1", 8, A);
        assertThat(digests.known("n1")).isEqualTo(new StoredStatusDigests.Entry(9, B));
    }

    @Test
    void staysWithinItsCapacityAndCanBeTurnedOff() {
        StoredStatusDigests digests = withCapacity(2);
        digests.remember("n1", 1, A);
        digests.remember("n2", 2, A);
        digests.remember("n3", 3, A);
        assertThat(digests.size()).isEqualTo(2);
        assertThat(digests.known("n3")).isNotNull();
        digests.remember("n3", 4, B);
        assertThat(digests.size()).isEqualTo(2);

        StoredStatusDigests off = withCapacity(0);
        off.remember("n1", 1, A);
        assertThat(off.known("n1")).isNull();
    }
}
