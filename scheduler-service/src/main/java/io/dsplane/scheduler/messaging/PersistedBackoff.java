package io.dsplane.scheduler.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import io.dsplane.scheduler.placement.FailedPodBackoff;
import io.dsplane.scheduler.placement.FailedPodBackoff.Entry;

/**
 * PersistedBackoff keeps the failed-pod backoff of a placement task in a state store as well as in
 * memory. Kafka Streams initialises a task's processor again after a rebalance, a restore or a
 * restart; a backoff held only in memory started over then, and a pod failing on its node was
 * replaced at once instead of after its delay. The store is written only when an entry changes (a
 * failed pod deleted, an entry expired), which is rare; reads stay in memory.
 *
 * <p>Value format: {@code <backoff ms>,<last update epoch ms>}. An unreadable value is dropped: the
 * worst it costs is one replacement without delay.
 */
final class PersistedBackoff {

    private final FailedPodBackoff backoff;
    private final KeyValueStore<String, byte[]> store;

    private PersistedBackoff(FailedPodBackoff backoff, KeyValueStore<String, byte[]> store) {
        this.backoff = backoff;
        this.store = store;
    }

    /** restore is the backoff as the store holds it, with upstream's delays. */
    static PersistedBackoff restore(KeyValueStore<String, byte[]> store) {
        FailedPodBackoff backoff = new FailedPodBackoff();
        Map<String, Entry> entries = new HashMap<>();
        java.util.List<String> unreadable = new java.util.ArrayList<>();
        try (KeyValueIterator<String, byte[]> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, byte[]> kv = all.next();
                decode(kv.value).ifPresentOrElse(e -> entries.put(kv.key, e), () -> unreadable.add(kv.key));
            }
        }
        unreadable.forEach(store::delete);
        backoff.importEntries(entries);
        return new PersistedBackoff(backoff, store);
    }

    /** backoff is the live backoff, which the placement rules read and update. */
    FailedPodBackoff backoff() {
        return backoff;
    }

    /** entry is the key's entry now; pass it to {@link #saveIfChanged} after the rules ran. */
    Optional<Entry> entry(String key) {
        return backoff.entry(key);
    }

    /** saveIfChanged writes the key's entry to the store when it differs from {@code before}. */
    void saveIfChanged(String key, Optional<Entry> before) {
        Optional<Entry> now = backoff.entry(key);
        if (now.equals(before)) {
            return;
        }
        if (now.isPresent()) {
            store.put(key, encode(now.get()));
        } else {
            store.delete(key);
        }
    }

    /** gc drops expired entries from memory and from the store. */
    void gc(Instant now) {
        Map<String, Entry> before = backoff.exportEntries();
        if (before.isEmpty()) {
            return;
        }
        backoff.gc(now);
        for (String key : before.keySet()) {
            if (backoff.entry(key).isEmpty()) {
                store.delete(key);
            }
        }
    }

    static byte[] encode(Entry e) {
        return (e.backoff().toMillis() + "," + e.lastUpdate().toEpochMilli()).getBytes(StandardCharsets.UTF_8);
    }

    static Optional<Entry> decode(byte[] value) {
        if (value == null) {
            return Optional.empty();
        }
        String s = new String(value, StandardCharsets.UTF_8);
        int comma = s.indexOf(',');
        try {
            return Optional.of(new Entry(Duration.ofMillis(Long.parseLong(s.substring(0, comma))),
                    Instant.ofEpochMilli(Long.parseLong(s.substring(comma + 1)))));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
