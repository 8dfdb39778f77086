package io.dsplane.scheduler.placement;

import java.lang.ref.WeakReference;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.UnaryOperator;

/**
 * SharedValues hands out one instance per distinct value, so that what many pods hold alike (the
 * labels, owner reference and container requests of one DaemonSet revision, the node affinity of one
 * node, a namespace) is held once instead of once per pod. At 100,000 pods this is the difference
 * between fitting a heap and not.
 *
 * <p>Values are compared with {@code equals} (the Kubernetes model compares deeply), so a value must
 * never change once shared: callers treat what they get as read-only, as they already must for
 * anything held in the scheduler's stores. The pool holds its values weakly: a value that no pod refers
 * to any more is dropped with its last user. Not thread-safe: one pool per stream task.
 */
public final class SharedValues {

    private final WeakHashMap<Object, WeakReference<Object>> pool = new WeakHashMap<>();
    /** Values held under a key of their own (see {@link #shareAs}); the keys strongly, the values weakly. */
    private final Map<Object, WeakReference<Object>> byKey = new HashMap<>();
    /** When {@link #byKey} has this many entries, those whose value is gone are removed. */
    private int sweepAt = MIN_SWEEP;
    private static final int MIN_SWEEP = 1024;

    /** share returns the instance held for a value equal to {@code value}, holding this one if none is. */
    public <T> T share(T value) {
        return share(value, v -> v);
    }

    /**
     * share with preparation: when no equal value is held yet, {@code prepare} makes this one ready to
     * be held (it must not change what the value equals) before it is. Equal values found in the pool
     * skip the preparation.
     */
    public <T> T share(T value, UnaryOperator<T> prepare) {
        if (value == null) {
            return null;
        }
        T same = held(pool, value);
        if (same != null) {
            return same;
        }
        T ready = prepare.apply(value);
        pool.put(ready, new WeakReference<>(ready));
        return ready;
    }

    /**
     * shareAs is {@link #share} for values that a key describes completely and compares more cheaply
     * than they compare themselves (a container's requests written as text, instead of quantities
     * parsed into numbers for every hash and every comparison). The key must tell values apart as
     * their {@code equals} does: values held under equal keys are equal. Values under one key are
     * shared with each other, not with values shared through {@link #share}.
     */
    public <T> T shareAs(Object key, T value, UnaryOperator<T> prepare) {
        if (value == null) {
            return null;
        }
        T same = held(byKey, key);
        if (same != null) {
            return same;
        }
        if (byKey.size() >= sweepAt) {
            byKey.values().removeIf(ref -> ref.get() == null);
            sweepAt = Math.max(MIN_SWEEP, 2 * byKey.size());
        }
        T ready = prepare.apply(value);
        byKey.put(key, new WeakReference<>(ready));
        return ready;
    }

    /** held is the value held under the key, or null when none is (or it was collected). */
    @SuppressWarnings("unchecked")
    private static <T> T held(Map<Object, WeakReference<Object>> values, Object key) {
        WeakReference<Object> ref = values.get(key);
        return ref == null ? null : (T) ref.get();
    }

    /** shareList is {@link #share} of an unmodifiable copy; an empty list becomes the shared empty list. */
    public <E> List<E> shareList(List<E> list) {
        if (list == null) {
            return null;
        }
        return list.isEmpty() ? List.of() : share(Collections.unmodifiableList(list));
    }

    /** shareMap is {@link #share} of an unmodifiable view; an empty map becomes the shared empty map. */
    public <K, V> Map<K, V> shareMap(Map<K, V> map) {
        if (map == null) {
            return null;
        }
        return map.isEmpty() ? Map.of() : share(Collections.unmodifiableMap(map));
    }

    /** size is the number of distinct values held now (for tests and metrics). */
    public int size() {
        return pool.size() + (int) byKey.values().stream().filter(ref -> ref.get() != null).count();
    }
}
