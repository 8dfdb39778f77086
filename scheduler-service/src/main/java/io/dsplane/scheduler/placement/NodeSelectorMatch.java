package io.dsplane.scheduler.placement;

import java.util.List;

/**
 * NodeSelectorMatch is the outcome of matching a pod's nodeSelector and required node affinity
 * against a node, with one readable reason per failed check so a user can see why a node was
 * skipped (e.g. {@code nodeSelector disktype=ssd: node has disktype=hdd}).
 *
 * @param matches true when the node satisfies both the nodeSelector and the required affinity
 * @param reasons why it does not match; empty when it matches
 */
public record NodeSelectorMatch(boolean matches, List<String> reasons) {

    /** MATCH is the shared result for a node that satisfies every constraint. */
    public static final NodeSelectorMatch MATCH = new NodeSelectorMatch(true, List.of());

    public NodeSelectorMatch {
        reasons = List.copyOf(reasons);
    }

    /** mismatch builds a non-matching result from its reasons. */
    public static NodeSelectorMatch mismatch(List<String> reasons) {
        return new NodeSelectorMatch(false, reasons);
    }
}
