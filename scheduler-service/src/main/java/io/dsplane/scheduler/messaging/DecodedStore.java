package io.dsplane.scheduler.messaging;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import io.dsplane.contracts.event.EventCodec;

/**
 * DecodedStore is a state store of JSON values with every value also held decoded in memory, so
 * that the placement hot path never reads RocksDB or runs Jackson for an object that has not
 * changed. The store stays the source of truth: every write goes to the store first, and the
 * memory holds {@code inMemory} of what was written, which is what a read of the store would give
 * after the same function. The function lets memory hold a different form than the store (the pods'
 * compact view, whose values are shared between pods, while the store keeps each pod's own;
 * {@link #stored} reads that). The memory is filled from the store on first use or by {@link #load},
 * so a processor initialised again after a rebalance or a restore sees the restored store, never a
 * view from before.
 *
 * <p>Iteration is in the store's key order (RocksDB sorts keys by their UTF-8 bytes), so callers
 * visit keys in the same order as a scan of the store would. Returned objects are shared: callers
 * must treat them as read-only and copy before changing one. Not thread-safe (one stream task).
 */
final class DecodedStore<T> {

    /**
     * Orders strings by code point, which is the order of their UTF-8 bytes: String's natural
     * order (UTF-16 units) differs only where a surrogate meets a character from U+E000 up, so
     * those are shifted the way ICU's code point comparison does.
     */
    static final Comparator<String> UTF8_ORDER = (a, b) -> {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                return codePointRank(x) - codePointRank(y);
            }
        }
        return a.length() - b.length();
    };

    private final KeyValueStore<String, byte[]> store;
    private final Class<T> type;
    private final UnaryOperator<T> inMemory;
    private final Function<String, String> groupOf;
    private NavigableMap<String, T> decoded;
    /** The values by group and then key (key order), when the store has groups; filled with decoded. */
    private Map<String, NavigableMap<String, T>> groups;

    /** A store whose memory holds the decoded values themselves. */
    DecodedStore(KeyValueStore<String, byte[]> store, Class<T> type) {
        this(store, type, UnaryOperator.identity());
    }

    /**
     * A store whose memory holds {@code inMemory} of each value; the function must return an object
     * the caller does not keep (a new one, or the value itself when the value is handed over).
     */
    DecodedStore(KeyValueStore<String, byte[]> store, Class<T> type, UnaryOperator<T> inMemory) {
        this(store, type, inMemory, null);
    }

    /**
     * A store whose memory also keeps its values by group, {@code groupOf} of the key (never null), for
     * {@link #inGroup}: the pods of one node are read many times for every pair of the node evaluated,
     * and a look-up by the node's name finds them without a search through every pod's key.
     */
    DecodedStore(KeyValueStore<String, byte[]> store, Class<T> type, UnaryOperator<T> inMemory,
            Function<String, String> groupOf) {
        this.store = store;
        this.type = type;
        this.inMemory = inMemory;
        this.groupOf = groupOf;
    }

    /**
     * load fills the memory from the store now instead of on first use. A processor calls it from
     * init, which Kafka Streams runs once the stores are restored and before any record: decoding a
     * whole store inside the first record's exactly-once transaction made that transaction outlive its
     * timeout after restores at 100,000 pods.
     */
    void load() {
        decoded();
    }

    /** get returns the decoded value of the key, or null. */
    T get(String key) {
        return decoded().get(key);
    }

    boolean containsKey(String key) {
        return decoded().containsKey(key);
    }

    /**
     * stored reads and decodes the value as the store holds it (a new object the caller may change),
     * or null: the whole value where memory keeps less of it.
     */
    T stored(String key) {
        byte[] bytes = store.get(key);
        return bytes == null ? null : EventCodec.decode(bytes, type);
    }

    /**
     * put writes the value to the store and keeps {@code inMemory} of it in the view, so the caller
     * hands the value over: it must not be changed afterwards (every writer builds a new object or a
     * copy). Returns what memory now holds for the key.
     */
    T put(String key, T value) {
        store.put(key, EventCodec.encode(value));
        T held = inMemory.apply(value);
        decoded().put(key, held);
        if (groupOf != null) {
            groups.computeIfAbsent(groupOf.apply(key), g -> new TreeMap<>(UTF8_ORDER)).put(key, held);
        }
        return held;
    }

    void delete(String key) {
        store.delete(key);
        if (decoded().remove(key) != null && groupOf != null) {
            String group = groupOf.apply(key);
            NavigableMap<String, T> members = groups.get(group);
            if (members != null && members.remove(key) != null && members.isEmpty()) {
                groups.remove(group);
            }
        }
    }

    /** values returns every value in key order (a snapshot: later writes do not change it). */
    List<T> values() {
        return List.copyOf(decoded().values());
    }

    /** entries returns every key and value in key order (a snapshot). */
    List<Map.Entry<String, T>> entries() {
        return decoded().entrySet().stream().map(e -> Map.entry(e.getKey(), e.getValue())).toList();
    }

    /** keyAfter returns the first key after the given one in key order (the first key for null), or null. */
    String keyAfter(String key) {
        return key == null ? (decoded().isEmpty() ? null : decoded().firstKey()) : decoded().higherKey(key);
    }

    /**
     * inGroup returns the values of one group (see the constructor) in key order (a snapshot): what a
     * prefix scan of the store would return for a prefix that only the group's keys have.
     *
     * @throws IllegalStateException when the store has no groups
     */
    List<T> inGroup(String group) {
        if (groupOf == null) {
            throw new IllegalStateException("this store keeps no groups");
        }
        decoded(); // fills the groups on first use
        NavigableMap<String, T> members = groups.get(group);
        return members == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(members.values()));
    }

    private NavigableMap<String, T> decoded() {
        if (decoded == null) {
            NavigableMap<String, T> loaded = new TreeMap<>(UTF8_ORDER);
            Map<String, NavigableMap<String, T>> grouped = groupOf == null ? null : new HashMap<>();
            try (KeyValueIterator<String, byte[]> it = store.all()) {
                while (it.hasNext()) {
                    var kv = it.next();
                    T held = inMemory.apply(EventCodec.decode(kv.value, type));
                    loaded.put(kv.key, held);
                    if (grouped != null) {
                        grouped.computeIfAbsent(groupOf.apply(kv.key), g -> new TreeMap<>(UTF8_ORDER)).put(kv.key, held);
                    }
                }
            }
            decoded = loaded;
            groups = grouped;
        }
        return decoded;
    }

    private static int codePointRank(char c) {
        if (c >= '\uE000') {
            return c - 0x800;
        }
        return Character.isSurrogate(c) ? c + 0x2000 : c;
    }
}
