package io.dsplane.scheduler.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.dsplane.scheduler.placement.FailedPodBackoff.Entry;

/** The failed-pod backoff written to its store only when an entry changes, and read back whole. */
class PersistedBackoffTest {

    private static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");

    private KeyValueStore<String, byte[]> store;

    @BeforeEach
    void setUp() {
        store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("backoffs"), Serdes.String(),
                Serdes.ByteArray()).withLoggingDisabled().build();
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
    }

    @Test
    void aChangedEntryIsStoredAndRestoredAndAnUnchangedOneIsNotWritten() {
        PersistedBackoff first = PersistedBackoff.restore(store);
        Optional<Entry> before = first.entry("ds/1/n1");
        first.backoff().next("ds/1/n1", T0);
        first.backoff().next("ds/1/n1", T0.plusSeconds(1));
        first.saveIfChanged("ds/1/n1", before);

        PersistedBackoff restored = PersistedBackoff.restore(store);
        assertThat(restored.entry("ds/1/n1")).contains(new Entry(Duration.ofSeconds(2), T0.plusSeconds(1)));
        assertThat(restored.backoff().isInBackOffSinceUpdate("ds/1/n1", T0.plusMillis(2_500))).isTrue();
        assertThat(restored.backoff().isInBackOffSinceUpdate("ds/1/n1", T0.plusMillis(3_000))).isFalse();

        store.delete("ds/1/n1");
        restored.saveIfChanged("ds/1/n1", restored.entry("ds/1/n1"));
        assertThat(store.get("ds/1/n1")).as("unchanged: no write").isNull();
    }

    @Test
    void expiredEntriesLeaveTheStoreAndUnreadableValuesAreDropped() {
        PersistedBackoff backoff = PersistedBackoff.restore(store);
        for (String key : new String[] {"old", "recent"}) {
            Optional<Entry> before = backoff.entry(key);
            backoff.backoff().next(key, key.equals("old") ? T0 : T0.plus(Duration.ofMinutes(29)));
            backoff.saveIfChanged(key, before);
        }
        store.put("garbage", "not,a-number".getBytes(StandardCharsets.UTF_8));

        backoff.gc(T0.plus(Duration.ofMinutes(31))); // more than 2 × 15 min after "old"
        assertThat(store.get("old")).isNull();
        assertThat(store.get("recent")).isNotNull();

        PersistedBackoff restored = PersistedBackoff.restore(store);
        assertThat(restored.entry("recent")).isPresent();
        assertThat(restored.entry("garbage")).isEmpty();
        assertThat(store.get("garbage")).isNull();
    }
}
