package io.dsplane.contracts.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * FieldSelector is a parsed {@code ?fieldSelector=}: {@code field=value}, {@code field==value} and
 * {@code field!=value} terms, ANDed. Each resource declares which fields it supports; any other field
 * is rejected as upstream does ("field label not supported").
 */
public final class FieldSelector {

    /** Term is one field comparison. */
    public record Term(String field, boolean equals, String value) {
        boolean matches(Function<String, String> fields) {
            String actual = fields.apply(field);
            boolean same = value.equals(actual == null ? "" : actual);
            return equals == same;
        }
    }

    private final List<Term> terms;

    private FieldSelector(List<Term> terms) {
        this.terms = List.copyOf(terms);
    }

    public List<Term> terms() {
        return terms;
    }

    /**
     * parse reads the selector and checks every field is in {@code supported}.
     *
     * @throws IllegalArgumentException naming the unsupported field or malformed term
     */
    public static FieldSelector parse(String selector, Set<String> supported) {
        List<Term> terms = new ArrayList<>();
        if (selector != null && !selector.isBlank()) {
            for (String raw : selector.split(",")) {
                String part = raw.trim();
                Term term;
                int at;
                if ((at = part.indexOf("!=")) >= 0) {
                    term = new Term(part.substring(0, at).trim(), false, part.substring(at + 2).trim());
                } else if ((at = part.indexOf("==")) >= 0) {
                    term = new Term(part.substring(0, at).trim(), true, part.substring(at + 2).trim());
                } else if ((at = part.indexOf('=')) >= 0) {
                    term = new Term(part.substring(0, at).trim(), true, part.substring(at + 1).trim());
                } else {
                    throw new IllegalArgumentException("invalid selector: '" + selector
                            + "'; can't understand '" + part + "'");
                }
                if (!supported.contains(term.field())) {
                    throw new IllegalArgumentException("field label not supported: " + term.field());
                }
                terms.add(term);
            }
        }
        return new FieldSelector(terms);
    }

    /** matches evaluates every term against the object's field values. */
    public boolean matches(Function<String, String> fields) {
        for (Term t : terms) {
            if (!t.matches(fields)) {
                return false;
            }
        }
        return true;
    }

    /** equalityValue returns the value of a {@code field=value} term, or null: used to narrow a query. */
    public String equalityValue(String field) {
        for (Term t : terms) {
            if (t.field().equals(field) && t.equals()) {
                return t.value();
            }
        }
        return null;
    }
}
