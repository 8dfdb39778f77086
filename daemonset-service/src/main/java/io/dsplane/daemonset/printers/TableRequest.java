package io.dsplane.daemonset.printers;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * TableRequest is a request for a Table instead of the objects: an {@code Accept} entry such as
 * {@code application/json;as=Table;v=v1;g=meta.k8s.io} (kubectl lists that first, then v1beta1, then
 * plain JSON) and the {@code includeObject} query parameter. Plain Java, table-tested.
 *
 * @param version {@code v1} or {@code v1beta1}
 */
public record TableRequest(String version, IncludeObject includeObject) {

    /** The Table versions served; both have the same shape. */
    public static final Set<String> VERSIONS = Set.of("v1", "v1beta1");

    /** IncludeObject is what each row carries of its object ({@code includeObject=None|Metadata|Object}). */
    public enum IncludeObject {
        NONE("None"), METADATA("Metadata"), OBJECT("Object");

        private final String value;

        IncludeObject(String value) {
            this.value = value;
        }

        /**
         * parse reads the query parameter; absent means Metadata, as upstream.
         *
         * @throws IllegalArgumentException for any other value
         */
        public static IncludeObject parse(String value) {
            if (value == null || value.isEmpty()) {
                return METADATA;
            }
            for (IncludeObject v : values()) {
                if (v.value.equals(value)) {
                    return v;
                }
            }
            throw new IllegalArgumentException("includeObject must be None, Metadata or Object, not \"" + value
                    + "\"");
        }
    }

    /**
     * of returns the Table request an Accept header makes, or empty when it asks for plain objects. The
     * first entry that asks for a served Table version wins; entries asking for other renderings are
     * skipped.
     *
     * @throws IllegalArgumentException for an invalid includeObject, only when a Table is asked for
     */
    public static Optional<TableRequest> of(String accept, String includeObject) {
        Optional<String> version = tableVersion(accept);
        return version.map(v -> new TableRequest(v, IncludeObject.parse(includeObject)));
    }

    /** tableVersion is the Table version the first suitable Accept entry asks for. */
    static Optional<String> tableVersion(String accept) {
        if (accept == null || accept.isBlank()) {
            return Optional.empty();
        }
        for (String entry : accept.split(",")) {
            String[] parts = entry.split(";");
            String mediaType = parts[0].trim().toLowerCase(Locale.ROOT);
            if (!mediaType.equals("application/json") && !mediaType.equals("*/*")
                    && !mediaType.equals("application/*")) {
                continue;
            }
            Map<String, String> params = new HashMap<>();
            for (int i = 1; i < parts.length; i++) {
                int eq = parts[i].indexOf('=');
                if (eq > 0) {
                    params.put(parts[i].substring(0, eq).trim().toLowerCase(Locale.ROOT),
                            unquote(parts[i].substring(eq + 1).trim()));
                }
            }
            if ("Table".equals(params.get("as")) && Table.GROUP.equals(params.get("g"))
                    && VERSIONS.contains(params.get("v"))) {
                return Optional.of(params.get("v"));
            }
        }
        return Optional.empty();
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }
}
