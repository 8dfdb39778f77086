package io.dsplane.contracts.api;

import java.util.List;
import java.util.Map;

/**
 * Requirement is one term of a label selector ({@code labels.Requirement} upstream): a key, an
 * operator and values. {@link #matches} follows upstream exactly, including that NotIn and != match
 * objects that do not have the key at all, and that Gt/Lt need both sides to parse as int64.
 */
public record Requirement(String key, Operator operator, List<String> values) {

    /** Operator of a requirement. */
    public enum Operator {
        EQUALS("="), NOT_EQUALS("!="), IN("in"), NOT_IN("notin"), EXISTS(""), DOES_NOT_EXIST("!"), GT(">"), LT("<");

        private final String symbol;

        Operator(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }
    }

    public Requirement {
        values = List.copyOf(values);
    }

    /** matches tells whether an object with these labels satisfies the requirement. */
    public boolean matches(Map<String, String> labels) {
        Map<String, String> l = labels == null ? Map.of() : labels;
        boolean has = l.containsKey(key);
        String v = l.get(key);
        return switch (operator) {
            case EQUALS, IN -> has && values.contains(v);
            case NOT_EQUALS, NOT_IN -> !has || !values.contains(v);
            case EXISTS -> has;
            case DOES_NOT_EXIST -> !has;
            case GT, LT -> has && compareInt(v);
        };
    }

    private boolean compareInt(String labelValue) {
        if (values.size() != 1) {
            return false;
        }
        try {
            long have = Long.parseLong(labelValue);
            long want = Long.parseLong(values.get(0));
            return operator == Operator.GT ? have > want : have < want;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return switch (operator) {
            case EXISTS -> key;
            case DOES_NOT_EXIST -> "!" + key;
            case IN, NOT_IN -> key + " " + operator.symbol() + " (" + String.join(",", values) + ")";
            default -> key + operator.symbol() + values.get(0);
        };
    }
}
