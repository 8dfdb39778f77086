package io.dsplane.daemonset.validation;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.dsplane.contracts.api.FieldErrors;
import io.dsplane.contracts.api.KubeJson;
import io.dsplane.contracts.api.LabelSelector;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.api.model.apps.DaemonSetUpdateStrategy;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDaemonSet;

/**
 * DaemonSetValidation holds the apps/v1 DaemonSet rules of the upstream API server
 * ({@code pkg/apis/apps/validation}): the spec on create and update, the selector's immutability on
 * update, and the status on a status write. Field paths and messages are upstream's, so a client sees
 * the same causes as from a Kubernetes cluster. Metadata (name, namespace, labels, annotations) is
 * checked by the registry for every kind. Call after defaulting, as the API server does.
 */
public final class DaemonSetValidation {

    public static final String ROLLING_UPDATE = "RollingUpdate";
    public static final String ON_DELETE = "OnDelete";
    public static final List<String> UPDATE_STRATEGY_TYPES = List.of(ROLLING_UPDATE, ON_DELETE);
    public static final String RESTART_POLICY_ALWAYS = "Always";

    static final String IS_NEGATIVE = "must be greater than or equal to 0";
    static final String SELECTOR_MISMATCH = "`selector` does not match template `labels`";
    static final String EMPTY_SELECTOR = "empty selector is invalid for daemonset";
    static final String ACTIVE_DEADLINE = "activeDeadlineSeconds in DaemonSet is not Supported";
    static final String IMMUTABLE = "field is immutable";
    static final String PERCENT_FMT = "[0-9]+%";
    static final String PERCENT_MSG = "a valid percent string must be a numeric string followed by an ending '%'"
            + " (e.g. '1%',  or '93%', regex used for validation is '" + PERCENT_FMT + "')";
    static final String MORE_THAN_100 = "must not be greater than 100%";
    static final String SURGE_WITH_UNAVAILABLE = "may not be set when maxUnavailable is non-zero";
    static final String BOTH_ZERO = "cannot be 0 when maxSurge is 0";
    static final String DECREMENTED = "cannot be decremented";
    private static final Pattern PERCENT = Pattern.compile("^" + PERCENT_FMT + "$");

    private DaemonSetValidation() {
    }

    /** validateDaemonSet checks a DaemonSet written by a client (ValidateDaemonSet without metadata). */
    public static void validateDaemonSet(DaemonSet ds, FieldErrors errors) {
        validateDaemonSetSpec(ds.getSpec() == null ? new DaemonSetSpec() : ds.getSpec(), "spec", errors);
    }

    /**
     * validateDaemonSetUpdate checks a replacement: every create rule again, plus the selector may not
     * change (apps/v1 makes it immutable; only the long-gone extensions/v1beta1 allowed it).
     */
    public static void validateDaemonSetUpdate(DaemonSet ds, DaemonSet old, FieldErrors errors) {
        validateDaemonSet(ds, errors);
        Object selector = ds.getSpec() == null ? null : ds.getSpec().getSelector();
        Object oldSelector = old.getSpec() == null ? null : old.getSpec().getSelector();
        if (!Objects.equals(json(selector), json(oldSelector))) {
            errors.invalid("spec.selector", json(selector), IMMUTABLE);
        }
    }

    /**
     * validateDaemonSetSpec checks, in upstream's order: selector syntax; that the selector matches the
     * template labels (a nil selector matches nothing, so it fails here); that the selector is not
     * empty; the pod template; restartPolicy Always; no activeDeadlineSeconds; minReadySeconds; the
     * update strategy; revisionHistoryLimit (0 is valid).
     */
    public static void validateDaemonSetSpec(DaemonSetSpec spec, String path, FieldErrors errors) {
        io.fabric8.kubernetes.api.model.LabelSelector selector = spec.getSelector();
        LabelSelectorValidation.validateLabelSelector(selector, path + ".selector", errors);
        PodTemplateSpec template = spec.getTemplate();
        Map<String, String> templateLabels = template == null || template.getMetadata() == null
                || template.getMetadata().getLabels() == null ? Map.of() : template.getMetadata().getLabels();
        LabelSelector parsed;
        try {
            parsed = LabelSelector.fromObject(selector);
        } catch (IllegalArgumentException e) {
            parsed = null; // the syntax errors are reported above; there is nothing to match with
        }
        if (parsed != null && !parsed.matches(templateLabels)) {
            errors.invalid(path + ".template.metadata.labels", json(templateLabels), SELECTOR_MISMATCH);
        }
        if (selector != null && isEmpty(selector.getMatchLabels()) && isEmpty(selector.getMatchExpressions())) {
            errors.invalid(path + ".selector", json(selector), EMPTY_SELECTOR);
        }
        PodTemplateValidation.validatePodTemplateSpec(template, path + ".template", errors);
        PodSpec podSpec = template == null || template.getSpec() == null ? new PodSpec() : template.getSpec();
        if (!RESTART_POLICY_ALWAYS.equals(podSpec.getRestartPolicy())) {
            errors.notSupported(path + ".template.spec.restartPolicy",
                    podSpec.getRestartPolicy() == null ? "" : podSpec.getRestartPolicy(),
                    List.of(RESTART_POLICY_ALWAYS));
        }
        if (podSpec.getActiveDeadlineSeconds() != null) {
            errors.forbidden(path + ".template.spec.activeDeadlineSeconds", ACTIVE_DEADLINE);
        }
        if (spec.getMinReadySeconds() != null) {
            validateNonnegativeField(spec.getMinReadySeconds(), path + ".minReadySeconds", errors);
        }
        validateDaemonSetUpdateStrategy(spec.getUpdateStrategy() == null ? new DaemonSetUpdateStrategy()
                : spec.getUpdateStrategy(), path + ".updateStrategy", errors);
        if (spec.getRevisionHistoryLimit() != null) {
            validateNonnegativeField(spec.getRevisionHistoryLimit(), path + ".revisionHistoryLimit", errors);
        }
    }

    /**
     * validateDaemonSetUpdateStrategy: OnDelete needs nothing more (rollingUpdate is ignored);
     * RollingUpdate needs {@code rollingUpdate}; any other type is not supported. Upstream reports the
     * unsupported type at the strategy's own path, with the whole strategy as the value.
     */
    public static void validateDaemonSetUpdateStrategy(DaemonSetUpdateStrategy strategy, String path,
            FieldErrors errors) {
        String type = strategy.getType() == null ? "" : strategy.getType();
        switch (type) {
            case ON_DELETE -> {
            }
            case ROLLING_UPDATE -> {
                if (strategy.getRollingUpdate() == null) {
                    errors.required(path + ".rollingUpdate", "");
                } else {
                    validateRollingUpdateDaemonSet(strategy.getRollingUpdate(), path + ".rollingUpdate", errors);
                }
            }
            default -> errors.notSupported(path, json(strategy), UPDATE_STRATEGY_TYPES);
        }
    }

    /**
     * validateRollingUpdateDaemonSet: both values are non-negative ints or percents of at most 100%,
     * and exactly one of them is non-zero ("0%" counts as zero): surge and unavailability are two
     * different rollout modes, and with both zero a rollout could never make progress.
     */
    public static void validateRollingUpdateDaemonSet(RollingUpdateDaemonSet rolling, String path,
            FieldErrors errors) {
        String unavailablePath = path + ".maxUnavailable";
        String surgePath = path + ".maxSurge";
        validatePositiveIntOrPercent(rolling.getMaxUnavailable(), unavailablePath, errors);
        validatePositiveIntOrPercent(rolling.getMaxSurge(), surgePath, errors);
        isNotMoreThan100Percent(rolling.getMaxUnavailable(), unavailablePath, errors);
        isNotMoreThan100Percent(rolling.getMaxSurge(), surgePath, errors);
        boolean hasUnavailable = getIntOrPercentValue(rolling.getMaxUnavailable()) != 0;
        boolean hasSurge = getIntOrPercentValue(rolling.getMaxSurge()) != 0;
        if (hasUnavailable && hasSurge) {
            errors.invalid(surgePath, valueOf(rolling.getMaxSurge()), SURGE_WITH_UNAVAILABLE);
        } else if (!hasUnavailable && !hasSurge) {
            errors.required(unavailablePath, BOTH_ZERO);
        }
    }

    /** validatePositiveIntOrPercent: an int must be >= 0, a string must look like {@code N%}; nil passes. */
    public static void validatePositiveIntOrPercent(IntOrString value, String path, FieldErrors errors) {
        if (value == null) {
            return;
        }
        if (value.getStrVal() != null) {
            if (!PERCENT.matcher(value.getStrVal()).matches()) {
                errors.invalid(path, value.getStrVal(), PERCENT_MSG);
            }
        } else if (value.getIntVal() != null) {
            validateNonnegativeField(value.getIntVal(), path, errors);
        }
    }

    /** isNotMoreThan100Percent reports a percent above 100%; ints and malformed strings pass here. */
    public static void isNotMoreThan100Percent(IntOrString value, String path, FieldErrors errors) {
        Long percent = percentValue(value);
        if (percent != null && percent > 100) {
            errors.invalid(path, value.getStrVal(), MORE_THAN_100);
        }
    }

    /**
     * getIntOrPercentValue is the number in an int-or-percent: N for "N%", the int for an int, and 0 for
     * nil or a string that is not a number, as upstream's IntValue().
     */
    public static long getIntOrPercentValue(IntOrString value) {
        if (value == null) {
            return 0;
        }
        Long percent = percentValue(value);
        if (percent != null) {
            return percent;
        }
        if (value.getIntVal() != null) {
            return value.getIntVal();
        }
        try {
            return Long.parseLong(value.getStrVal());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Long percentValue(IntOrString value) {
        if (value == null || value.getStrVal() == null || !PERCENT.matcher(value.getStrVal()).matches()) {
            return null;
        }
        String digits = value.getStrVal().substring(0, value.getStrVal().length() - 1);
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE; // more digits than a long holds: certainly more than 100%
        }
    }

    /**
     * validateDaemonSetStatusUpdate checks a status write: every counter and observedGeneration
     * non-negative, collisionCount non-negative and never decremented (it makes revision names unique).
     */
    public static void validateDaemonSetStatusUpdate(DaemonSet ds, DaemonSet old, FieldErrors errors) {
        DaemonSetStatus s = ds.getStatus() == null ? new DaemonSetStatus() : ds.getStatus();
        nonNegative(s.getCurrentNumberScheduled(), "status.currentNumberScheduled", errors);
        nonNegative(s.getNumberMisscheduled(), "status.numberMisscheduled", errors);
        nonNegative(s.getDesiredNumberScheduled(), "status.desiredNumberScheduled", errors);
        nonNegative(s.getNumberReady(), "status.numberReady", errors);
        nonNegative(s.getObservedGeneration(), "status.observedGeneration", errors);
        nonNegative(s.getUpdatedNumberScheduled(), "status.updatedNumberScheduled", errors);
        nonNegative(s.getNumberAvailable(), "status.numberAvailable", errors);
        nonNegative(s.getNumberUnavailable(), "status.numberUnavailable", errors);
        nonNegative(s.getCollisionCount(), "status.collisionCount", errors);
        Integer oldCount = old.getStatus() == null ? null : old.getStatus().getCollisionCount();
        Integer newCount = s.getCollisionCount();
        if (oldCount != null && (newCount == null || newCount < oldCount)) {
            errors.invalid("status.collisionCount", newCount == null ? 0 : newCount, DECREMENTED);
        }
    }

    private static void nonNegative(Number value, String path, FieldErrors errors) {
        if (value != null) {
            validateNonnegativeField(value.longValue(), path, errors);
        }
    }

    /** validateNonnegativeField reports a negative number with upstream's message. */
    public static void validateNonnegativeField(long value, String path, FieldErrors errors) {
        if (value < 0) {
            errors.invalid(path, value, IS_NEGATIVE);
        }
    }

    private static Object valueOf(IntOrString v) {
        if (v == null) {
            return null;
        }
        return v.getStrVal() != null ? v.getStrVal() : v.getIntVal();
    }

    /** json renders a structured value for a message as compact JSON (upstream prints Go values). */
    private static JsonNode json(Object value) {
        return KubeJson.json().valueToTree(value);
    }

    private static boolean isEmpty(java.util.Collection<?> c) {
        return c == null || c.isEmpty();
    }

    private static boolean isEmpty(Map<?, ?> m) {
        return m == null || m.isEmpty();
    }
}
