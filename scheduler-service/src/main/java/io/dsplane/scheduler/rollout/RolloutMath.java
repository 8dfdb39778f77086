package io.dsplane.scheduler.rollout;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetUpdateStrategy;

/**
 * RolloutMath holds the update-strategy arithmetic of upstream's daemonset util (SurgeCount,
 * UnavailableCount, AllowsSurge): percentages are rounded up against the number of nodes that should
 * run the pod.
 */
public final class RolloutMath {

    private RolloutMath() {
    }

    /** allowsSurge is true when a RollingUpdate's maxSurge is above zero for one node (AllowsSurge). */
    public static boolean allowsSurge(DaemonSet ds) {
        return surgeCount(ds, 1) > 0;
    }

    /** surgeCount is maxSurge scaled against {@code desired}; 0 for OnDelete or no rollingUpdate. */
    public static int surgeCount(DaemonSet ds, int desired) {
        DaemonSetUpdateStrategy s = ds.getSpec() == null ? null : ds.getSpec().getUpdateStrategy();
        if (s == null || !"RollingUpdate".equals(s.getType()) || s.getRollingUpdate() == null) {
            return 0;
        }
        return scaledValue(s.getRollingUpdate().getMaxSurge(), desired);
    }

    /**
     * getScaledValueFromIntOrPercent with roundUp: an int as is, "N%" as ceil(N * total / 100);
     * null counts as 0.
     *
     * @throws IllegalArgumentException for a string that is not a percentage
     */
    public static int scaledValue(IntOrString v, int total) {
        if (v == null) {
            return 0;
        }
        if (v.getIntVal() != null) {
            return v.getIntVal();
        }
        String s = v.getStrVal();
        if (s == null || !s.endsWith("%")) {
            throw new IllegalArgumentException("invalid value for IntOrString: invalid type: string is not a percentage");
        }
        int percent = Integer.parseInt(s.substring(0, s.length() - 1));
        return (int) Math.ceil(percent * (double) total / 100.0);
    }
}
