package io.dsplane.scheduler.messaging;

import org.apache.kafka.streams.state.KeyValueStore;

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
final class DaemonSetChangeFilter extends PlacementChangeFilter<DaemonSet> {

    /** PlacementPart is what of a DaemonSet the scheduler reads; field order fixes the JSON. */
    record PlacementPart(ObjectMeta metadata, DaemonSetSpec spec, Integer collisionCount, Long observedGeneration) {
    }

    DaemonSetChangeFilter(KeyValueStore<String, byte[]> lastPassed) {
        super(lastPassed);
    }

    @Override
    PlacementPart placementPart(DaemonSet ds) {
        ObjectMeta meta = ds.getMetadata() == null ? null
                : new ObjectMetaBuilder(ds.getMetadata()).withResourceVersion(null).build();
        return new PlacementPart(meta, ds.getSpec(),
                ds.getStatus() == null ? null : ds.getStatus().getCollisionCount(),
                ds.getStatus() == null ? null : ds.getStatus().getObservedGeneration());
    }
}
