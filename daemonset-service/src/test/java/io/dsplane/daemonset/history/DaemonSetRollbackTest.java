package io.dsplane.daemonset.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.dsplane.contracts.api.KubeJson;
import io.dsplane.daemonset.Fixtures;
import io.dsplane.daemonset.service.DaemonSetStrategy;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;

class DaemonSetRollbackTest {

    private static DaemonSet daemonSet(String image) {
        DaemonSet ds = Fixtures.validDaemonSet();
        new DaemonSetStrategy().prepareForCreate(ds);
        ds.getMetadata().setUid("ds-uid");
        ds.getSpec().getTemplate().getSpec().getContainers().get(0).setImage(image);
        return ds;
    }

    private static ControllerRevision revision(long number) {
        ControllerRevision r = new ControllerRevision();
        r.setMetadata(new ObjectMetaBuilder().withName("agent-" + number).build());
        r.setRevision(number);
        return r;
    }

    /** A case: revision numbers in list order, toRevision, the number found (null: none). */
    static Stream<Arguments> finds() {
        return Stream.of(
                Arguments.of("namedRevisionIsFound", List.of(1L, 2L, 3L), 1L, 1L),
                Arguments.of("currentRevisionCanBeNamed", List.of(1L, 2L, 3L), 3L, 3L),
                Arguments.of("unknownRevisionIsNotFound", List.of(1L, 2L), 7L, null),
                Arguments.of("zeroIsThePreviousRevision", List.of(1L, 2L, 3L), 0L, 2L),
                Arguments.of("zeroIsTheSecondHighestWhateverTheListOrder", List.of(5L, 2L, 9L, 3L), 0L, 5L),
                Arguments.of("zeroAfterARollbackIsTheRevisionRolledBackFrom", List.of(3L, 2L), 0L, 2L),
                Arguments.of("zeroWithOnlyTheCurrentRevisionFindsNothing", List.of(1L), 0L, null),
                Arguments.of("zeroWithoutHistoryFindsNothing", List.of(), 0L, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("finds")
    void findHistory(String name, List<Long> numbers, long toRevision, Long expected) {
        List<ControllerRevision> history = numbers.stream().map(DaemonSetRollbackTest::revision).toList();
        Optional<ControllerRevision> found = DaemonSetRollback.findHistory(toRevision, history);
        assertThat(found.map(ControllerRevision::getRevision)).isEqualTo(Optional.ofNullable(expected));
    }

    @Test
    void notFoundMessagesNameTheRevisionOrTheMissingPreviousOne() {
        assertThat(DaemonSetRollback.notFoundMessage(7)).isEqualTo("unable to find specified revision 7 in history");
        assertThat(DaemonSetRollback.notFoundMessage(0)).isEqualTo("no last revision to roll back to");
    }

    @Test
    void templateOfARevisionIsTheTemplateItWasTakenFromWithoutThePatchDirective() throws Exception {
        DaemonSet v1 = daemonSet("agent:1");
        ControllerRevision stored = KubeJson.json().readValue(KubeJson.json().writeValueAsString(
                ControllerHistory.snapshot(v1, 1, ControllerHistory.hash(v1))), ControllerRevision.class);
        var template = DaemonSetRollback.templateOf(stored);
        assertThat(template.getAdditionalProperties()).doesNotContainKey("$patch");
        assertThat((Object) KubeJson.json().valueToTree(template)).isEqualTo(KubeJson.json().valueToTree(
                v1.getSpec().getTemplate()));

        // Put back into a DaemonSet at another template, the revision matches again.
        DaemonSet v2 = daemonSet("agent:2");
        assertThat(ControllerHistory.match(v2, stored)).isFalse();
        v2.getSpec().setTemplate(template);
        assertThat(ControllerHistory.match(v2, stored)).isTrue();
    }

    @Test
    void revisionWithoutTemplateCannotBeRolledBackTo() {
        ControllerRevision r = revision(1);
        r.setData(java.util.Map.of("spec", java.util.Map.of()));
        assertThatThrownBy(() -> DaemonSetRollback.templateOf(r)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("agent-1");
    }
}
