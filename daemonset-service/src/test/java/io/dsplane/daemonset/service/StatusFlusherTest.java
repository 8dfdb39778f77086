package io.dsplane.daemonset.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** StatusFlusherTest checks the spacing of flush rounds and the pause after failed ones (no Quarkus). */
class StatusFlusherTest {

    private static long backoffMillis(Duration interval, int failures) {
        return Duration.ofNanos(StatusFlusher.backoffNanos(interval.toNanos(), failures)).toMillis();
    }

    @Test
    void backoffStartsAtTheIntervalAndDoublesWithEachFailureInARow() {
        Duration interval = Duration.ofMillis(500);
        assertThat(backoffMillis(interval, 1)).isEqualTo(500);
        assertThat(backoffMillis(interval, 2)).isEqualTo(1_000);
        assertThat(backoffMillis(interval, 3)).isEqualTo(2_000);
        assertThat(backoffMillis(interval, 6)).isEqualTo(16_000);
    }

    @Test
    void backoffNeverDropsBelowTheMinimumSoAShortIntervalDoesNotSpin() {
        assertThat(backoffMillis(Duration.ZERO, 1)).isEqualTo(StatusFlusher.MIN_BACKOFF.toMillis());
        assertThat(backoffMillis(Duration.ofMillis(10), 2)).isEqualTo(2 * StatusFlusher.MIN_BACKOFF.toMillis());
    }

    @Test
    void backoffStopsGrowingAtTheMaximum() {
        long max = StatusFlusher.MAX_BACKOFF.toMillis();
        assertThat(backoffMillis(Duration.ofMillis(200), 9)).isEqualTo(max);
        assertThat(backoffMillis(Duration.ofMillis(200), 1_000_000)).isEqualTo(max);
        assertThat(backoffMillis(Duration.ofMinutes(5), 1)).isEqualTo(max);
    }

    private static long spacingMillis(Duration interval, Duration round) {
        return Duration.ofNanos(StatusFlusher.roundSpacingNanos(interval.toNanos(), round.toNanos())).toMillis();
    }

    @Test
    void roundsStartTheCoalesceIntervalApartWhileTheyAreShort() {
        Duration interval = Duration.ofMillis(200);
        assertThat(spacingMillis(interval, Duration.ofMillis(5))).isEqualTo(200);
        assertThat(spacingMillis(interval, Duration.ofMillis(50))).isEqualTo(200);
        assertThat(spacingMillis(interval, Duration.ZERO)).isEqualTo(200);
    }

    @Test
    void aLongRoundSpacesTheNextByFourTimesItsDurationUpToTheMaximum() {
        Duration interval = Duration.ofMillis(200);
        assertThat(spacingMillis(interval, Duration.ofMillis(51))).isEqualTo(204);
        assertThat(spacingMillis(interval, Duration.ofMillis(300))).isEqualTo(1_200);
        assertThat(spacingMillis(interval, Duration.ofSeconds(2))).isEqualTo(StatusFlusher.MAX_SPACING.toMillis());
        assertThat(spacingMillis(Duration.ofSeconds(10), Duration.ofSeconds(2))).as("never below the interval")
                .isEqualTo(10_000);
    }
}
