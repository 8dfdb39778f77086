package io.dsplane.scheduler.placement;

import static io.dsplane.scheduler.placement.Fixtures.T0;
import static io.dsplane.scheduler.placement.Fixtures.names;
import static io.dsplane.scheduler.placement.Fixtures.pod;
import static io.dsplane.scheduler.placement.Fixtures.ready;
import static io.dsplane.scheduler.placement.Fixtures.running;
import static io.dsplane.scheduler.placement.Fixtures.terminating;
import static io.dsplane.scheduler.placement.Fixtures.withHash;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PodsShouldBeOnNodeTest {

    private static final String NODE = "n1";
    private static final String KEY = FailedPodBackoff.failedPodsBackoffKey("uid-1", 1, NODE);
    private static final String HASH = "new";
    private static final Verdict RUN = Verdict.RUN;
    private static final Verdict KEEP_ONLY = new Verdict(false, true, List.of("untolerated taint x:NoSchedule"));
    private static final Verdict EVICT = new Verdict(false, false, List.of("untolerated taint x:NoExecute"));

    private final FailedPodBackoff backoff = new FailedPodBackoff();

    private NodeActions decide(Verdict verdict, List<Pod> pods, boolean surge, int minReadySeconds, Instant now) {
        return PodsShouldBeOnNode.podsShouldBeOnNode(NODE, verdict, pods, HASH, surge, minReadySeconds, backoff, KEY, now);
    }

    private NodeActions decide(Verdict verdict, List<Pod> pods, boolean surge) {
        return decide(verdict, pods, surge, 0, T0.plusSeconds(100));
    }

    /** Cases where only create/delete matter: verdict, pods, surge, expected create, expected deleted names. */
    static Stream<Arguments> createAndDeleteCases() {
        Pod p1 = running("p1", NODE, 1);
        Pod p2 = running("p2", NODE, 2);
        Pod p3 = running("p3", NODE, 3);
        Pod gone = terminating(running("gone", NODE, 0));
        Pod failedAndGone = terminating(pod("failed-gone", NODE, 0, "Failed"));
        return Stream.of(
                arguments("A: node that should run the daemon and has no pod gets one", RUN, List.of(), false, true, List.of()),
                arguments("A: a terminal pod that is already terminating does not count as existing", RUN, List.of(failedAndGone), false, true, List.of()),
                arguments("no pod and only an untolerated NoSchedule taint: nothing", KEEP_ONLY, List.of(), false, false, List.of()),
                arguments("no pod and the node must not run the daemon: nothing", EVICT, List.of(), false, false, List.of()),
                arguments("B: one running pod is left alone", RUN, List.of(p1), false, false, List.of()),
                arguments("B: a pod kept despite an untolerated NoSchedule taint", KEEP_ONLY, List.of(p1), false, false, List.of()),
                arguments("B: without surge the oldest of duplicates is kept", RUN, List.of(p3, p1, p2), false, false, List.of("p2", "p3")),
                arguments("B: without surge a node whose only pod is terminating waits for the next pass", RUN, List.of(gone), false, false, List.of()),
                arguments("B: terminating pods are neither counted nor deleted again", RUN, List.of(gone, p2), false, false, List.of()),
                arguments("B: with surge a node whose only pod is terminating gets a replacement now", RUN, List.of(gone), true, true, List.of()),
                arguments("B: with surge no replacement where the daemon should not run", KEEP_ONLY, List.of(gone), true, false, List.of()),
                arguments("C: a node that must not run the daemon is emptied", EVICT, List.of(p1, p2), false, false, List.of("p1", "p2")),
                arguments("C: pods already terminating are not deleted again", EVICT, List.of(gone, p2), false, false, List.of("p2")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("createAndDeleteCases")
    void podsShouldBeOnNodeCases(String behaviour, Verdict verdict, List<Pod> pods, boolean surge, boolean create, List<String> deleted) {
        NodeActions actions = decide(verdict, pods, surge);

        assertThat(actions.createPod()).isEqualTo(create);
        assertThat(names(actions.podsToDelete())).containsExactlyElementsOf(deleted);
        assertThat(actions.events()).isEmpty();
    }

    @Test
    void boundPodIsKeptOverOlderUnboundDuplicate() {
        Pod unboundOlder = new PodBuilder(running("a-unbound", NODE, 0)).editSpec().withNodeName(null).endSpec().build();
        Pod boundNewer = running("b-bound", NODE, 5);

        assertThat(names(decide(RUN, List.of(unboundOlder, boundNewer), false).podsToDelete())).containsExactly("a-unbound");
    }

    @Test
    void duplicatesCreatedTheSameSecondKeepTheSmallestName() {
        assertThat(names(decide(RUN, List.of(running("b", NODE, 1), running("a", NODE, 1)), false).podsToDelete()))
                .containsExactly("b");
    }

    @Test
    void failedPodIsDeletedThenBackedOffOneSecondThenTwo() {
        Pod failed = pod("f", NODE, 0, "Failed");

        NodeActions first = decide(RUN, List.of(failed), false, 0, T0);
        assertThat(names(first.podsToDelete())).containsExactly("f");
        assertThat(first.createPod()).as("the replacement comes in the next pass").isFalse();
        assertThat(first.events()).containsExactly(new NodeActions.Event("Warning", "FailedDaemonPod",
                "Found failed daemon pod ns/f on node n1, will try to kill it"));
        assertThat(first.requeueAfter()).isEmpty();

        NodeActions inBackoff = decide(RUN, List.of(failed), false, 0, T0.plusMillis(500));
        assertThat(inBackoff.podsToDelete()).isEmpty();
        assertThat(inBackoff.events()).isEmpty();
        assertThat(inBackoff.requeueAfter()).contains(Duration.ofSeconds(1));

        NodeActions second = decide(RUN, List.of(failed), false, 0, T0.plusSeconds(1));
        assertThat(names(second.podsToDelete())).containsExactly("f");

        NodeActions stillInBackoff = decide(RUN, List.of(failed), false, 0, T0.plusSeconds(2));
        assertThat(stillInBackoff.podsToDelete()).isEmpty();
        assertThat(stillInBackoff.requeueAfter()).contains(Duration.ofSeconds(2));

        assertThat(names(decide(RUN, List.of(failed), false, 0, T0.plusSeconds(3)).podsToDelete())).containsExactly("f");
    }

    @Test
    void secondFailedPodInOnePassWaitsForTheBackoff() {
        NodeActions actions = decide(RUN, List.of(pod("f1", NODE, 0, "Failed"), pod("f2", NODE, 1, "Failed")), false, 0, T0);

        assertThat(names(actions.podsToDelete())).containsExactly("f1");
        assertThat(actions.requeueAfter()).contains(Duration.ofSeconds(1));
    }

    @Test
    void failedPodOnNodeThatKeepsOnlyExistingPodsIsStillReplaced() {
        NodeActions actions = decide(KEEP_ONLY, List.of(pod("f", NODE, 0, "Failed")), false, 0, T0);

        assertThat(names(actions.podsToDelete())).containsExactly("f");
        assertThat(actions.createPod()).isFalse();
    }

    @Test
    void succeededPodIsDeletedWithoutBackoff() {
        Pod done = pod("s", NODE, 0, "Succeeded");

        NodeActions first = decide(RUN, List.of(done), false, 0, T0);
        NodeActions again = decide(RUN, List.of(done), false, 0, T0);

        assertThat(names(first.podsToDelete())).containsExactly("s");
        assertThat(names(again.podsToDelete())).containsExactly("s");
        assertThat(first.events()).containsExactly(new NodeActions.Event("Normal", "SucceededDaemonPod",
                "Found succeeded daemon pod ns/s on node n1, will try to delete it"));
        assertThat(backoff.exportEntries()).isEmpty();
    }

    @Test
    void failedPodNextToRunningPodIsDeletedAndRunningPodKept() {
        NodeActions actions = decide(RUN, List.of(pod("f", NODE, 0, "Failed"), running("r", NODE, 1)), false, 0, T0);

        assertThat(names(actions.podsToDelete())).containsExactly("f");
        assertThat(actions.createPod()).isFalse();
    }

    static Stream<Arguments> surgeCases() {
        Instant now = T0.plusSeconds(100);
        Pod oldReady = ready(withHash(running("old", NODE, 1), "old"), T0);
        Pod oldNotReady = withHash(running("old", NODE, 1), "old");
        Pod newAvailable = ready(withHash(running("new", NODE, 2), HASH), T0.plusSeconds(50));
        Pod newJustReady = ready(withHash(running("new", NODE, 2), HASH), now.minusSeconds(5));
        Pod newNotReady = withHash(running("new", NODE, 2), HASH);
        Pod newerNew = withHash(running("new2", NODE, 3), HASH);
        Pod olderOld = withHash(running("old2", NODE, 4), "older");
        Pod unlabelled = running("nolabel", NODE, 5);
        return Stream.of(
                arguments("old pod not ready is deleted at once", List.of(oldNotReady, newNotReady), 0, List.of("old")),
                arguments("old ready pod is deleted once the new pod is available", List.of(oldReady, newAvailable), 0, List.of("old")),
                arguments("both kept while the new pod is not ready", List.of(oldReady, newNotReady), 0, List.of()),
                arguments("both kept while the new pod is ready for less than minReadySeconds", List.of(oldReady, newJustReady), 10, List.of()),
                arguments("ready for exactly minReadySeconds counts as available", List.of(oldReady, newJustReady), 5, List.of("old")),
                arguments("extra pods of the current revision are deleted", List.of(oldReady, newNotReady, newerNew), 0, List.of("new2")),
                arguments("extra pods of old revisions are deleted", List.of(oldReady, newNotReady, olderOld, unlabelled), 0,
                        List.of("old2", "nolabel")),
                arguments("two new pods and no old one: the younger goes", List.of(newerNew, newNotReady), 0, List.of("new2")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("surgeCases")
    void surgeKeepsOldestNewAndOldestOldPod(String behaviour, List<Pod> pods, int minReadySeconds, List<String> deleted) {
        NodeActions actions = decide(RUN, pods, true, minReadySeconds, T0.plusSeconds(100));

        assertThat(names(actions.podsToDelete())).containsExactlyInAnyOrderElementsOf(deleted);
        assertThat(actions.createPod()).isFalse();
    }

    static Stream<Arguments> timeCases() {
        Pod p1 = running("p1", NODE, 1);
        Pod p2 = running("p2", NODE, 2);
        Pod gone = terminating(running("gone", NODE, 0));
        Pod failed = pod("f", NODE, 0, "Failed");
        Pod failedAndGone = terminating(pod("failed-gone", NODE, 0, "Failed"));
        Pod succeeded = pod("s", NODE, 0, "Succeeded");
        Pod oldReady = ready(withHash(running("old", NODE, 1), "old"), T0);
        Pod newReady = ready(withHash(running("new", NODE, 2), HASH), T0.plusSeconds(1));
        return Stream.of(
                arguments(List.of(), false),
                arguments(List.of(p1), false),
                arguments(List.of(gone), false),
                arguments(List.of(gone, p2), false),
                arguments(List.of(failedAndGone), false),
                arguments(List.of(succeeded), false),
                arguments(List.of(succeeded, p1), false),
                arguments(List.of(newReady), false),
                arguments(List.of(failed), true),
                arguments(List.of(failed, p1), true),
                arguments(List.of(p1, p2), true),
                arguments(List.of(oldReady, newReady), true));
    }

    @ParameterizedTest(name = "{0} changes with time: {1}")
    @MethodSource("timeCases")
    void changesWithTimeIsFalseOnlyWhereNoTimeOrBackoffChangesTheAnswer(List<Pod> pods, boolean changes) {
        assertThat(PodsShouldBeOnNode.changesWithTime(pods)).isEqualTo(changes);
        if (changes) {
            return;
        }
        for (Verdict verdict : List.of(RUN, KEEP_ONLY, EVICT)) {
            for (boolean surge : List.of(false, true)) {
                FailedPodBackoff early = new FailedPodBackoff();
                early.next(KEY, T0);
                NodeActions soon = PodsShouldBeOnNode.podsShouldBeOnNode(NODE, verdict, pods, HASH, surge, 10, early,
                        KEY, T0.plusMillis(500));
                NodeActions late = PodsShouldBeOnNode.podsShouldBeOnNode(NODE, verdict, pods, HASH, surge, 10,
                        new FailedPodBackoff(), KEY, T0.plus(Duration.ofHours(1)));
                assertThat(late.createPod()).isEqualTo(soon.createPod());
                assertThat(names(late.podsToDelete())).isEqualTo(names(soon.podsToDelete()));
            }
        }
    }

    @Test
    void whatChangesWithTimeDoesChange() {
        Pod failed = pod("f", NODE, 0, "Failed");
        backoff.next(KEY, T0);
        assertThat(decide(RUN, List.of(failed), false, 0, T0.plusMillis(500)).podsToDelete()).isEmpty();
        assertThat(names(decide(RUN, List.of(failed), false, 0, T0.plusSeconds(2)).podsToDelete())).containsExactly("f");

        List<Pod> surge = List.of(ready(withHash(running("old", NODE, 1), "old"), T0),
                ready(withHash(running("new", NODE, 2), HASH), T0.plusSeconds(1)));
        assertThat(decide(RUN, surge, true, 10, T0.plusSeconds(5)).podsToDelete()).isEmpty();
        assertThat(names(decide(RUN, surge, true, 10, T0.plusSeconds(11)).podsToDelete())).containsExactly("old");
    }

    @Test
    void inputListIsNotReordered() {
        List<Pod> pods = new java.util.ArrayList<>(List.of(running("p3", NODE, 3), running("p1", NODE, 1)));

        decide(RUN, pods, false);

        assertThat(names(pods)).containsExactly("p3", "p1");
    }

    @Test
    void nothingToDoIsEmpty() {
        NodeActions actions = decide(RUN, List.of(running("p", NODE, 1)), false);

        assertThat(actions.isEmpty()).isTrue();
        assertThat(actions.requeueAfter()).isEqualTo(Optional.empty());
    }
}
