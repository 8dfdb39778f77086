package io.dsplane.scheduler.messaging;

import org.apache.kafka.streams.state.KeyValueStore;

import io.dsplane.scheduler.placement.NodePlacementView;
import io.fabric8.kubernetes.api.model.Node;

/**
 * NodeChangeFilter recognises node events that change nothing placement reads, so they can be
 * dropped by the router instead of being re-partitioned, decoded again and stored by a placement
 * task. Agents report status every few seconds and most reports move only heartbeat times,
 * conditions or resources placement ignores; each one that got through cost a record on the work
 * topic, a changelog record of the node store and their share of the task's transaction.
 *
 * <p>What placement reads of a node is its {@link NodePlacementView}; the filter keeps, per node
 * name, the view of the last event it let through. Deletions always pass. A placement task therefore
 * holds, for every node, a version whose view is the newest one; its conditions and heartbeat times
 * may be older, and nothing in placement or in the explanations reads them.
 */
final class NodeChangeFilter extends PlacementChangeFilter<Node> {

    NodeChangeFilter(KeyValueStore<String, byte[]> lastPassed) {
        super(lastPassed);
    }

    @Override
    NodePlacementView placementPart(Node node) {
        return NodePlacementView.of(node);
    }
}
