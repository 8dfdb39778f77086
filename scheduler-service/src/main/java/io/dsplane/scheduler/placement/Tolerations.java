package io.dsplane.scheduler.placement;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Tolerations matches pod tolerations against node taints like upstream's
 * {@code Toleration.ToleratesTaint} and {@code FindMatchingUntoleratedTaint}.
 *
 * <p>{@code tolerationSeconds} is deliberately not consulted: a toleration with a time limit still
 * tolerates for placement; evicting after the limit is the node lifecycle's job, not placement's.
 * The feature-gated numeric Gt/Lt toleration operators are not supported (they never tolerate).
 */
public final class Tolerations {

    /** EFFECT_NO_SCHEDULE: no new pods unless tolerated; running pods stay. */
    public static final String EFFECT_NO_SCHEDULE = "NoSchedule";
    /** EFFECT_PREFER_NO_SCHEDULE: a scoring hint only; DaemonSet placement never looks at it. */
    public static final String EFFECT_PREFER_NO_SCHEDULE = "PreferNoSchedule";
    /** EFFECT_NO_EXECUTE: no new pods and running pods are evicted unless tolerated. */
    public static final String EFFECT_NO_EXECUTE = "NoExecute";

    /** OPERATOR_EXISTS: tolerates any value of the key (or any key when the key is empty). */
    public static final String OPERATOR_EXISTS = "Exists";
    /** OPERATOR_EQUAL: tolerates only the exact value; an empty operator means the same. */
    public static final String OPERATOR_EQUAL = "Equal";

    /** DAEMON_PLACEMENT_EFFECTS: the taint effects that decide where a daemon pod may run. */
    public static final Set<String> DAEMON_PLACEMENT_EFFECTS = Set.of(EFFECT_NO_SCHEDULE, EFFECT_NO_EXECUTE);

    private Tolerations() {
    }

    /**
     * toleratesTaint is true when the toleration's effect is empty or equal to the taint's, its key
     * is empty or equal, and its operator accepts the value (Exists: any; Equal or empty: same
     * value; anything else: never).
     */
    public static boolean toleratesTaint(Toleration toleration, Taint taint) {
        String effect = nullToEmpty(toleration.getEffect());
        if (!effect.isEmpty() && !effect.equals(nullToEmpty(taint.getEffect()))) {
            return false;
        }
        String key = nullToEmpty(toleration.getKey());
        if (!key.isEmpty() && !key.equals(nullToEmpty(taint.getKey()))) {
            return false;
        }
        return switch (nullToEmpty(toleration.getOperator())) {
            case OPERATOR_EXISTS -> true;
            case "", OPERATOR_EQUAL -> nullToEmpty(toleration.getValue()).equals(nullToEmpty(taint.getValue()));
            default -> false;
        };
    }

    /** tolerationsTolerateTaint is true when any of the tolerations tolerates the taint. */
    public static boolean tolerationsTolerateTaint(List<Toleration> tolerations, Taint taint) {
        if (tolerations == null) {
            return false;
        }
        for (Toleration toleration : tolerations) {
            if (toleration != null && toleratesTaint(toleration, taint)) {
                return true;
            }
        }
        return false;
    }

    /**
     * findMatchingUntoleratedTaint returns the first taint that passes the filter and is tolerated
     * by none of the tolerations.
     */
    public static Optional<Taint> findMatchingUntoleratedTaint(List<Taint> taints, List<Toleration> tolerations,
                                                              Predicate<Taint> inclusionFilter) {
        if (taints == null) {
            return Optional.empty();
        }
        for (Taint taint : taints) {
            if (taint != null && inclusionFilter.test(taint) && !tolerationsTolerateTaint(tolerations, taint)) {
                return Optional.of(taint);
            }
        }
        return Optional.empty();
    }

    /**
     * findAllUntoleratedTaints is like {@link #findMatchingUntoleratedTaint} but returns every such
     * taint, in node order, so an explanation can name all of them.
     */
    public static List<Taint> findAllUntoleratedTaints(List<Taint> taints, List<Toleration> tolerations,
                                                      Predicate<Taint> inclusionFilter) {
        List<Taint> untolerated = new ArrayList<>();
        if (taints != null) {
            for (Taint taint : taints) {
                if (taint != null && inclusionFilter.test(taint) && !tolerationsTolerateTaint(tolerations, taint)) {
                    untolerated.add(taint);
                }
            }
        }
        return untolerated;
    }

    /** effectIn is a taint filter that keeps taints whose effect is one of the given effects. */
    public static Predicate<Taint> effectIn(Set<String> effects) {
        return taint -> effects.contains(nullToEmpty(taint.getEffect()));
    }

    /** format renders a taint the way kubectl does: {@code key=value:effect}, or {@code key:effect} without value. */
    public static String format(Taint taint) {
        String value = nullToEmpty(taint.getValue());
        String keyValue = value.isEmpty() ? nullToEmpty(taint.getKey()) : nullToEmpty(taint.getKey()) + "=" + value;
        return keyValue + ":" + nullToEmpty(taint.getEffect());
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
