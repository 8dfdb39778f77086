package io.dsplane.contracts.api;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;

/**
 * LabelSelector is a parsed label selector: the requirements are ANDed. It is built either from the
 * query-string syntax of {@code ?labelSelector=} ({@link #parse}) or from a metav1.LabelSelector
 * object ({@link #fromObject}), with upstream's rules: an empty selector matches everything, a nil
 * object selector matches nothing.
 */
public final class LabelSelector {

    private static final Pattern SET_BASED = Pattern.compile("^(\\S+?)\\s+(in|notin)\\s*\\((.*)\\)$");
    private static final LabelSelector EVERYTHING = new LabelSelector(List.of(), false);
    private static final LabelSelector NOTHING = new LabelSelector(List.of(), true);

    private final List<Requirement> requirements;
    private final boolean nothing;

    private LabelSelector(List<Requirement> requirements, boolean nothing) {
        this.requirements = List.copyOf(requirements);
        this.nothing = nothing;
    }

    public static LabelSelector everything() {
        return EVERYTHING;
    }

    public static LabelSelector nothing() {
        return NOTHING;
    }

    public static LabelSelector of(List<Requirement> requirements) {
        return new LabelSelector(requirements, false);
    }

    public List<Requirement> requirements() {
        return requirements;
    }

    /** isEmpty is true for the selector that matches everything. */
    public boolean isEmpty() {
        return !nothing && requirements.isEmpty();
    }

    public boolean matches(Map<String, String> labels) {
        if (nothing) {
            return false;
        }
        for (Requirement r : requirements) {
            if (!r.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    /**
     * parse reads the query syntax: {@code k=v}, {@code k==v}, {@code k!=v}, {@code k in (a,b)},
     * {@code k notin (a)}, {@code k}, {@code !k}, {@code k>1}, {@code k<1}; commas mean AND.
     *
     * @throws IllegalArgumentException with a message naming the bad part
     */
    public static LabelSelector parse(String selector) {
        if (selector == null || selector.isBlank()) {
            return EVERYTHING;
        }
        List<Requirement> out = new ArrayList<>();
        for (String part : splitTopLevel(selector)) {
            out.add(parseRequirement(part.trim(), selector));
        }
        return new LabelSelector(out, false);
    }

    private static List<String> splitTopLevel(String s) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
                if (depth < 0) {
                    throw new IllegalArgumentException("unable to parse requirement: unbalanced ')' in \"" + s + "\"");
                }
            } else if (c == ',' && depth == 0) {
                parts.add(s.substring(start, i));
                start = i + 1;
            }
        }
        if (depth != 0) {
            throw new IllegalArgumentException("unable to parse requirement: unbalanced '(' in \"" + s + "\"");
        }
        parts.add(s.substring(start));
        return parts;
    }

    private static Requirement parseRequirement(String part, String whole) {
        if (part.isEmpty()) {
            throw new IllegalArgumentException("unable to parse requirement: empty requirement in \"" + whole + "\"");
        }
        Matcher set = SET_BASED.matcher(part);
        if (set.matches()) {
            List<String> values = new ArrayList<>(new LinkedHashSet<>(
                    List.of(set.group(3).split(",", -1)).stream().map(String::trim).toList()));
            Requirement.Operator op = set.group(2).equals("in") ? Requirement.Operator.IN : Requirement.Operator.NOT_IN;
            return requirement(set.group(1), op, values);
        }
        if (part.startsWith("!")) {
            return requirement(part.substring(1).trim(), Requirement.Operator.DOES_NOT_EXIST, List.of());
        }
        for (String[] op : new String[][] {{"!=", "NOT_EQUALS"}, {"==", "EQUALS"}, {"=", "EQUALS"},
                {">", "GT"}, {"<", "LT"}}) {
            int at = part.indexOf(op[0]);
            if (at >= 0) {
                return requirement(part.substring(0, at).trim(), Requirement.Operator.valueOf(op[1]),
                        List.of(part.substring(at + op[0].length()).trim()));
            }
        }
        return requirement(part, Requirement.Operator.EXISTS, List.of());
    }

    /** requirement validates key and values as upstream NewRequirement does. */
    public static Requirement requirement(String key, Requirement.Operator op, List<String> values) {
        List<String> keyErrors = NameValidation.isQualifiedName(key);
        if (!keyErrors.isEmpty()) {
            throw new IllegalArgumentException("invalid label key \"" + key + "\": " + keyErrors.get(0));
        }
        switch (op) {
            case IN, NOT_IN -> {
                if (values.isEmpty()) {
                    throw new IllegalArgumentException("for 'in', 'notin' operators, values set can't be empty");
                }
            }
            case EQUALS, NOT_EQUALS -> {
                if (values.size() != 1) {
                    throw new IllegalArgumentException("exact-match compatibility requires one single value");
                }
            }
            case EXISTS, DOES_NOT_EXIST -> {
                if (!values.isEmpty()) {
                    throw new IllegalArgumentException("values set must be empty for exists and does not exist");
                }
            }
            case GT, LT -> {
                if (values.size() != 1) {
                    throw new IllegalArgumentException("for 'Gt', 'Lt' operators, exactly one value is required");
                }
                try {
                    Long.parseLong(values.get(0));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("for 'Gt', 'Lt' operators, the value must be an integer");
                }
            }
        }
        for (String v : values) {
            List<String> valueErrors = NameValidation.isValidLabelValue(v);
            if (!valueErrors.isEmpty() && op != Requirement.Operator.GT && op != Requirement.Operator.LT) {
                throw new IllegalArgumentException("invalid label value: \"" + v + "\": " + valueErrors.get(0));
            }
        }
        return new Requirement(key, op, values);
    }

    /**
     * fromObject converts a metav1.LabelSelector (LabelSelectorAsSelector): nil matches nothing,
     * {} matches everything, matchLabels become '=' requirements, expressions keep their operator.
     *
     * @throws IllegalArgumentException for an unknown operator or wrong value count
     */
    public static LabelSelector fromObject(io.fabric8.kubernetes.api.model.LabelSelector selector) {
        if (selector == null) {
            return NOTHING;
        }
        List<Requirement> out = new ArrayList<>();
        if (selector.getMatchLabels() != null) {
            new TreeMap<>(selector.getMatchLabels()).forEach(
                    (k, v) -> out.add(requirement(k, Requirement.Operator.EQUALS, List.of(v == null ? "" : v))));
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement e : selector.getMatchExpressions()) {
                Requirement.Operator op = switch (e.getOperator() == null ? "" : e.getOperator()) {
                    case "In" -> Requirement.Operator.IN;
                    case "NotIn" -> Requirement.Operator.NOT_IN;
                    case "Exists" -> Requirement.Operator.EXISTS;
                    case "DoesNotExist" -> Requirement.Operator.DOES_NOT_EXIST;
                    default -> throw new IllegalArgumentException("\"" + e.getOperator()
                            + "\" is not a valid label selector operator");
                };
                out.add(requirement(e.getKey(), op, e.getValues() == null ? List.of() : e.getValues()));
            }
        }
        return new LabelSelector(out, false);
    }

    /** formatLabels renders a label map as kubectl does: sorted {@code k=v} pairs, or {@code <none>}. */
    public static String formatLabels(Map<String, String> labels) {
        if (labels == null || labels.isEmpty()) {
            return "<none>";
        }
        return new TreeMap<>(labels).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
    }

    @Override
    public String toString() {
        if (nothing) {
            return "<nothing>";
        }
        return requirements.stream().map(Requirement::toString).collect(Collectors.joining(","));
    }
}
