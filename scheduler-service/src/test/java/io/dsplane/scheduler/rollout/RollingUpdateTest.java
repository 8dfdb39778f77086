package io.dsplane.scheduler.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RollingUpdateTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final RolloutNodeState.Strategy UNAVAILABLE_2 =
            new RolloutNodeState.Strategy("RollingUpdate", "2", "0", 0);
    private static final RolloutNodeState.Strategy SURGE_1 = new RolloutNodeState.Strategy("RollingUpdate", "0", "1", 0);

    /** node builds a state: n new pods and o old pods, each ready as given (ready since an hour ago). */
    private static RolloutNodeState node(String name, boolean shouldRun, int n, boolean newReady, int o,
            boolean oldReady, RolloutNodeState.Strategy s) {
        Instant since = NOW.minusSeconds(3600);
        return new RolloutNodeState("ns/ds", "uid", 2, "new", s, name, shouldRun, n, o, newReady, newReady ? since : null,
                oldReady, oldReady ? since : null);
    }

    private static List<RolloutNodeState> oldAvailable(int count, RolloutNodeState.Strategy s) {
        List<RolloutNodeState> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(node("n" + i, true, 0, false, 1, true, s));
        }
        return out;
    }

    @Test
    void withoutSurgeAtMostMaxUnavailableOldPodsAreReplacedAtOnce() {
        List<RolloutGrant> g = RollingUpdate.rollingUpdate(UNAVAILABLE_2, oldAvailable(5, UNAVAILABLE_2), Set.of(),
                Set.of(), NOW);
        assertThat(g).extracting(RolloutGrant::nodeName).containsExactly("n0", "n1");
        assertThat(g).allMatch(x -> x.action() == RolloutGrant.Action.DELETE_OLD);
    }

    @Test
    void grantsInFlightCountAgainstTheBudget() {
        assertThat(RollingUpdate.rollingUpdate(UNAVAILABLE_2, oldAvailable(5, UNAVAILABLE_2), Set.of("n0"), Set.of(),
                NOW)).extracting(RolloutGrant::nodeName).containsExactly("n1");
        assertThat(RollingUpdate.rollingUpdate(UNAVAILABLE_2, oldAvailable(5, UNAVAILABLE_2), Set.of("n0", "n3"),
                Set.of(), NOW)).isEmpty();
    }

    @Test
    void unavailableNewPodsUseUpTheBudget() {
        List<RolloutNodeState> states = new ArrayList<>(oldAvailable(4, UNAVAILABLE_2));
        states.set(0, node("n0", true, 1, false, 0, false, UNAVAILABLE_2));
        assertThat(RollingUpdate.rollingUpdate(UNAVAILABLE_2, states, Set.of(), Set.of(), NOW))
                .extracting(RolloutGrant::nodeName).containsExactly("n1");
    }

    @Test
    void unavailableOldPodsAreAlwaysReplaceable() {
        List<RolloutNodeState> states = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            states.add(node("n" + i, true, 0, false, 1, false, UNAVAILABLE_2));
        }
        assertThat(RollingUpdate.rollingUpdate(UNAVAILABLE_2, states, Set.of(), Set.of(), NOW)).hasSize(5);
    }

    @Test
    void withSurgeNewPodsAreAddedBesideOldOnesWithinMaxSurge() {
        List<RolloutGrant> g = RollingUpdate.rollingUpdate(SURGE_1, oldAvailable(3, SURGE_1), Set.of(), Set.of(), NOW);
        assertThat(g).singleElement().satisfies(x -> {
            assertThat(x.nodeName()).isEqualTo("n0");
            assertThat(x.action()).isEqualTo(RolloutGrant.Action.CREATE_NEW);
        });
    }

    @Test
    void withSurgeAnUnavailableNewPodBlocksFurtherSurgeAndAnAvailableOneRetiresTheOld() {
        List<RolloutNodeState> states = new ArrayList<>(oldAvailable(3, SURGE_1));
        states.set(0, node("n0", true, 1, false, 1, true, SURGE_1));
        assertThat(RollingUpdate.rollingUpdate(SURGE_1, states, Set.of(), Set.of(), NOW)).isEmpty();
        states.set(0, node("n0", true, 1, true, 1, true, SURGE_1));
        assertThat(RollingUpdate.rollingUpdate(SURGE_1, states, Set.of(), Set.of(), NOW))
                .extracting(RolloutGrant::nodeName, RolloutGrant::action)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("n0", RolloutGrant.Action.DELETE_OLD),
                        org.assertj.core.groups.Tuple.tuple("n1", RolloutGrant.Action.CREATE_NEW));
    }

    @Test
    void minReadySecondsDelaysAvailability() {
        RolloutNodeState.Strategy s = new RolloutNodeState.Strategy("RollingUpdate", "1", "0", 30);
        RolloutNodeState justReady = new RolloutNodeState("ns/ds", "uid", 2, "new", s, "n0", true, 1, 0, true,
                NOW.minusSeconds(29), false, null);
        assertThat(justReady.available(true, NOW)).isFalse();
        assertThat(justReady.available(true, NOW.plusSeconds(1))).isTrue();
    }

    @Test
    void onDeleteNeverGrants() {
        RolloutNodeState.Strategy onDelete = new RolloutNodeState.Strategy("OnDelete", null, null, 0);
        assertThat(RollingUpdate.rollingUpdate(onDelete, oldAvailable(3, onDelete), Set.of(), Set.of(), NOW)).isEmpty();
    }

    static Stream<Arguments> budgets() {
        return Stream.of(
                Arguments.of("50%", "0", 2, 1, 0),
                Arguments.of("50%", "0", 3, 2, 0),
                Arguments.of("0", "50%", 2, 0, 1),
                Arguments.of("0", "100%", 2, 0, 2),
                Arguments.of("0", "0", 5, 1, 0),
                Arguments.of("10%", "0", 25, 3, 0));
    }

    @ParameterizedTest(name = "maxUnavailable {0}, maxSurge {1} over {2} nodes -> {3}/{4}")
    @MethodSource("budgets")
    void percentagesRoundUpAndBothZeroMeansOneUnavailable(String unavailable, String surge, int desired,
            int expectedUnavailable, int expectedSurge) {
        RollingUpdate.Budget b = RollingUpdate.budget(
                new RolloutNodeState.Strategy("RollingUpdate", unavailable, surge, 0), desired);
        assertThat(b.maxUnavailable()).isEqualTo(expectedUnavailable);
        assertThat(b.maxSurge()).isEqualTo(expectedSurge);
    }
}
