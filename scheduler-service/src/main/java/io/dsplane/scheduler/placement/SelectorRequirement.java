package io.dsplane.scheduler.placement;

import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * SelectorRequirement is one validated requirement of a node selector term: either a
 * {@code matchExpressions} entry (against node labels) or a {@code matchFields} entry (against
 * node fields, of which only {@code metadata.name} exists).
 *
 * <p>Parsing is separate from matching because upstream treats a term with any malformed
 * requirement as a term that never matches, while other terms may still match; the parse error is
 * kept as a human-readable sentence so the scheduler can explain why a node was not chosen.
 */
public final class SelectorRequirement {

    /** OP_IN: the label is present and its value is one of the values. */
    public static final String OP_IN = "In";
    /** OP_NOT_IN: the label is absent, or present with a value that is not one of the values. */
    public static final String OP_NOT_IN = "NotIn";
    /** OP_EXISTS: the label is present, whatever its value. */
    public static final String OP_EXISTS = "Exists";
    /** OP_DOES_NOT_EXIST: the label is absent. */
    public static final String OP_DOES_NOT_EXIST = "DoesNotExist";
    /** OP_GT: the label is present, is an int64 and is greater than the single given integer. */
    public static final String OP_GT = "Gt";
    /** OP_LT: the label is present, is an int64 and is less than the single given integer. */
    public static final String OP_LT = "Lt";

    /** NODE_NAME_FIELD: the only node field a {@code matchFields} requirement can see. */
    public static final String NODE_NAME_FIELD = "metadata.name";

    /** Parse error: In/NotIn without values could never be satisfied (In) or is meaningless (NotIn). */
    public static final String ERR_NEEDS_VALUES = "operator %s needs at least one value";
    /** Parse error: Exists/DoesNotExist look at the key only, so values are a mistake. */
    public static final String ERR_TAKES_NO_VALUES = "operator %s takes no values";
    /** Parse error: Gt/Lt compare against exactly one int64. */
    public static final String ERR_NEEDS_ONE_INTEGER = "operator %s needs exactly one integer value";
    /** Parse error: anything but the six label operators. */
    public static final String ERR_UNKNOWN_OPERATOR = "unknown operator \"%s\"";
    /** Parse error: the key must be a qualified name ({@code [prefix/]name}). */
    public static final String ERR_INVALID_KEY = "invalid label key \"%s\"";
    /** Parse error: values must be valid label values (at most 63 chars, alphanumeric ends). */
    public static final String ERR_INVALID_VALUE = "invalid label value \"%s\" for key %s";
    /** Parse error: matchFields only supports In and NotIn. */
    public static final String ERR_FIELD_OPERATOR = "operator %s is not supported for field %s";
    /** Parse error: matchFields In/NotIn compare against exactly one value. */
    public static final String ERR_FIELD_NEEDS_ONE_VALUE = "operator %s on field %s needs exactly one value";

    /** Mismatch: the node has the key but with another value. */
    public static final String MISMATCH_HAS_VALUE = "node has %s=%s";
    /** Mismatch: the node lacks the key (a label, or a field other than metadata.name). */
    public static final String MISMATCH_MISSING = "node has no %s %s";
    /** Mismatch: Gt/Lt need an integer on the node. */
    public static final String MISMATCH_NOT_INTEGER = "node has %s=%s, not an integer";

    /** INT64: what Go's {@code strconv.ParseInt(s, 10, 64)} accepts (ASCII digits only). */
    private static final Pattern INT64 = Pattern.compile("[+-]?[0-9]+");

    /** Source tells whether a requirement reads node labels or node fields. */
    public enum Source {
        LABEL("requirement", "label"),
        FIELD("field", "field");

        private final String title;
        private final String noun;

        Source(String title, String noun) {
            this.title = title;
            this.noun = noun;
        }
    }

    /**
     * Parsed is the outcome of parsing one requirement: the requirement when valid, or the
     * readable reasons it is invalid.
     */
    public record Parsed(Optional<SelectorRequirement> requirement, List<String> errors) {
        public Parsed {
            errors = List.copyOf(errors);
        }

        /** isValid is true when the requirement can be evaluated. */
        public boolean isValid() {
            return requirement.isPresent();
        }
    }

    private final Source source;
    private final String key;
    private final String operator;
    private final List<String> values;
    private final long integer;

    private SelectorRequirement(Source source, String key, String operator, List<String> values, long integer) {
        this.source = source;
        this.key = key;
        this.operator = operator;
        this.values = List.copyOf(values);
        this.integer = integer;
    }

    /**
     * parseLabelRequirement validates a {@code matchExpressions} entry with label selector rules:
     * qualified key, known operator, value count per operator, Gt/Lt integers, valid label values.
     */
    public static Parsed parseLabelRequirement(NodeSelectorRequirement requirement) {
        String key = nullToEmpty(requirement.getKey());
        String operator = nullToEmpty(requirement.getOperator());
        List<String> values = valuesOf(requirement);
        List<String> errors = new ArrayList<>();
        if (!LabelSyntax.isQualifiedName(key)) {
            errors.add(String.format(ERR_INVALID_KEY, key));
        }
        long integer = 0;
        switch (operator) {
            case OP_IN, OP_NOT_IN -> {
                if (values.isEmpty()) {
                    errors.add(String.format(ERR_NEEDS_VALUES, operator));
                }
            }
            case OP_EXISTS, OP_DOES_NOT_EXIST -> {
                if (!values.isEmpty()) {
                    errors.add(String.format(ERR_TAKES_NO_VALUES, operator));
                }
            }
            case OP_GT, OP_LT -> {
                Optional<Long> parsed = values.size() == 1 ? parseInt64(values.get(0)) : Optional.empty();
                if (parsed.isEmpty()) {
                    errors.add(String.format(ERR_NEEDS_ONE_INTEGER, operator));
                } else {
                    integer = parsed.get();
                }
            }
            default -> errors.add(String.format(ERR_UNKNOWN_OPERATOR, operator));
        }
        for (String value : values) {
            if (!LabelSyntax.isLabelValue(value)) {
                errors.add(String.format(ERR_INVALID_VALUE, value, key));
            }
        }
        if (!errors.isEmpty()) {
            return new Parsed(Optional.empty(), errors);
        }
        return new Parsed(Optional.of(new SelectorRequirement(Source.LABEL, key, operator, values, integer)), List.of());
    }

    /**
     * parseFieldRequirement validates a {@code matchFields} entry: only In and NotIn, each with
     * exactly one value. The key is not checked; an unknown field simply never has a value.
     */
    public static Parsed parseFieldRequirement(NodeSelectorRequirement requirement) {
        String key = nullToEmpty(requirement.getKey());
        String operator = nullToEmpty(requirement.getOperator());
        List<String> values = valuesOf(requirement);
        if (!OP_IN.equals(operator) && !OP_NOT_IN.equals(operator)) {
            return new Parsed(Optional.empty(), List.of(String.format(ERR_FIELD_OPERATOR, operator, key)));
        }
        if (values.size() != 1) {
            return new Parsed(Optional.empty(), List.of(String.format(ERR_FIELD_NEEDS_ONE_VALUE, operator, key)));
        }
        return new Parsed(Optional.of(new SelectorRequirement(Source.FIELD, key, operator, values, 0)), List.of());
    }

    /** matches evaluates the requirement against node labels (or node fields for a FIELD requirement). */
    public boolean matches(Map<String, String> nodeValues) {
        return mismatch(nodeValues).isEmpty();
    }

    /**
     * mismatch explains why the requirement does not match, naming the node's actual value, or is
     * empty when it matches.
     */
    public Optional<String> mismatch(Map<String, String> nodeValues) {
        boolean present = nodeValues != null && nodeValues.containsKey(key);
        String actual = present ? nullToEmpty(nodeValues.get(key)) : null;
        if (source == Source.FIELD && !present) {
            // A field selector reads a missing field as "", so In [""] matches and NotIn [""] does not.
            return "".equals(values.get(0)) == OP_IN.equals(operator)
                    ? Optional.empty() : Optional.of(String.format(MISMATCH_MISSING, source.noun, key));
        }
        boolean matches = switch (operator) {
            case OP_IN -> present && values.contains(actual);
            case OP_NOT_IN -> !present || !values.contains(actual);
            case OP_EXISTS -> present;
            case OP_DOES_NOT_EXIST -> !present;
            case OP_GT -> present && parseInt64(actual).map(v -> v > integer).orElse(false);
            case OP_LT -> present && parseInt64(actual).map(v -> v < integer).orElse(false);
            default -> false;
        };
        if (matches) {
            return Optional.empty();
        }
        if (!present) {
            return Optional.of(String.format(MISMATCH_MISSING, source.noun, key));
        }
        if ((OP_GT.equals(operator) || OP_LT.equals(operator)) && parseInt64(actual).isEmpty()) {
            return Optional.of(String.format(MISMATCH_NOT_INTEGER, key, actual));
        }
        return Optional.of(String.format(MISMATCH_HAS_VALUE, key, actual));
    }

    /** describe renders the requirement for messages, e.g. {@code requirement zone In [a,b]}. */
    public String describe() {
        String text = source.title + " " + key + " " + operator;
        if (OP_EXISTS.equals(operator) || OP_DOES_NOT_EXIST.equals(operator)) {
            return text;
        }
        return text + " [" + String.join(",", values) + "]";
    }

    public Source source() {
        return source;
    }

    public String key() {
        return key;
    }

    public String operator() {
        return operator;
    }

    public List<String> values() {
        return values;
    }

    @Override
    public String toString() {
        return describe();
    }

    /** parseInt64 mirrors Go's base-10 ParseInt: optional sign, ASCII digits, no overflow. */
    static Optional<Long> parseInt64(String text) {
        if (text == null || !INT64.matcher(text).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(text));
        } catch (NumberFormatException overflow) {
            return Optional.empty();
        }
    }

    private static List<String> valuesOf(NodeSelectorRequirement requirement) {
        if (requirement.getValues() == null) {
            return List.of();
        }
        List<String> values = new ArrayList<>();
        for (String value : requirement.getValues()) {
            values.add(nullToEmpty(value));
        }
        return values;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
