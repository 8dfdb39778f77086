package io.dsplane.scheduler.placement;

import java.util.List;

/**
 * Verdict is the answer of {@link NodeShouldRunDaemonPod#nodeShouldRunDaemonPod}: whether a new
 * daemon pod belongs on the node, whether an existing one may stay, and why not.
 *
 * @param shouldRun             a daemon pod should be created on the node if it has none
 * @param shouldContinueRunning an existing daemon pod may stay (true with an untolerated
 *                              NoSchedule taint: no new pod, but no eviction either)
 * @param reasons               one readable sentence per failing predicate; empty when shouldRun
 */
public record Verdict(boolean shouldRun, boolean shouldContinueRunning, List<String> reasons) {

    public Verdict {
        reasons = List.copyOf(reasons);
    }

    /** RUN is the verdict for a node that satisfies every predicate. */
    public static final Verdict RUN = new Verdict(true, true, List.of());
}
