package io.dsplane.scheduler.placement;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Timestamps reads and writes the RFC 3339 strings that fabric8 uses for every Kubernetes
 * timestamp ({@code creationTimestamp}, {@code lastTransitionTime}, ...).
 *
 * <p>An absent or unreadable timestamp is treated as "not set" rather than as an error, because
 * placement must stay total: one malformed pod must not stop decisions for a whole node.
 */
final class Timestamps {

    private Timestamps() {
    }

    /** parse returns the instant of an RFC 3339 string, or empty when it is blank or malformed. */
    static Optional<Instant> parse(String rfc3339) {
        if (rfc3339 == null || rfc3339.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(rfc3339).toInstant());
        } catch (DateTimeParseException e) {
            try {
                return Optional.of(Instant.parse(rfc3339));
            } catch (DateTimeParseException ignored) {
                return Optional.empty();
            }
        }
    }

    /** format writes an instant as RFC 3339 in UTC, the form the API server emits. */
    static String format(Instant instant) {
        return instant.toString();
    }
}
