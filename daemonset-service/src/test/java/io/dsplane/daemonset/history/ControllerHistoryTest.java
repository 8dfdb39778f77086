package io.dsplane.daemonset.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.dsplane.contracts.api.KubeJson;
import io.dsplane.contracts.event.TemplateHash;
import io.dsplane.daemonset.Fixtures;
import io.dsplane.daemonset.history.ControllerHistory.History;
import io.dsplane.daemonset.service.DaemonSetStrategy;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;

class ControllerHistoryTest {

    private static final String HASH_LABEL = ControllerHistory.DEFAULT_DAEMONSET_UNIQUE_LABEL_KEY;

    /** daemonSet is the fixture as stored (defaults applied) with uid and the given image and history limit. */
    private static DaemonSet daemonSet(String image, Integer revisionHistoryLimit) {
        DaemonSet ds = Fixtures.validDaemonSet();
        new DaemonSetStrategy().prepareForCreate(ds);
        ds.getMetadata().setUid("ds-uid");
        ds.getSpec().getTemplate().getSpec().getContainers().get(0).setImage(image);
        ds.getSpec().setRevisionHistoryLimit(revisionHistoryLimit);
        return ds;
    }

    private static DaemonSet daemonSet(String image) {
        return daemonSet(image, 10);
    }

    /** stored is a revision of {@code image}'s template numbered {@code revision}, read back as storage would. */
    private static ControllerRevision stored(String image, long revision) {
        DaemonSet ds = daemonSet(image);
        return readBack(ControllerHistory.snapshot(ds, revision, ControllerHistory.hash(ds)));
    }

    private static ControllerRevision readBack(ControllerRevision revision) {
        try {
            return KubeJson.json().readValue(KubeJson.json().writeValueAsString(revision), ControllerRevision.class);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ControllerRevision withHash(long revision, String hash) {
        ControllerRevision r = stored("agent:" + revision, revision);
        r.getMetadata().getLabels().put(HASH_LABEL, hash);
        return r;
    }

    private static List<Long> numbers(List<ControllerRevision> revisions) {
        return revisions.stream().map(ControllerRevision::getRevision).toList();
    }

    // ------------------------------------------------------------------ getPatch / match

    @Test
    void patchReplacesTheWholeTemplate() {
        DaemonSet ds = daemonSet("agent:1");
        var patch = ControllerHistory.getPatch(ds);
        assertThat(patch.fieldNames()).toIterable().containsExactly("spec");
        assertThat(patch.path("spec").fieldNames()).toIterable().containsExactly("template");
        assertThat(patch.path("spec").path("template").path("$patch").asText()).isEqualTo("replace");
        assertThat(patch.path("spec").path("template").path("spec").path("containers").path(0).path("image")
                .asText()).isEqualTo("agent:1");
    }

    @Test
    void revisionOfTheCurrentTemplateMatchesAfterAStorageRoundTrip() {
        // Read back from JSON, the data holds Integers where the template had Longs; the values still match.
        assertThat(ControllerHistory.match(daemonSet("agent:1"), stored("agent:1", 1))).isTrue();
    }

    @Test
    void revisionOfAnotherTemplateDoesNotMatch() {
        assertThat(ControllerHistory.match(daemonSet("agent:2"), stored("agent:1", 1))).isFalse();
    }

    @Test
    void orderOfMapEntriesDoesNotMatter() {
        DaemonSet ab = daemonSet("agent:1");
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("app", "agent");
        labels.put("tier", "node");
        ab.getSpec().getTemplate().getMetadata().setLabels(labels);
        DaemonSet ba = daemonSet("agent:1");
        Map<String, String> reversed = new LinkedHashMap<>();
        reversed.put("tier", "node");
        reversed.put("app", "agent");
        ba.getSpec().getTemplate().getMetadata().setLabels(reversed);
        ControllerRevision revision = readBack(ControllerHistory.snapshot(ab, 1, ControllerHistory.hash(ab)));
        assertThat(ControllerHistory.match(ba, revision)).isTrue();
    }

    @Test
    void revisionWithoutDataMatchesNothing() {
        ControllerRevision revision = stored("agent:1", 1);
        revision.setData(null);
        assertThat(ControllerHistory.match(daemonSet("agent:1"), revision)).isFalse();
    }

    // ------------------------------------------------------------------ snapshot

    @Test
    void snapshotIsNamedByHashLabelledOwnedAndAnnotatedLikeItsDaemonSet() {
        DaemonSet ds = daemonSet("agent:1");
        ds.getMetadata().setAnnotations(new LinkedHashMap<>(Map.of("kubernetes.io/change-cause", "image 1")));
        String hash = TemplateHash.computeHash(ds.getSpec().getTemplate(), null);
        ControllerRevision r = ControllerHistory.snapshot(ds, 4, ControllerHistory.hash(ds));
        assertThat(r.getMetadata().getName()).isEqualTo("agent-" + hash);
        assertThat(r.getMetadata().getNamespace()).isEqualTo("default");
        assertThat(r.getMetadata().getLabels()).containsExactlyInAnyOrderEntriesOf(
                Map.of("app", "agent", HASH_LABEL, hash));
        assertThat(r.getMetadata().getAnnotations()).containsEntry("kubernetes.io/change-cause", "image 1");
        assertThat(r.getMetadata().getOwnerReferences()).singleElement().satisfies(ref -> {
            assertThat(ref.getApiVersion()).isEqualTo("apps/v1");
            assertThat(ref.getKind()).isEqualTo("DaemonSet");
            assertThat(ref.getName()).isEqualTo("agent");
            assertThat(ref.getUid()).isEqualTo("ds-uid");
            assertThat(ref.getController()).isTrue();
            assertThat(ref.getBlockOwnerDeletion()).isTrue();
        });
        assertThat(r.getRevision()).isEqualTo(4);
        assertThat((Object) KubeJson.json().valueToTree(r.getData())).isEqualTo(ControllerHistory.getPatch(ds));
        // The snapshot does not write into the DaemonSet's template labels.
        assertThat(ds.getSpec().getTemplate().getMetadata().getLabels()).doesNotContainKey(HASH_LABEL);
    }

    @Test
    void collisionCountChangesTheHashAndSoTheName() {
        DaemonSet ds = daemonSet("agent:1");
        String before = ControllerHistory.hash(ds);
        DaemonSetStatus status = new DaemonSetStatus();
        status.setCollisionCount(1);
        ds.setStatus(status);
        assertThat(ControllerHistory.hash(ds)).isNotEqualTo(before)
                .isEqualTo(TemplateHash.computeHash(ds.getSpec().getTemplate(), 1));
    }

    // ------------------------------------------------------------------ constructHistory

    @Test
    void firstWriteCreatesRevisionOne() {
        History h = ControllerHistory.constructHistory(daemonSet("agent:1"), List.of());
        assertThat(h.create()).isNotNull();
        assertThat(h.create().getRevision()).isEqualTo(1);
        assertThat(h.current()).isSameAs(h.create());
        assertThat(h.old()).isEmpty();
        assertThat(h.renumber()).isNull();
        assertThat(h.duplicates()).isEmpty();
    }

    @Test
    void templateChangeCreatesTheNextNumber() {
        History h = ControllerHistory.constructHistory(daemonSet("agent:2"),
                List.of(stored("agent:1", 1)));
        assertThat(h.create().getRevision()).isEqualTo(2);
        assertThat(numbers(h.old())).containsExactly(1L);
        assertThat(h.renumber()).isNull();
    }

    @Test
    void unchangedTemplateChangesNothing() {
        History h = ControllerHistory.constructHistory(daemonSet("agent:2"),
                List.of(stored("agent:1", 1), stored("agent:2", 2)));
        assertThat(h.create()).isNull();
        assertThat(h.renumber()).isNull();
        assertThat(h.duplicates()).isEmpty();
        assertThat(h.current().getRevision()).isEqualTo(2);
        assertThat(numbers(h.old())).containsExactly(1L);
    }

    @Test
    void templatePutBackRenumbersItsRevisionInsteadOfCreatingOne() {
        History h = ControllerHistory.constructHistory(daemonSet("agent:1"),
                List.of(stored("agent:1", 1), stored("agent:2", 2)));
        assertThat(h.create()).isNull();
        assertThat(h.renumber()).isNotNull();
        assertThat(h.renumber().getRevision()).isEqualTo(3);
        assertThat(h.renumber().getMetadata().getName()).isEqualTo(stored("agent:1", 1).getMetadata().getName());
        assertThat(h.current()).isSameAs(h.renumber());
        assertThat(numbers(h.old())).containsExactly(2L);
    }

    @Test
    void renumberingLeavesTheOwnedRevisionUntouched() {
        ControllerRevision one = stored("agent:1", 1);
        ControllerHistory.constructHistory(daemonSet("agent:1"), List.of(one, stored("agent:2", 2)));
        assertThat(one.getRevision()).isEqualTo(1);
    }

    @Test
    void duplicatesKeepTheHighestNumberAndTheOthersAreDeleted() {
        ControllerRevision dupLow = stored("agent:1", 2);
        dupLow.getMetadata().setName("agent-dup-low");
        ControllerRevision dupHigh = stored("agent:1", 4);
        History h = ControllerHistory.constructHistory(daemonSet("agent:1"),
                List.of(dupHigh, stored("agent:3", 3), dupLow));
        assertThat(h.current()).isSameAs(dupHigh);
        assertThat(h.renumber()).isNull();
        assertThat(h.duplicates()).containsExactly(dupLow);
        assertThat(numbers(h.old())).containsExactly(3L);
    }

    @Test
    void keptDuplicateBelowAnOldRevisionIsRenumbered() {
        ControllerRevision dupLow = stored("agent:1", 1);
        dupLow.getMetadata().setName("agent-dup-low");
        History h = ControllerHistory.constructHistory(daemonSet("agent:1"),
                List.of(dupLow, stored("agent:1", 2), stored("agent:5", 5)));
        assertThat(h.renumber().getRevision()).isEqualTo(6);
        assertThat(h.duplicates()).extracting(r -> r.getMetadata().getName()).containsExactly("agent-dup-low");
    }

    // ------------------------------------------------------------------ cleanupHistory

    /** A case: history limit, old revisions as (number, hash), hashes of live pods, numbers expected deleted. */
    static Stream<Arguments> cleanups() {
        return Stream.of(
                Arguments.of("withinTheLimitNothingIsDeleted", 3, List.of(1L, 2L, 3L), Set.of(), List.of()),
                Arguments.of("lowestNumbersGoFirst", 1, List.of(3L, 1L, 2L), Set.of(), List.of(1L, 2L)),
                Arguments.of("revisionInUseIsSkippedAndTheNextOneGoes", 1, List.of(1L, 2L, 3L), Set.of("h1"),
                        List.of(2L, 3L)),
                Arguments.of("revisionsInUseMayLeaveMoreThanTheLimit", 1, List.of(1L, 2L, 3L), Set.of("h1", "h2"),
                        List.of(3L)),
                Arguments.of("everythingInUseDeletesNothing", 0, List.of(1L, 2L), Set.of("h1", "h2"), List.of()),
                Arguments.of("limitZeroDeletesEveryOldRevisionNotInUse", 0, List.of(1L, 2L, 3L), Set.of("h2"),
                        List.of(1L, 3L)),
                Arguments.of("unsetLimitKeepsTen", null, List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L),
                        Set.of(), List.of(1L, 2L)),
                Arguments.of("hashesOfOtherRevisionsDoNotProtect", 1, List.of(1L, 2L), Set.of("h9"), List.of(1L)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cleanups")
    void cleanupHistory(String name, Integer limit, List<Long> old, Set<String> liveHashes, List<Long> deleted) {
        List<ControllerRevision> revisions = new ArrayList<>();
        old.forEach(n -> revisions.add(withHash(n, "h" + n)));
        DaemonSet ds = daemonSet("agent:current", limit);
        assertThat(numbers(ControllerHistory.cleanupHistory(ds, revisions, liveHashes)))
                .containsExactlyElementsOf(deleted);
        assertThat(ControllerHistory.needsCleanup(ds, revisions)).isEqualTo(
                old.size() > (limit == null ? 10 : limit));
    }

    @Test
    void revisionWithoutHashLabelIsKnownByItsName() {
        ControllerRevision unlabelled = withHash(1, "h1");
        unlabelled.getMetadata().getLabels().remove(HASH_LABEL);
        unlabelled.getMetadata().setName("agent-legacy");
        assertThat(ControllerHistory.hashOf(unlabelled)).isEqualTo("agent-legacy");
        assertThat(ControllerHistory.cleanupHistory(daemonSet("agent:x", 0), List.of(unlabelled),
                Set.of("agent-legacy"))).isEmpty();
    }

    @Test
    void maxRevisionOfNothingIsZero() {
        assertThat(ControllerHistory.maxRevision(List.of())).isZero();
        assertThat(ControllerHistory.maxRevision(List.of(withHash(3, "a"), withHash(7, "b")))).isEqualTo(7);
    }
}
