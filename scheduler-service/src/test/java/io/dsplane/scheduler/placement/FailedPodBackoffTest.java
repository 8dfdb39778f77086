package io.dsplane.scheduler.placement;

import static io.dsplane.scheduler.placement.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FailedPodBackoffTest {

    private static final String KEY = "uid-1/3/n1";

    @Test
    void keyIsUidGenerationAndNode() {
        assertThat(FailedPodBackoff.failedPodsBackoffKey("uid-1", 3, "n1")).isEqualTo(KEY);
    }

    @Test
    void keyOfADaemonSetFollowsItsGenerationNotTheStatusWrittenLater() {
        var ds = new DaemonSetBuilder(Fixtures.daemonSet()).build();
        ds.getMetadata().setGeneration(null);
        assertThat(FailedPodBackoff.failedPodsBackoffKey(ds, "n1")).isEqualTo("uid-1/0/n1");

        ds.getMetadata().setGeneration(1L);
        assertThat(FailedPodBackoff.failedPodsBackoffKey(ds, "n1")).isEqualTo("uid-1/1/n1");
        ds.setStatus(new io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder().withObservedGeneration(1L).build());
        assertThat(FailedPodBackoff.failedPodsBackoffKey(ds, "n1")).as("status caught up: same key").isEqualTo("uid-1/1/n1");

        ds.getMetadata().setGeneration(2L);
        assertThat(FailedPodBackoff.failedPodsBackoffKey(ds, "n1")).as("a new spec: a fresh backoff").isEqualTo("uid-1/2/n1");
    }

    @Test
    void unknownKeyIsNotInBackoff() {
        FailedPodBackoff backoff = new FailedPodBackoff();

        assertThat(backoff.isInBackOffSinceUpdate(KEY, T0)).isFalse();
        assertThat(backoff.get(KEY)).isZero();
    }

    @Test
    void firstDeletionStartsOneSecondBackoffThatEndsExactlyAfterOneSecond() {
        FailedPodBackoff backoff = new FailedPodBackoff();

        backoff.next(KEY, T0);

        assertThat(backoff.get(KEY)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.isInBackOffSinceUpdate(KEY, T0)).isTrue();
        assertThat(backoff.isInBackOffSinceUpdate(KEY, T0.plusMillis(999))).isTrue();
        assertThat(backoff.isInBackOffSinceUpdate(KEY, T0.plusSeconds(1))).isFalse();
    }

    @Test
    void backoffDoublesUpToFifteenMinutes() {
        FailedPodBackoff backoff = new FailedPodBackoff();
        List<Long> delays = new ArrayList<>();
        var now = T0;
        for (int i = 0; i < 13; i++) {
            backoff.next(KEY, now);
            delays.add(backoff.get(KEY).toSeconds());
            now = now.plus(backoff.get(KEY));
        }

        assertThat(delays).containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 64L, 128L, 256L, 512L, 900L, 900L, 900L);
    }

    @Test
    void entryExpiresAfterTwiceTheMaximumAndStartsOver() {
        FailedPodBackoff backoff = new FailedPodBackoff();
        backoff.next(KEY, T0);
        backoff.next(KEY, T0.plusSeconds(1));
        var lastUpdate = T0.plusSeconds(1);

        backoff.next(KEY, lastUpdate.plus(Duration.ofMinutes(30)));
        assertThat(backoff.get(KEY)).as("exactly 30 min is not expired yet").isEqualTo(Duration.ofSeconds(4));

        var later = lastUpdate.plus(Duration.ofMinutes(30));
        backoff.next(KEY, later.plus(Duration.ofMinutes(30)).plusNanos(1));
        assertThat(backoff.get(KEY)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void expiredEntryIsNotInBackoff() {
        FailedPodBackoff backoff = new FailedPodBackoff(Duration.ofMinutes(20), Duration.ofMinutes(20));
        backoff.next(KEY, T0);

        assertThat(backoff.isInBackOffSinceUpdate(KEY, T0.plus(Duration.ofMinutes(19)))).isTrue();
        assertThat(backoff.isInBackOffSinceUpdate(KEY, T0.plus(Duration.ofMinutes(40)).plusNanos(1))).isFalse();
    }

    @Test
    void gcDropsOnlyEntriesOlderThanTwiceTheMaximum() {
        FailedPodBackoff backoff = new FailedPodBackoff();
        backoff.next("old", T0);
        backoff.next("fresh", T0.plus(Duration.ofMinutes(10)));

        backoff.gc(T0.plus(Duration.ofMinutes(30)).plusSeconds(1));

        assertThat(backoff.exportEntries()).containsOnlyKeys("fresh");
    }

    @Test
    void entriesSurviveExportAndImport() {
        FailedPodBackoff backoff = new FailedPodBackoff();
        backoff.next(KEY, T0);
        backoff.next(KEY, T0.plusSeconds(1));

        FailedPodBackoff restored = new FailedPodBackoff();
        restored.importEntries(backoff.exportEntries());

        assertThat(restored.exportEntries()).isEqualTo(Map.of(KEY, new FailedPodBackoff.Entry(Duration.ofSeconds(2), T0.plusSeconds(1))));
        assertThat(restored.isInBackOffSinceUpdate(KEY, T0.plusSeconds(2))).isTrue();
        restored.next(KEY, T0.plusSeconds(3));
        assertThat(restored.get(KEY)).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void resetForgetsTheKey() {
        FailedPodBackoff backoff = new FailedPodBackoff();
        backoff.next(KEY, T0);

        backoff.reset(KEY);

        assertThat(backoff.entry(KEY)).isEmpty();
        assertThat(backoff.isInBackOffSinceUpdate(KEY, T0)).isFalse();
    }

    @Test
    void nonsensicalDelaysAreRejected() {
        assertThatThrownBy(() -> new FailedPodBackoff(Duration.ZERO, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FailedPodBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
    }
}
