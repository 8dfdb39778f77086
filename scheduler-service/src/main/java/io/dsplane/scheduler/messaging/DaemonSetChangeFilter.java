package io.dsplane.scheduler.messaging;

import java.util.Arrays;

import org.apache.kafka.streams.state.KeyValueStore;

import io.dsplane.contracts.event.EventCodec;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetSpec;

/**
 * DaemonSetChangeFilter recognises DaemonSet events that change nothing the scheduler reads, so
 * they can be dropped before they are broadcast to every placement task and stored there.
 * daemonset-service rewrites a DaemonSet's status after every batch of node states, and most of
 * those writes only move counters.
 *
 * <p>What the scheduler reads of a DaemonSet is all of it except the status and the
 * resourceVersion: from the status only {@code collisionCount} (part of the revision hash) and
 * {@code observedGeneration} (part of the failed-pod backoff key). The filter keeps, per DaemonSet
 * key, that part of the last event it let through, and lets an event through when that part
 * differs (compared as JSON bytes, so a difference in map order only lets one event too many
 * through, never one too few). Deletions always pass. The placement tasks then hold each
 * DaemonSet exactly as before in everything they read.
 */
final class DaemonSetChangeFilter {

    /** PlacementPart is what of a DaemonSet the scheduler reads; field order fixes the JSON. */
    record PlacementPart(ObjectMeta metadata, DaemonSetSpec spec, Integer collisionCount, Long observedGeneration) {
    }

    private final KeyValueStore<String, byte[]> lastPassed;

    DaemonSetChangeFilter(KeyValueStore<String, byte[]> lastPassed) {
        this.lastPassed = lastPassed;
    }

    /** passes is true when the DaemonSet differs from the last one passed for the key in what placement reads. */
    boolean passes(String key, DaemonSet ds) {
        byte[] part = EventCodec.encode(placementPart(ds));
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

    static PlacementPart placementPart(DaemonSet ds) {
        ObjectMeta meta = ds.getMetadata() == null ? null
                : new ObjectMetaBuilder(ds.getMetadata()).withResourceVersion(null).build();
        return new PlacementPart(meta, ds.getSpec(),
                ds.getStatus() == null ? null : ds.getStatus().getCollisionCount(),
                ds.getStatus() == null ? null : ds.getStatus().getObservedGeneration());
    }
}
