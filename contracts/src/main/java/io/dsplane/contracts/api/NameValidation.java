package io.dsplane.contracts.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.ObjectMeta;

/**
 * NameValidation holds apimachinery's name, label and annotation syntax rules (util/validation), with
 * the upstream messages, so names accepted here are exactly those a Kubernetes API server accepts.
 */
public final class NameValidation {

    private static final String DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private static final String DNS1123_SUBDOMAIN_FMT = DNS1123_LABEL_FMT + "(\\." + DNS1123_LABEL_FMT + ")*";
    private static final String QUALIFIED_NAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";

    /** 253: the DNS subdomain limit (RFC 1123). */
    public static final int DNS1123_SUBDOMAIN_MAX = 253;
    /** 63: the DNS label limit (RFC 1123), also the limit of label values and name parts of keys. */
    public static final int DNS1123_LABEL_MAX = 63;
    /** 256 KiB: total size of all annotations of one object, as upstream. */
    public static final int TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

    private NameValidation() {
    }

    // The formats above are what the messages quote; the checks below decide exactly the same by one
    // scan of the characters. Every pod a decision creates has its name, labels and annotations
    // checked, and the regular expressions (with their backtracking groups) cost more than the rest of
    // the validation.

    /** isSubdomainSyntax matches DNS1123_SUBDOMAIN_FMT: DNS labels joined by single dots. */
    private static boolean isSubdomainSyntax(String value) {
        int start = 0;
        for (int i = 0; i <= value.length(); i++) {
            if (i == value.length() || value.charAt(i) == '.') {
                if (!isLabelSyntax(value, start, i)) {
                    return false;
                }
                start = i + 1;
            }
        }
        return true;
    }

    /** isLabelSyntax matches DNS1123_LABEL_FMT on value[from, to): [a-z0-9], inner '-' allowed. */
    private static boolean isLabelSyntax(String value, int from, int to) {
        if (to <= from || !isLowerAlnum(value.charAt(from)) || !isLowerAlnum(value.charAt(to - 1))) {
            return false;
        }
        for (int i = from + 1; i < to - 1; i++) {
            char c = value.charAt(i);
            if (c != '-' && !isLowerAlnum(c)) {
                return false;
            }
        }
        return true;
    }

    /** isQualifiedNameSyntax matches QUALIFIED_NAME_FMT: [A-Za-z0-9] at both ends, '-', '_', '.' inside. */
    private static boolean isQualifiedNameSyntax(String value) {
        int n = value.length();
        if (n == 0 || !isAlnum(value.charAt(0)) || !isAlnum(value.charAt(n - 1))) {
            return false;
        }
        for (int i = 1; i < n - 1; i++) {
            char c = value.charAt(i);
            if (c != '-' && c != '_' && c != '.' && !isAlnum(c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isLowerAlnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }

    private static boolean isAlnum(char c) {
        return isLowerAlnum(c) || (c >= 'A' && c <= 'Z');
    }

    /** isDNS1123Subdomain returns the problems of a value that must be a DNS subdomain; empty when valid. */
    public static List<String> isDNS1123Subdomain(String value) {
        List<String> errs = new ArrayList<>();
        if (value.length() > DNS1123_SUBDOMAIN_MAX) {
            errs.add("must be no more than " + DNS1123_SUBDOMAIN_MAX + " characters");
        }
        if (!isSubdomainSyntax(value)) {
            errs.add("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.',"
                    + " and must start and end with an alphanumeric character (e.g. 'example.com', regex used for"
                    + " validation is '" + DNS1123_SUBDOMAIN_FMT + "')");
        }
        return errs;
    }

    /** isDNS1123Label returns the problems of a value that must be a DNS label; empty when valid. */
    public static List<String> isDNS1123Label(String value) {
        List<String> errs = new ArrayList<>();
        if (value.length() > DNS1123_LABEL_MAX) {
            errs.add("must be no more than " + DNS1123_LABEL_MAX + " characters");
        }
        if (!isLabelSyntax(value, 0, value.length())) {
            errs.add("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and"
                    + " must start and end with an alphanumeric character (e.g. 'my-name', or '123-abc', regex used"
                    + " for validation is '" + DNS1123_LABEL_FMT + "')");
        }
        return errs;
    }

    /** isQualifiedName checks a label/annotation key: optional DNS-subdomain prefix, '/', and a name part. */
    public static List<String> isQualifiedName(String value) {
        List<String> errs = new ArrayList<>();
        String[] parts = value.split("/", -1);
        String name;
        if (parts.length == 1) {
            name = parts[0];
        } else if (parts.length == 2) {
            String prefix = parts[0];
            name = parts[1];
            if (prefix.isEmpty()) {
                errs.add("prefix part must be non-empty");
            } else {
                for (String e : isDNS1123Subdomain(prefix)) {
                    errs.add("prefix part " + e);
                }
            }
        } else {
            errs.add("a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and"
                    + " end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used"
                    + " for validation is '" + QUALIFIED_NAME_FMT + "') with an optional DNS subdomain prefix and"
                    + " '/' (e.g. 'example.com/MyName')");
            return errs;
        }
        if (name.isEmpty()) {
            errs.add("name part must be non-empty");
        } else if (name.length() > DNS1123_LABEL_MAX) {
            errs.add("name part must be no more than " + DNS1123_LABEL_MAX + " characters");
        }
        if (!name.isEmpty() && !isQualifiedNameSyntax(name)) {
            errs.add("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end"
                    + " with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for"
                    + " validation is '" + QUALIFIED_NAME_FMT + "')");
        }
        return errs;
    }

    /** isValidLabelValue checks a label value: empty, or up to 63 characters of the qualified-name alphabet. */
    public static List<String> isValidLabelValue(String value) {
        List<String> errs = new ArrayList<>();
        if (value.length() > DNS1123_LABEL_MAX) {
            errs.add("must be no more than " + DNS1123_LABEL_MAX + " characters");
        }
        if (!value.isEmpty() && !isQualifiedNameSyntax(value)) {
            errs.add("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.',"
                    + " and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or"
                    + " '12345', regex used for validation is '(" + QUALIFIED_NAME_FMT + ")?')");
        }
        return errs;
    }

    /** validateLabels adds a cause per invalid key or value under {@code path}. */
    public static void validateLabels(Map<String, String> labels, String path, FieldErrors errors) {
        if (labels == null) {
            return;
        }
        labels.forEach((k, v) -> {
            for (String e : isQualifiedName(k)) {
                errors.invalid(path, k, e);
            }
            for (String e : isValidLabelValue(v == null ? "" : v)) {
                errors.invalid(path, v, e);
            }
        });
    }

    /** validateAnnotations checks the keys and the total size of annotations under {@code path}. */
    public static void validateAnnotations(Map<String, String> annotations, String path, FieldErrors errors) {
        if (annotations == null) {
            return;
        }
        long total = 0;
        for (Map.Entry<String, String> a : annotations.entrySet()) {
            for (String e : isQualifiedName(a.getKey().toLowerCase())) {
                errors.invalid(path, a.getKey(), e);
            }
            total += a.getKey().length() + (a.getValue() == null ? 0 : a.getValue().length());
        }
        if (total > TOTAL_ANNOTATION_SIZE_LIMIT) {
            errors.tooLong(path, TOTAL_ANNOTATION_SIZE_LIMIT);
        }
    }

    /**
     * validateObjectMeta checks name (a DNS subdomain), namespace (a DNS label, required exactly when
     * the kind is namespaced), labels and annotations, as ValidateObjectMeta does upstream.
     */
    public static void validateObjectMeta(ObjectMeta meta, boolean namespaced, FieldErrors errors) {
        if (meta == null) {
            errors.required("metadata.name", "name or generateName is required");
            return;
        }
        String name = meta.getName();
        if (name == null || name.isEmpty()) {
            errors.required("metadata.name", "name or generateName is required");
        } else {
            for (String e : isDNS1123Subdomain(name)) {
                errors.invalid("metadata.name", name, e);
            }
        }
        String ns = meta.getNamespace();
        if (namespaced) {
            if (ns == null || ns.isEmpty()) {
                errors.required("metadata.namespace", "");
            } else {
                for (String e : isDNS1123Label(ns)) {
                    errors.invalid("metadata.namespace", ns, e);
                }
            }
        } else if (ns != null && !ns.isEmpty()) {
            errors.forbidden("metadata.namespace", "not allowed on this type");
        }
        validateLabels(meta.getLabels(), "metadata.labels", errors);
        validateAnnotations(meta.getAnnotations(), "metadata.annotations", errors);
    }
}
