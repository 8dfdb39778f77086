package io.dsplane.daemonset.status;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.dsplane.contracts.event.DaemonSetNodeState;
import io.dsplane.contracts.event.DaemonSetNodeState.OldestPod;

/**
 * NodeTally is one class of a DaemonSet's nodes as its status counts them, with how many nodes are in
 * it: whether a daemon pod belongs there, whether one is there, and of the oldest one whether it is
 * ready, ready for long enough, of the current template; and whether the scheduler computed the state
 * for the current generation. The counters depend on nothing else, so a DaemonSet of 5,000 nodes is a
 * handful of tallies: the database groups its node states into them ({@code GROUP BY}) instead of
 * handing over 5,000 rows per status computation. {@link #of} is the same grouping in plain Java.
 *
 * @param readyLongEnough the oldest pod is ready since {@code availableCutoff} or earlier (false when
 *                        it is not ready or has no ready time)
 * @param caughtUp        the state was computed for the DaemonSet's generation or a later one
 */
public record NodeTally(boolean shouldRun, boolean scheduled, boolean ready, boolean readyLongEnough,
        boolean updated, boolean caughtUp, int nodes) {

    /**
     * availableCutoff is the latest ready time at which a pod counts as available now. This is
     * upstream's IsPodAvailable: ready, and either minReadySeconds is 0 or the Ready condition turned
     * True at least minReadySeconds ago; the boundary counts as available ({@code <=}, as the newest
     * upstream code; older versions used {@code <}). Without a transition time a pod is not available,
     * as upstream treats a zero lastTransitionTime.
     */
    public static Instant availableCutoff(int minReadySeconds, Instant now) {
        return now.minusSeconds(Math.max(0, minReadySeconds));
    }

    /**
     * of groups node states (all of one DaemonSet uid) into tallies, in a fixed order; the database's
     * grouping must give the same tallies.
     */
    public static List<NodeTally> of(Collection<DaemonSetNodeState> states, Instant availableCutoff, long generation) {
        Map<NodeTally, Integer> counts = new TreeMap<>(Comparator.comparingInt(NodeTally::flags));
        for (DaemonSetNodeState s : states) {
            OldestPod pod = s.oldestPod();
            boolean ready = DaemonSetStatusCalculator.isPodReady(pod);
            NodeTally kind = new NodeTally(s.shouldRun(), s.pods() > 0, ready,
                    ready && pod.readySince() != null && !pod.readySince().isAfter(availableCutoff),
                    pod != null && pod.updated(), s.generation() >= generation, 0);
            counts.merge(kind, 1, Integer::sum);
        }
        return counts.entrySet().stream().map(e -> e.getKey().withNodes(e.getValue())).toList();
    }

    NodeTally withNodes(int n) {
        return new NodeTally(shouldRun, scheduled, ready, readyLongEnough, updated, caughtUp, n);
    }

    /**
     * flags are the six flags as bits, should-run the highest: ordering by them is ordering by the
     * flags in turn, false before true, as the repository sorts them (the node count left out).
     */
    int flags() {
        return bit(shouldRun, 5) | bit(scheduled, 4) | bit(ready, 3) | bit(readyLongEnough, 2) | bit(updated, 1)
                | bit(caughtUp, 0);
    }

    private static int bit(boolean b, int position) {
        return b ? 1 << position : 0;
    }
}
