package io.dsplane.daemonset.validation;

import java.util.List;

import io.dsplane.contracts.api.FieldErrors;
import io.dsplane.contracts.api.NameValidation;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;

/**
 * LabelSelectorValidation checks the syntax of a metav1.LabelSelector object as apimachinery's
 * {@code ValidateLabelSelector} does: matchLabels keys and values, and for each matchExpression a
 * known operator, the value count that operator needs, a qualified key and valid values. Each problem
 * is reported at its own path (e.g. {@code spec.selector.matchExpressions[0].operator}).
 */
public final class LabelSelectorValidation {

    public static final String IN = "In";
    public static final String NOT_IN = "NotIn";
    public static final String EXISTS = "Exists";
    public static final String DOES_NOT_EXIST = "DoesNotExist";

    private LabelSelectorValidation() {
    }

    /** validateLabelSelector adds a cause per syntax problem of {@code selector}; nil is valid here. */
    public static void validateLabelSelector(LabelSelector selector, String path, FieldErrors errors) {
        if (selector == null) {
            return;
        }
        NameValidation.validateLabels(selector.getMatchLabels(), path + ".matchLabels", errors);
        List<LabelSelectorRequirement> expressions = selector.getMatchExpressions();
        if (expressions == null) {
            return;
        }
        for (int i = 0; i < expressions.size(); i++) {
            validateLabelSelectorRequirement(expressions.get(i), path + ".matchExpressions[" + i + "]", errors);
        }
    }

    /** validateLabelSelectorRequirement checks one matchExpression. */
    public static void validateLabelSelectorRequirement(LabelSelectorRequirement r, String path, FieldErrors errors) {
        List<String> values = r.getValues() == null ? List.of() : r.getValues();
        String operator = r.getOperator() == null ? "" : r.getOperator();
        switch (operator) {
            case IN, NOT_IN -> {
                if (values.isEmpty()) {
                    errors.required(path + ".values", "must be specified when `operator` is 'In' or 'NotIn'");
                }
            }
            case EXISTS, DOES_NOT_EXIST -> {
                if (!values.isEmpty()) {
                    errors.forbidden(path + ".values",
                            "may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
                }
            }
            default -> errors.invalid(path + ".operator", operator, "not a valid selector operator");
        }
        String key = r.getKey() == null ? "" : r.getKey();
        for (String msg : NameValidation.isQualifiedName(key)) {
            errors.invalid(path + ".key", key, msg);
        }
        for (int i = 0; i < values.size(); i++) {
            String v = values.get(i) == null ? "" : values.get(i);
            for (String msg : NameValidation.isValidLabelValue(v)) {
                errors.invalid(path + ".values[" + i + "]", v, msg);
            }
        }
    }
}
