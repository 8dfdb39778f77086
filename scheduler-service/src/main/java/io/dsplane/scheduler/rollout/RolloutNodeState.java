package io.dsplane.scheduler.rollout;

import java.time.Instant;

/**
 * RolloutNodeState is what the rollout coordinator needs to know of one DaemonSet on one node: the
 * verdict and the DaemonSet's non-terminating pods split into new (current revision hash) and old,
 * with the readiness of the oldest of each. It also carries the update strategy the node's task
 * evaluated, so the coordinator needs no other input. Scheduler-internal (never leaves the service).
 */
public record RolloutNodeState(String daemonSetKey, String daemonSetUid, long generation, String hash,
        Strategy strategy, String nodeName, boolean shouldRun, int newPods, int oldPods, boolean newReady,
        Instant newReadySince, boolean oldReady, Instant oldReadySince) {

    /**
     * Strategy is the DaemonSet's update strategy as the rollout math needs it.
     *
     * @param type            RollingUpdate or OnDelete
     * @param maxUnavailable  int or "N%" as written, null when absent
     * @param maxSurge        int or "N%" as written, null when absent
     * @param minReadySeconds availability delay
     */
    public record Strategy(String type, String maxUnavailable, String maxSurge, int minReadySeconds) {
    }

    /** isAvailable tells whether the oldest new (or old) pod is available at {@code now} (IsPodAvailable). */
    public boolean available(boolean newPod, Instant now) {
        boolean ready = newPod ? newReady : oldReady;
        Instant since = newPod ? newReadySince : oldReadySince;
        if (!ready) {
            return false;
        }
        int min = strategy.minReadySeconds();
        return min == 0 || (since != null && !since.plusSeconds(min).isAfter(now));
    }
}
