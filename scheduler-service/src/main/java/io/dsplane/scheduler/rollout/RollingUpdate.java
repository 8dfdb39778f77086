package io.dsplane.scheduler.rollout;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

import io.fabric8.kubernetes.api.model.IntOrString;

/**
 * RollingUpdate is upstream's rollingUpdate for one DaemonSet over all its nodes (§3.5 without
 * surge, §3.6 with surge), deciding which nodes may take their next step now so that the budget
 * (maxUnavailable or maxSurge) holds across the whole DaemonSet. Steps already granted but not yet
 * visible in the node states count against the budget, so the budget holds while grants are in flight.
 * Candidates are taken in node-name order (upstream's order is Go map order, i.e. unspecified).
 */
public final class RollingUpdate {

    private RollingUpdate() {
    }

    /** Budget is the scaled maxUnavailable and maxSurge for the current number of desired nodes. */
    public record Budget(int maxUnavailable, int maxSurge) {
    }

    /**
     * updatedDesiredNodeCounts scales maxUnavailable and maxSurge against desiredNumberScheduled
     * (percentages rounded up); both zero is treated as maxUnavailable 1.
     */
    public static Budget budget(RolloutNodeState.Strategy s, int desired) {
        int maxUnavailable = RolloutMath.scaledValue(intOrString(s.maxUnavailable()), desired);
        int maxSurge = RolloutMath.scaledValue(intOrString(s.maxSurge()), desired);
        if (desired > 0 && maxUnavailable == 0 && maxSurge == 0) {
            maxUnavailable = 1;
        }
        return new Budget(maxUnavailable, maxSurge);
    }

    static IntOrString intOrString(String v) {
        if (v == null) {
            return null;
        }
        return v.endsWith("%") ? new IntOrString(v) : new IntOrString(Integer.parseInt(v));
    }

    /**
     * rollingUpdate returns the grants to issue now.
     *
     * @param states        the DaemonSet's node states (current uid only)
     * @param pendingDelete nodes with a DELETE_OLD grant not yet reflected in their state
     * @param pendingCreate nodes with a CREATE_NEW grant not yet reflected in their state
     */
    public static List<RolloutGrant> rollingUpdate(RolloutNodeState.Strategy strategy, List<RolloutNodeState> states,
            Set<String> pendingDelete, Set<String> pendingCreate, Instant now) {
        if (!"RollingUpdate".equals(strategy.type()) || states.isEmpty()) {
            return List.of();
        }
        List<RolloutNodeState> sorted = new ArrayList<>(states);
        sorted.sort(Comparator.comparing(RolloutNodeState::nodeName));
        int desired = (int) sorted.stream().filter(RolloutNodeState::shouldRun).count();
        Budget budget = budget(strategy, desired);
        return budget.maxSurge() > 0 ? withSurge(sorted, budget, desired, pendingDelete, pendingCreate, now)
                : withoutSurge(sorted, budget, pendingDelete, now);
    }

    private static List<RolloutGrant> withoutSurge(List<RolloutNodeState> states, Budget budget,
            Set<String> pendingDelete, Instant now) {
        int numUnavailable = 0;
        List<RolloutGrant> allowed = new ArrayList<>();
        List<RolloutGrant> candidates = new ArrayList<>();
        for (RolloutNodeState s : states) {
            if (!s.shouldRun() && s.newPods() + s.oldPods() == 0) {
                continue;
            }
            if (pendingDelete.contains(s.nodeName())) {
                numUnavailable++; // its old pod is being replaced
                continue;
            }
            if (s.newPods() > 1 || s.oldPods() > 1 || (s.newPods() == 0 && s.oldPods() == 0)
                    || (s.newPods() > 0 && s.oldPods() > 0)) {
                numUnavailable++; // manage cleans up or creates
            } else if (s.newPods() == 1) {
                if (!s.available(true, now)) {
                    numUnavailable++;
                }
            } else if (!s.available(false, now)) {
                numUnavailable++;
                allowed.add(grant(s, RolloutGrant.Action.DELETE_OLD)); // unavailable old pods are always replaceable
            } else if (numUnavailable < budget.maxUnavailable()) {
                candidates.add(grant(s, RolloutGrant.Action.DELETE_OLD));
            }
        }
        int remaining = Math.max(0, Math.min(budget.maxUnavailable() - numUnavailable, candidates.size()));
        allowed.addAll(candidates.subList(0, remaining));
        return allowed;
    }

    private static List<RolloutGrant> withSurge(List<RolloutNodeState> states, Budget budget, int desired,
            Set<String> pendingDelete, Set<String> pendingCreate, Instant now) {
        int numSurge = 0;
        int numAvailable = 0;
        List<RolloutGrant> out = new ArrayList<>();
        List<RolloutGrant> allowedNew = new ArrayList<>();
        List<RolloutGrant> candidatesNew = new ArrayList<>();
        List<RolloutGrant> shouldNotRunToDelete = new ArrayList<>();
        for (RolloutNodeState s : states) {
            if (!s.shouldRun() && s.newPods() + s.oldPods() == 0) {
                continue;
            }
            if (s.oldPods() > 1 || s.newPods() > 1) {
                numSurge++;
                continue;
            }
            boolean oldAvailable = s.oldPods() == 1 && s.available(false, now);
            boolean newAvailable = s.newPods() == 1 && s.available(true, now);
            if (s.oldPods() == 1 ? oldAvailable : newAvailable) {
                numAvailable++;
            }
            if (s.oldPods() == 0 || pendingDelete.contains(s.nodeName())) {
                continue;
            }
            if (pendingCreate.contains(s.nodeName())) {
                numSurge++;
                continue;
            }
            if (s.newPods() == 0) {
                if (!oldAvailable) {
                    if (!s.shouldRun()) {
                        out.add(grant(s, RolloutGrant.Action.DELETE_OLD));
                    } else {
                        allowedNew.add(grant(s, RolloutGrant.Action.CREATE_NEW));
                    }
                } else if (!s.shouldRun()) {
                    shouldNotRunToDelete.add(grant(s, RolloutGrant.Action.DELETE_OLD));
                } else if (numSurge < budget.maxSurge()) {
                    candidatesNew.add(grant(s, RolloutGrant.Action.CREATE_NEW));
                }
            } else if (!newAvailable) {
                numSurge++;
            } else {
                out.add(grant(s, RolloutGrant.Action.DELETE_OLD));
            }
        }
        int deletable = numAvailable - desired;
        if (deletable > 0) {
            out.addAll(shouldNotRunToDelete.subList(0, Math.min(deletable, shouldNotRunToDelete.size())));
        }
        out.addAll(allowedNew);
        int remaining = Math.max(0, Math.min(budget.maxSurge() - numSurge, candidatesNew.size()));
        out.addAll(candidatesNew.subList(0, remaining));
        return out;
    }

    private static RolloutGrant grant(RolloutNodeState s, RolloutGrant.Action action) {
        return new RolloutGrant(s.daemonSetKey(), s.daemonSetUid(), s.hash(), s.nodeName(), action);
    }
}
