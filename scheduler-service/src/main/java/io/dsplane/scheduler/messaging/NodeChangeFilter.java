package io.dsplane.scheduler.messaging;

import java.util.Arrays;

import org.apache.kafka.streams.state.KeyValueStore;

import io.dsplane.contracts.event.EventCodec;
import io.dsplane.scheduler.placement.NodePlacementView;
import io.fabric8.kubernetes.api.model.Node;

/**
 * NodeChangeFilter recognises node events that change nothing placement reads, so they can be
 * dropped by the router instead of being re-partitioned, decoded again and stored by a placement
 * task. Agents report status every few seconds and most reports move only heartbeat times,
 * conditions or resources placement ignores; each one that got through cost a record on the work
 * topic, a changelog record of the node store and their share of the task's transaction.
 *
 * <p>What placement reads of a node is its {@link NodePlacementView}. The filter keeps, per node name,
 * the view of the last event it let through, as JSON bytes (so a difference in map order only lets
 * one event too many through, never one too few), and lets an event through when the view differs.
 * Deletions always pass. A placement task therefore holds, for every node, a version whose view is
 * the newest one; its conditions and heartbeat times may be older, and nothing in placement or in
 * the explanations reads them.
 */
final class NodeChangeFilter {

    private final KeyValueStore<String, byte[]> lastPassed;

    NodeChangeFilter(KeyValueStore<String, byte[]> lastPassed) {
        this.lastPassed = lastPassed;
    }

    /** passes is true when the node differs from the last one passed under its name in what placement reads. */
    boolean passes(String name, Node node) {
        byte[] view = EventCodec.encode(NodePlacementView.of(node));
        if (Arrays.equals(view, lastPassed.get(name))) {
            return false;
        }
        lastPassed.put(name, view);
        return true;
    }

    /** deleted forgets the name: the next event for it always passes. */
    void deleted(String name) {
        lastPassed.delete(name);
    }
}
