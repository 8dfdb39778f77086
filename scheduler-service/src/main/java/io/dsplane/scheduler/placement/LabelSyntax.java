package io.dsplane.scheduler.placement;

import java.util.regex.Pattern;

/**
 * LabelSyntax checks label keys and values the way the API server does (apimachinery
 * {@code util/validation}): selector requirements with malformed keys or values fail to parse,
 * and a term that fails to parse never matches a node.
 */
final class LabelSyntax {

    /** 63: the maximum length of a label value and of the name part of a qualified name. */
    static final int MAX_NAME_LENGTH = 63;
    /** 253: the maximum length of a DNS-1123 subdomain, used as the prefix of a qualified name. */
    static final int MAX_PREFIX_LENGTH = 253;

    private static final Pattern QUALIFIED_NAME_PART =
            Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    private static final Pattern LABEL_VALUE =
            Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
    private static final Pattern DNS1123_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    private LabelSyntax() {
    }

    /** isQualifiedName accepts {@code [prefix/]name} with a DNS-1123 subdomain prefix. */
    static boolean isQualifiedName(String key) {
        if (key == null || key.isEmpty()) {
            return false;
        }
        String[] parts = key.split("/", -1);
        String name;
        if (parts.length == 1) {
            name = parts[0];
        } else if (parts.length == 2) {
            String prefix = parts[0];
            if (prefix.isEmpty() || prefix.length() > MAX_PREFIX_LENGTH
                    || !DNS1123_SUBDOMAIN.matcher(prefix).matches()) {
                return false;
            }
            name = parts[1];
        } else {
            return false;
        }
        return !name.isEmpty() && name.length() <= MAX_NAME_LENGTH
                && QUALIFIED_NAME_PART.matcher(name).matches();
    }

    /** isLabelValue accepts the empty string and up to 63 alphanumerics with inner {@code -_.}. */
    static boolean isLabelValue(String value) {
        return value != null && value.length() <= MAX_NAME_LENGTH && LABEL_VALUE.matcher(value).matches();
    }
}
