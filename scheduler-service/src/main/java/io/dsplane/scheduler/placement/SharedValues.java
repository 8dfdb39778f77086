package io.dsplane.scheduler.placement;

import java.lang.ref.WeakReference;
import java.util.Collections;
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

    /** share returns the instance held for a value equal to {@code value}, holding this one if none is. */
    public <T> T share(T value) {
        return share(value, v -> v);
    }

    /**
     * share with preparation: when no equal value is held yet, {@code prepare} makes this one ready to
     * be held (it must not change what the value equals) before it is. Equal values found in the pool
     * skip the preparation.
     */
    @SuppressWarnings("unchecked")
    public <T> T share(T value, UnaryOperator<T> prepare) {
        if (value == null) {
            return null;
        }
        WeakReference<Object> held = pool.get(value);
        Object same = held == null ? null : held.get();
        if (same != null) {
            return (T) same;
        }
        T ready = prepare.apply(value);
        pool.put(ready, new WeakReference<>(ready));
        return ready;
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
        return pool.size();
    }
}
