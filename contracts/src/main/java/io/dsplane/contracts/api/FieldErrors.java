package io.dsplane.contracts.api;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.StatusCause;

/**
 * FieldErrors collects validation failures the way apimachinery's field.ErrorList does: one cause per
 * failing field, with the upstream reason names (FieldValueRequired, FieldValueInvalid, ...) and
 * message wording, so a client sees every problem of a manifest at once.
 */
public final class FieldErrors {

    public static final String REQUIRED = "FieldValueRequired";
    public static final String INVALID = "FieldValueInvalid";
    public static final String NOT_SUPPORTED = "FieldValueNotSupported";
    public static final String FORBIDDEN = "FieldValueForbidden";
    public static final String DUPLICATE = "FieldValueDuplicate";
    public static final String TOO_LONG = "FieldValueTooLong";

    private final List<StatusCause> causes = new ArrayList<>();

    public FieldErrors required(String field, String detail) {
        return add(REQUIRED, field, "Required value" + suffix(detail));
    }

    public FieldErrors invalid(String field, Object value, String detail) {
        return add(INVALID, field, "Invalid value: " + render(value) + suffix(detail));
    }

    public FieldErrors notSupported(String field, Object value, Collection<String> supported) {
        String values = supported.stream().map(v -> '"' + v + '"').collect(Collectors.joining(", "));
        return add(NOT_SUPPORTED, field, "Unsupported value: " + render(value) + ": supported values: " + values);
    }

    public FieldErrors forbidden(String field, String detail) {
        return add(FORBIDDEN, field, "Forbidden" + suffix(detail));
    }

    public FieldErrors duplicate(String field, Object value) {
        return add(DUPLICATE, field, "Duplicate value: " + render(value));
    }

    public FieldErrors tooLong(String field, int max) {
        return add(TOO_LONG, field, "Too long: may not be more than " + max + " bytes");
    }

    public FieldErrors addAll(FieldErrors other) {
        causes.addAll(other.causes);
        return this;
    }

    private FieldErrors add(String reason, String field, String message) {
        StatusCause cause = new StatusCause();
        cause.setReason(reason);
        cause.setField(field);
        cause.setMessage(message);
        causes.add(cause);
        return this;
    }

    private static String suffix(String detail) {
        return detail == null || detail.isEmpty() ? "" : ": " + detail;
    }

    private static String render(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String s) {
            return '"' + s + '"';
        }
        return String.valueOf(value);
    }

    public boolean isEmpty() {
        return causes.isEmpty();
    }

    public List<StatusCause> causes() {
        return List.copyOf(causes);
    }

    /** throwIfAny answers the request with 422 Invalid naming every cause collected. */
    public void throwIfAny(String group, String kind, String name) {
        if (!causes.isEmpty()) {
            throw Statuses.invalid(group, kind, name, causes());
        }
    }
}
