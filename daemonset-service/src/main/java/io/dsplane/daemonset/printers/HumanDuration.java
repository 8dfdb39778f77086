package io.dsplane.daemonset.printers;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * HumanDuration is how kubectl prints an age (the AGE column: {@code translateTimestampSince} over
 * apimachinery's {@code duration.HumanDuration}): two to three significant figures, the unit changing
 * as the value grows, e.g. {@code 45s}, {@code 119s}, {@code 3m20s}, {@code 15m}, {@code 2h30m},
 * {@code 10h}, {@code 3d5h}, {@code 12d}, {@code 2y10d}. Plain Java: {@code now} comes in.
 */
public final class HumanDuration {

    /** Shown for an object without a creationTimestamp. */
    public static final String UNKNOWN = "<unknown>";
    /** Shown for a timestamp more than a second in the future (clocks may disagree by up to that much). */
    public static final String INVALID = "<invalid>";

    private static final long MINUTE = 60;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;
    private static final long YEAR = 365 * DAY;

    private HumanDuration() {
    }

    /** translateTimestampSince is the age at {@code now} of an object created at {@code creationTimestamp}. */
    public static String translateTimestampSince(String creationTimestamp, Instant now) {
        if (creationTimestamp == null || creationTimestamp.isEmpty()) {
            return UNKNOWN;
        }
        try {
            return humanDuration(Duration.between(Instant.parse(creationTimestamp), now));
        } catch (DateTimeParseException e) {
            return UNKNOWN;
        }
    }

    /** humanDuration renders a duration; whole units only, every step truncates. */
    public static String humanDuration(Duration d) {
        // Truncated toward zero, as Go's int(d.Seconds()): -1.5 s is -1 s and still counts as "now".
        long seconds = d.toMillis() / 1000;
        if (seconds < -1) {
            return INVALID;
        }
        if (seconds < 0) {
            return "0s";
        }
        if (seconds < 2 * MINUTE) {
            return seconds + "s";
        }
        long minutes = seconds / MINUTE;
        if (minutes < 10) {
            return withRest(minutes, "m", seconds % MINUTE, "s");
        }
        if (minutes < 3 * 60) {
            return minutes + "m";
        }
        long hours = seconds / HOUR;
        if (hours < 8) {
            return withRest(hours, "h", minutes % 60, "m");
        }
        if (hours < 48) {
            return hours + "h";
        }
        long days = seconds / DAY;
        if (hours < 8 * 24) {
            return withRest(days, "d", hours % 24, "h");
        }
        if (seconds < 2 * YEAR) {
            return days + "d";
        }
        long years = seconds / YEAR;
        if (seconds < 8 * YEAR) {
            return withRest(years, "y", days % 365, "d");
        }
        return years + "y";
    }

    /** withRest is "3m20s", or "3m" when the smaller unit is 0. */
    private static String withRest(long value, String unit, long rest, String restUnit) {
        return rest == 0 ? value + unit : value + unit + rest + restUnit;
    }
}
