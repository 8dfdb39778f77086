package io.dsplane.daemonset.printers;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HumanDurationTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    static Stream<Arguments> durations() {
        return Stream.of(
                Arguments.of("moreThanASecondAheadIsInvalid", Duration.ofSeconds(-2), "<invalid>"),
                Arguments.of("upToASecondAheadCountsAsNow", Duration.ofMillis(-1999), "0s"),
                Arguments.of("zeroIsZeroSeconds", Duration.ZERO, "0s"),
                Arguments.of("fractionsOfASecondAreDropped", Duration.ofMillis(5999), "5s"),
                Arguments.of("secondsUpToTwoMinutes", Duration.ofSeconds(119), "119s"),
                Arguments.of("twoMinutesExactly", Duration.ofMinutes(2), "2m"),
                Arguments.of("minutesWithSecondsBelowTenMinutes", Duration.ofSeconds(200), "3m20s"),
                Arguments.of("minutesBelowTenWithoutRemainder", Duration.ofMinutes(9), "9m"),
                Arguments.of("minutesOnlyFromTenMinutes", Duration.ofSeconds(10 * 60 + 59), "10m"),
                Arguments.of("minutesUpToThreeHours", Duration.ofMinutes(179), "179m"),
                Arguments.of("threeHours", Duration.ofHours(3), "3h"),
                Arguments.of("hoursWithMinutesBelowEightHours", Duration.ofMinutes(150 + 60), "3h30m"),
                Arguments.of("hoursOnlyFromEightHours", Duration.ofMinutes(8 * 60 + 30), "8h"),
                Arguments.of("hoursUpToTwoDays", Duration.ofHours(47), "47h"),
                Arguments.of("twoDays", Duration.ofHours(48), "2d"),
                Arguments.of("daysWithHoursBelowEightDays", Duration.ofHours(3 * 24 + 5), "3d5h"),
                Arguments.of("daysOnlyFromEightDays", Duration.ofHours(8 * 24 + 5), "8d"),
                Arguments.of("daysUpToTwoYears", Duration.ofDays(729), "729d"),
                Arguments.of("twoYears", Duration.ofDays(730), "2y"),
                Arguments.of("yearsWithDaysBelowEightYears", Duration.ofDays(365 * 2 + 10), "2y10d"),
                Arguments.of("yearsOnlyFromEightYears", Duration.ofDays(365 * 8 + 100), "8y"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("durations")
    void humanDuration(String name, Duration d, String expected) {
        assertThat(HumanDuration.humanDuration(d)).isEqualTo(expected);
    }

    @Test
    void ageIsMeasuredFromTheCreationTimestampToNow() {
        assertThat(HumanDuration.translateTimestampSince("2026-06-01T11:59:55Z", NOW)).isEqualTo("5s");
        assertThat(HumanDuration.translateTimestampSince("2026-05-28T12:00:00Z", NOW)).isEqualTo("4d");
    }

    @Test
    void missingOrUnreadableTimestampIsUnknown() {
        assertThat(HumanDuration.translateTimestampSince(null, NOW)).isEqualTo("<unknown>");
        assertThat(HumanDuration.translateTimestampSince("", NOW)).isEqualTo("<unknown>");
        assertThat(HumanDuration.translateTimestampSince("yesterday", NOW)).isEqualTo("<unknown>");
    }
}
