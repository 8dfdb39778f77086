package io.dsplane.scheduler.placement;

import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * DaemonPodTolerations adds the tolerations every daemon pod carries, like upstream's
 * {@code util.AddOrUpdateDaemonPodTolerations}: daemons are node infrastructure, so they must keep
 * running on not-ready or unreachable nodes and must be placed on nodes under pressure or cordoned.
 */
public final class DaemonPodTolerations {

    /** Taint key of a node whose Ready condition is False. */
    public static final String TAINT_NODE_NOT_READY = "node.kubernetes.io/not-ready";
    /** Taint key of a node whose Ready condition is Unknown or whose heartbeats stopped. */
    public static final String TAINT_NODE_UNREACHABLE = "node.kubernetes.io/unreachable";
    /** Taint key of a node with DiskPressure. */
    public static final String TAINT_NODE_DISK_PRESSURE = "node.kubernetes.io/disk-pressure";
    /** Taint key of a node with MemoryPressure. */
    public static final String TAINT_NODE_MEMORY_PRESSURE = "node.kubernetes.io/memory-pressure";
    /** Taint key of a node with PIDPressure. */
    public static final String TAINT_NODE_PID_PRESSURE = "node.kubernetes.io/pid-pressure";
    /** Taint key of a cordoned node ({@code spec.unschedulable}). */
    public static final String TAINT_NODE_UNSCHEDULABLE = "node.kubernetes.io/unschedulable";
    /** Taint key of a node without a pod network; tolerated only by hostNetwork pods, which do not need it. */
    public static final String TAINT_NODE_NETWORK_UNAVAILABLE = "node.kubernetes.io/network-unavailable";

    /**
     * The defaults as shared constants: this merge runs for every (node, DaemonSet) pair evaluated,
     * and building the defaults and copying each toleration through fabric8's builders was most of
     * its cost. The merged lists hold these objects and the template's own, never changed (read-only).
     */
    private static final List<Toleration> DEFAULTS = List.copyOf(daemonPodTolerations(false));
    private static final List<Toleration> DEFAULTS_HOST_NETWORK = List.copyOf(daemonPodTolerations(true));

    private DaemonPodTolerations() {
    }

    /**
     * addOrUpdateDaemonPodTolerations returns the pod's tolerations with the daemon defaults merged
     * in, leaving the spec untouched. For each default, in upstream order: an existing toleration
     * with the same key, operator, value and effect is kept when it is deep-equal and otherwise
     * replaced in place (so a user's tolerationSeconds on {@code not-ready:NoExecute} is dropped);
     * without such a toleration the default is appended. The list is new; the tolerations in it are
     * the spec's and shared defaults, which callers must not change.
     */
    public static List<Toleration> addOrUpdateDaemonPodTolerations(PodSpec spec) {
        List<Toleration> tolerations = new ArrayList<>();
        if (spec.getTolerations() != null) {
            for (Toleration toleration : spec.getTolerations()) {
                if (toleration != null) {
                    tolerations.add(toleration);
                }
            }
        }
        for (Toleration toleration : Boolean.TRUE.equals(spec.getHostNetwork()) ? DEFAULTS_HOST_NETWORK : DEFAULTS) {
            tolerations = addOrUpdateTolerationInPodSpec(tolerations, toleration);
        }
        return tolerations;
    }

    /** daemonPodTolerations lists the defaults; network-unavailable only for hostNetwork pods. */
    public static List<Toleration> daemonPodTolerations(boolean hostNetwork) {
        List<Toleration> defaults = new ArrayList<>(List.of(
                exists(TAINT_NODE_NOT_READY, Tolerations.EFFECT_NO_EXECUTE),
                exists(TAINT_NODE_UNREACHABLE, Tolerations.EFFECT_NO_EXECUTE),
                exists(TAINT_NODE_DISK_PRESSURE, Tolerations.EFFECT_NO_SCHEDULE),
                exists(TAINT_NODE_MEMORY_PRESSURE, Tolerations.EFFECT_NO_SCHEDULE),
                exists(TAINT_NODE_PID_PRESSURE, Tolerations.EFFECT_NO_SCHEDULE),
                exists(TAINT_NODE_UNSCHEDULABLE, Tolerations.EFFECT_NO_SCHEDULE)));
        if (hostNetwork) {
            defaults.add(exists(TAINT_NODE_NETWORK_UNAVAILABLE, Tolerations.EFFECT_NO_SCHEDULE));
        }
        return defaults;
    }

    /**
     * addOrUpdateTolerationInPodSpec merges one toleration into a list (returned as a new list),
     * with upstream's rule: the first identical match leaves the list as it is; otherwise every
     * toleration with the same key/operator/value/effect is replaced in place, and the toleration
     * is appended when there was none.
     */
    static List<Toleration> addOrUpdateTolerationInPodSpec(List<Toleration> tolerations, Toleration toleration) {
        List<Toleration> merged = new ArrayList<>(tolerations.size() + 1);
        boolean updated = false;
        for (Toleration existing : tolerations) {
            if (matchToleration(toleration, existing)) {
                if (semanticallyEqual(toleration, existing)) {
                    return tolerations;
                }
                merged.add(toleration);
                updated = true;
            } else {
                merged.add(existing);
            }
        }
        if (!updated) {
            merged.add(toleration);
        }
        return merged;
    }

    /** matchToleration: same key, operator, value and effect (upstream {@code MatchToleration}). */
    static boolean matchToleration(Toleration a, Toleration b) {
        return nullToEmpty(a.getKey()).equals(nullToEmpty(b.getKey()))
                && nullToEmpty(a.getEffect()).equals(nullToEmpty(b.getEffect()))
                && nullToEmpty(a.getOperator()).equals(nullToEmpty(b.getOperator()))
                && nullToEmpty(a.getValue()).equals(nullToEmpty(b.getValue()));
    }

    /** semanticallyEqual: identity plus the same tolerationSeconds (null and "" strings are equal, as in Go). */
    private static boolean semanticallyEqual(Toleration a, Toleration b) {
        return matchToleration(a, b) && Objects.equals(a.getTolerationSeconds(), b.getTolerationSeconds());
    }

    private static Toleration exists(String key, String effect) {
        return new TolerationBuilder().withKey(key).withOperator(Tolerations.OPERATOR_EXISTS).withEffect(effect).build();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
