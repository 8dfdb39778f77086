package io.dsplane.scheduler.messaging;

import java.util.Arrays;

import org.apache.kafka.streams.state.KeyValueStore;

import io.dsplane.contracts.event.EventCodec;

/**
 * PlacementChangeFilter lets an object's event through the router only when what placement reads of
 * the object differs from the last event it let through for the same key. It keeps that part per
 * key in a store, as JSON bytes, so a difference in map order only lets one event too many through,
 * never one too few. Each kind says what placement reads of it ({@link #placementPart}).
 */
abstract class PlacementChangeFilter<T> {

    private final KeyValueStore<String, byte[]> lastPassed;

    PlacementChangeFilter(KeyValueStore<String, byte[]> lastPassed) {
        this.lastPassed = lastPassed;
    }

    /** placementPart is what placement reads of the object, in a form whose JSON fixes the comparison. */
    abstract Object placementPart(T obj);

    /** passes is true when the object differs from the last one passed for the key in what placement reads. */
    boolean passes(String key, T obj) {
        byte[] part = EventCodec.encode(placementPart(obj));
        if (Arrays.equals(part, lastPassed.get(key))) {
            return false;
        }
        lastPassed.put(key, part);
        return true;
    }

    /** deleted forgets the key: the next event for it always passes. */
    void deleted(String key) {
        lastPassed.delete(key);
    }
}
