package io.dsplane.daemonset.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.dsplane.contracts.event.DaemonSetNodeState;
import io.dsplane.contracts.event.DaemonSetNodeState.OldestPod;
import io.dsplane.daemonset.Fixtures;
import io.dsplane.daemonset.status.DaemonSetStatusCalculator.Counters;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetCondition;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;

class DaemonSetStatusCalculatorTest {

    private static final String UID = "uid-current";
    private static final String OTHER_UID = "uid-of-a-deleted-daemonset";
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    // ------------------------------------------------------------------ builders

    private static OldestPod ready(Instant since, boolean updated) {
        return new OldestPod("pod", true, since, updated);
    }

    private static OldestPod notReady(boolean updated) {
        return new OldestPod("pod", false, null, updated);
    }

    private static DaemonSetNodeState node(String name, boolean shouldRun, boolean shouldContinueRunning, int pods,
            OldestPod oldest) {
        return new DaemonSetNodeState(1, "default/agent", UID, 1, "hash1", name, shouldRun, shouldContinueRunning, pods,
                oldest);
    }

    /** desired: shouldRun and shouldContinueRunning, as the predicate says for an eligible node. */
    private static DaemonSetNodeState desired(String name, int pods, OldestPod oldest) {
        return node(name, true, true, pods, oldest);
    }

    private static DaemonSetNodeState withGeneration(DaemonSetNodeState s, long generation) {
        return new DaemonSetNodeState(s.schemaVersion(), s.daemonSetKey(), s.daemonSetUid(), generation,
                s.revisionHash(), s.nodeName(), s.shouldRun(), s.shouldContinueRunning(), s.pods(), s.oldestPod());
    }

    private static DaemonSetNodeState withUid(DaemonSetNodeState s, String uid) {
        return new DaemonSetNodeState(s.schemaVersion(), s.daemonSetKey(), uid, s.generation(), s.revisionHash(),
                s.nodeName(), s.shouldRun(), s.shouldContinueRunning(), s.pods(), s.oldestPod());
    }

    private static Counters counters(int desired, int current, int misscheduled, int ready, int available,
            int updated, int unavailable) {
        return new Counters(desired, current, misscheduled, ready, available, updated, unavailable);
    }

    /** daemonSet is a stored DaemonSet at generation 2 whose status is {@code status}. */
    private static DaemonSet daemonSet(DaemonSetStatus status) {
        DaemonSet ds = Fixtures.validDaemonSet();
        ds.getMetadata().setUid(UID);
        ds.getMetadata().setGeneration(2L);
        ds.setStatus(status);
        return ds;
    }

    private static DaemonSetStatus status(Counters c, Long observedGeneration) {
        DaemonSetStatus s = new DaemonSetStatus();
        s.setDesiredNumberScheduled(c.desiredNumberScheduled());
        s.setCurrentNumberScheduled(c.currentNumberScheduled());
        s.setNumberMisscheduled(c.numberMisscheduled());
        s.setNumberReady(c.numberReady());
        s.setNumberAvailable(c.numberAvailable());
        s.setUpdatedNumberScheduled(c.updatedNumberScheduled());
        s.setNumberUnavailable(c.numberUnavailable());
        s.setObservedGeneration(observedGeneration);
        return s;
    }

    // ------------------------------------------------------------------ counting

    static Stream<Arguments> nodeCounts() {
        Instant longAgo = NOW.minusSeconds(3600);
        return Stream.of(
                Arguments.of("noNodesCountNothing", List.of(), 0, counters(0, 0, 0, 0, 0, 0, 0)),
                Arguments.of("nodeThatShouldRunWithoutPodIsDesiredButNotCurrent",
                        List.of(desired("a", 0, null)), 0, counters(1, 0, 0, 0, 0, 0, 1)),
                Arguments.of("nodeThatShouldRunWithPodIsCurrent",
                        List.of(desired("a", 1, notReady(false))), 0, counters(1, 1, 0, 0, 0, 0, 1)),
                Arguments.of("taintedNodeKeepingItsPodCountsAsMisscheduledOnly",
                        List.of(node("tainted", false, true, 1, ready(longAgo, true))), 0,
                        counters(0, 0, 1, 0, 0, 0, 0)),
                Arguments.of("nodeThatNoLongerMatchesWithPodCountsAsMisscheduled",
                        List.of(node("unlabelled", false, false, 1, notReady(false))), 0,
                        counters(0, 0, 1, 0, 0, 0, 0)),
                Arguments.of("nodeThatShouldNotRunWithoutPodCountsNothing",
                        List.of(node("a", false, true, 0, null), node("b", false, false, 0, null)), 0,
                        counters(0, 0, 0, 0, 0, 0, 0)),
                Arguments.of("shouldContinueRunningAloneDoesNotMakeANodeDesired",
                        List.of(node("a", false, true, 0, null), desired("b", 1, ready(longAgo, true))), 0,
                        counters(1, 1, 0, 1, 1, 1, 0)),
                Arguments.of("readyOldestPodIsReadyAndAvailableWithoutMinReadySeconds",
                        List.of(desired("a", 1, ready(NOW, false))), 0, counters(1, 1, 0, 1, 1, 0, 0)),
                Arguments.of("notReadyOldestPodIsNeitherReadyNorAvailable",
                        List.of(desired("a", 1, notReady(true))), 0, counters(1, 1, 0, 0, 0, 1, 1)),
                Arguments.of("podReadyForExactlyMinReadySecondsIsAvailable",
                        List.of(desired("a", 1, ready(NOW.minusSeconds(10), false))), 10,
                        counters(1, 1, 0, 1, 1, 0, 0)),
                Arguments.of("podReadyOneMillisecondShortOfMinReadySecondsIsReadyButNotAvailable",
                        List.of(desired("a", 1, ready(NOW.minusSeconds(10).plusMillis(1), false))), 10,
                        counters(1, 1, 0, 1, 0, 0, 1)),
                Arguments.of("podReadyLongerThanMinReadySecondsIsAvailable",
                        List.of(desired("a", 1, ready(longAgo, false))), 10, counters(1, 1, 0, 1, 1, 0, 0)),
                Arguments.of("readyPodWithoutTransitionTimeIsNotAvailableWhileMinReadySecondsIsSet",
                        List.of(desired("a", 1, ready(null, false))), 5, counters(1, 1, 0, 1, 0, 0, 1)),
                Arguments.of("readyPodWithoutTransitionTimeIsAvailableWhenMinReadySecondsIsZero",
                        List.of(desired("a", 1, ready(null, false))), 0, counters(1, 1, 0, 1, 1, 0, 0)),
                Arguments.of("updatedOldestPodCountsAsUpdated",
                        List.of(desired("a", 1, notReady(true)), desired("b", 1, notReady(false))), 0,
                        counters(2, 2, 0, 0, 0, 1, 2)),
                Arguments.of("readyAndUpdatedPodOnMisscheduledNodeCountsOnlyAsMisscheduled",
                        List.of(node("a", false, false, 1, ready(longAgo, true))), 0,
                        counters(0, 0, 1, 0, 0, 0, 0)),
                Arguments.of("twoPodsOnOneNodeCountTheNodeOnce",
                        List.of(desired("a", 2, ready(longAgo, true))), 0, counters(1, 1, 0, 1, 1, 1, 0)),
                Arguments.of("desiredNodeWithPodsButNoOldestPodIsCurrentOnly",
                        List.of(desired("a", 1, null)), 0, counters(1, 1, 0, 0, 0, 0, 1)),
                Arguments.of("unavailableIsDesiredMinusAvailable",
                        List.of(desired("a", 1, ready(longAgo, true)), desired("b", 1, ready(NOW, true)),
                                desired("c", 0, null), desired("d", 1, notReady(false)),
                                node("e", false, true, 1, ready(longAgo, true))),
                        30, counters(4, 3, 1, 2, 1, 2, 3)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nodeCounts")
    void countNodes(String behaviour, List<DaemonSetNodeState> states, int minReadySeconds, Counters expected) {
        assertThat(DaemonSetStatusCalculator.countNodes(states, minReadySeconds, NOW)).isEqualTo(expected);
    }

    // ------------------------------------------------------------------ what is written

    /** Written is the expected outcome of updateDaemonSetStatus: empty = no write. */
    record Written(Counters counters, Long observedGeneration) {
    }

    private static final Written NOTHING = null;

    static Stream<Arguments> writes() {
        DaemonSetNodeState readyNode = desired("a", 1, ready(NOW.minusSeconds(60), true));
        Counters oneReady = counters(1, 1, 0, 1, 1, 1, 0);
        Counters zero = counters(0, 0, 0, 0, 0, 0, 0);
        Consumer<DaemonSet> asIs = ds -> {
        };
        return Stream.of(
                Arguments.of("statesAtTheCurrentGenerationLetObservedGenerationCatchUp", asIs,
                        status(zero, 1L), List.of(withGeneration(readyNode, 2)), new Written(oneReady, 2L)),
                Arguments.of("stateAtANewerGenerationCountsAsObserved", asIs,
                        status(zero, 1L), List.of(withGeneration(readyNode, 3)), new Written(oneReady, 2L)),
                Arguments.of("oneStateAtAnOlderGenerationKeepsThePreviousObservedGeneration", asIs,
                        status(zero, 1L),
                        List.of(withGeneration(readyNode, 2), withGeneration(desired("b", 0, null), 1)),
                        new Written(counters(2, 1, 0, 1, 1, 1, 1), 1L)),
                Arguments.of("oldStatesWithoutAnyObservedGenerationLeaveItAbsent", asIs,
                        status(zero, null), List.of(withGeneration(readyNode, 1)), new Written(oneReady, null)),
                Arguments.of("noStatesAtAllLetObservedGenerationCatchUp", asIs,
                        status(zero, 1L), List.of(), new Written(zero, 2L)),
                Arguments.of("statesOfAnotherUidAreIgnored", asIs,
                        status(zero, 1L),
                        List.of(withUid(withGeneration(readyNode, 1), OTHER_UID),
                                withUid(withGeneration(node("x", false, true, 1, notReady(false)), 1), OTHER_UID)),
                        new Written(zero, 2L)),
                Arguments.of("unchangedCountersAndCaughtUpObservedGenerationWriteNothing", asIs,
                        status(oneReady, 2L), List.of(withGeneration(readyNode, 2)), NOTHING),
                Arguments.of("observedGenerationAheadOfGenerationWithUnchangedCountersWritesNothing", asIs,
                        status(oneReady, 5L), List.of(withGeneration(readyNode, 2)), NOTHING),
                Arguments.of("changedCountersAreWrittenEvenWhenObservedGenerationIsCaughtUp", asIs,
                        status(zero, 2L), List.of(withGeneration(readyNode, 2)), new Written(oneReady, 2L)),
                Arguments.of("unchangedCountersAreWrittenWhenObservedGenerationIsBehind", asIs,
                        status(oneReady, 1L), List.of(withGeneration(readyNode, 2)), new Written(oneReady, 2L)),
                Arguments.of("absentCountersOfTheStoredStatusCountAsZero", asIs,
                        fourZeroCounters(2L), List.of(), NOTHING),
                Arguments.of("daemonSetBeingDeletedGetsNoStatusUpdate",
                        (Consumer<DaemonSet>) ds -> ds.getMetadata().setDeletionTimestamp("2026-03-01T11:00:00Z"),
                        status(zero, 1L), List.of(withGeneration(readyNode, 2)), NOTHING),
                Arguments.of("daemonSetWithEmptySelectorGetsNoStatusUpdate",
                        (Consumer<DaemonSet>) ds -> ds.getSpec().setSelector(new LabelSelector()),
                        status(zero, 1L), List.of(withGeneration(readyNode, 2)), NOTHING),
                Arguments.of("daemonSetWithoutSelectorGetsNoStatusUpdate",
                        (Consumer<DaemonSet>) ds -> ds.getSpec().setSelector(null),
                        status(zero, 1L), List.of(withGeneration(readyNode, 2)), NOTHING),
                Arguments.of("minReadySecondsOfTheSpecDecideAvailability",
                        (Consumer<DaemonSet>) ds -> ds.getSpec().setMinReadySeconds(120),
                        status(zero, 2L), List.of(withGeneration(readyNode, 2)),
                        new Written(counters(1, 1, 0, 1, 0, 1, 1), 2L)));
    }

    private static DaemonSetStatus fourZeroCounters(Long observedGeneration) {
        DaemonSetStatus s = new DaemonSetStatus();
        s.setDesiredNumberScheduled(0);
        s.setCurrentNumberScheduled(0);
        s.setNumberMisscheduled(0);
        s.setNumberReady(0);
        s.setObservedGeneration(observedGeneration);
        return s;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("writes")
    void updateDaemonSetStatus(String behaviour, Consumer<DaemonSet> change, DaemonSetStatus stored,
            List<DaemonSetNodeState> states, Written expected) {
        DaemonSet ds = daemonSet(stored);
        change.accept(ds);
        DaemonSet before = Fixtures.copy(ds);

        Optional<DaemonSetStatus> written = DaemonSetStatusCalculator.updateDaemonSetStatus(ds, states, NOW);

        assertThat(ds).as("the input is not changed").isEqualTo(before);
        if (expected == NOTHING) {
            assertThat(written).isEmpty();
            return;
        }
        assertThat(written).isPresent();
        assertThat(Counters.of(written.get())).isEqualTo(expected.counters());
        assertThat(written.get().getObservedGeneration()).isEqualTo(expected.observedGeneration());
    }

    // ------------------------------------------------------------------ what is kept

    static Stream<Arguments> keptFields() {
        return Stream.of(
                Arguments.of("collisionCountIsKept", (Consumer<DaemonSetStatus>) s -> s.setCollisionCount(3),
                        (Consumer<DaemonSetStatus>) s -> assertThat(s.getCollisionCount()).isEqualTo(3)),
                Arguments.of("conditionsWrittenByClientsAreKept",
                        (Consumer<DaemonSetStatus>) s -> s.setConditions(List.of(new DaemonSetCondition(
                                "2026-03-01T10:00:00Z", "set by an operator", "Maintenance", "True", "Custom"))),
                        (Consumer<DaemonSetStatus>) s -> assertThat(s.getConditions())
                                .extracting(DaemonSetCondition::getType).containsExactly("Custom")),
                Arguments.of("unknownStatusFieldsAreKept",
                        (Consumer<DaemonSetStatus>) s -> s.setAdditionalProperty("futureCounter", 7),
                        (Consumer<DaemonSetStatus>) s -> assertThat(s.getAdditionalProperties())
                                .containsAllEntriesOf(Map.of("futureCounter", 7))),
                Arguments.of("zeroCountersThatApiOmitsAreLeftOutAndTheOthersAreZero",
                        (Consumer<DaemonSetStatus>) s -> {
                        },
                        (Consumer<DaemonSetStatus>) s -> {
                            assertThat(s.getNumberAvailable()).isNull();
                            assertThat(s.getUpdatedNumberScheduled()).isNull();
                            assertThat(s.getNumberUnavailable()).isNull();
                            assertThat(s.getDesiredNumberScheduled()).isZero();
                            assertThat(s.getCurrentNumberScheduled()).isZero();
                            assertThat(s.getNumberMisscheduled()).isZero();
                            assertThat(s.getNumberReady()).isZero();
                        }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keptFields")
    void statusWriteKeepsWhatTheControllerDoesNotOwn(String behaviour, Consumer<DaemonSetStatus> storedExtra,
            Consumer<DaemonSetStatus> check) {
        DaemonSetStatus stored = status(counters(1, 1, 0, 1, 1, 1, 0), 1L);
        storedExtra.accept(stored);

        Optional<DaemonSetStatus> written = DaemonSetStatusCalculator.updateDaemonSetStatus(daemonSet(stored),
                List.of(), NOW);

        assertThat(written).isPresent();
        assertThat(written.get().getObservedGeneration()).isEqualTo(2L);
        check.accept(written.get());
    }
}
