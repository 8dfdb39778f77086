package io.dsplane.scheduler.placement;

import static io.dsplane.scheduler.placement.Fixtures.taint;
import static io.dsplane.scheduler.placement.Fixtures.toleration;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Properties of toleration matching over random taints and tolerations. */
class TolerationsPropertiesTest {

    @Provide
    Arbitrary<String> keys() {
        return Arbitraries.of("gpu", "dedicated", "node.kubernetes.io/not-ready");
    }

    @Provide
    Arbitrary<String> values() {
        return Arbitraries.of("", "true", "false", "infra");
    }

    @Provide
    Arbitrary<String> effects() {
        return Arbitraries.of("NoSchedule", "PreferNoSchedule", "NoExecute");
    }

    @Provide
    Arbitrary<Taint> taints() {
        return Combinators.combine(keys(), values(), effects()).as((k, v, e) -> taint(k, v, e));
    }

    @Provide
    Arbitrary<Toleration> tolerations() {
        return Combinators.combine(keys().injectNull(0.2), Arbitraries.of("Exists", "Equal", ""),
                values().injectNull(0.2), effects().injectNull(0.2))
                .as((k, op, v, e) -> toleration(k, op, v, e));
    }

    @Property
    void emptyKeyWithExistsToleratesEveryTaintOfItsEffect(@ForAll("taints") Taint taint) {
        assertThat(Tolerations.toleratesTaint(toleration(null, "Exists", null, taint.getEffect()), taint)).isTrue();
    }

    @Property
    void emptyKeyEmptyEffectExistsToleratesEverything(@ForAll("taints") Taint taint) {
        assertThat(Tolerations.toleratesTaint(toleration("", "Exists", null, ""), taint)).isTrue();
    }

    @Property
    void existsOnTheKeyToleratesEveryValue(@ForAll("taints") Taint taint) {
        assertThat(Tolerations.toleratesTaint(toleration(taint.getKey(), "Exists", null, taint.getEffect()), taint)).isTrue();
    }

    @Property
    void aTolerationForAnotherEffectNeverTolerates(@ForAll("tolerations") Toleration toleration, @ForAll("taints") Taint taint) {
        String effect = toleration.getEffect();
        if (effect != null && !effect.isEmpty() && !effect.equals(taint.getEffect())) {
            assertThat(Tolerations.toleratesTaint(toleration, taint)).isFalse();
        }
    }

    @Property
    void equalToleratesOnlyTheSameValue(@ForAll("tolerations") Toleration toleration, @ForAll("taints") Taint taint) {
        String operator = toleration.getOperator();
        if ((operator == null || operator.isEmpty() || operator.equals("Equal")) && Tolerations.toleratesTaint(toleration, taint)) {
            String value = toleration.getValue() == null ? "" : toleration.getValue();
            assertThat(value).isEqualTo(taint.getValue());
        }
    }

    @Property
    void untoleratedTaintIsOneNoTolerationCovers(@ForAll List<@From("taints") Taint> taints,
                                                 @ForAll List<@From("tolerations") Toleration> tolerations) {
        var found = Tolerations.findMatchingUntoleratedTaint(taints, tolerations, t -> true);

        boolean allTolerated = taints.stream().allMatch(t -> tolerations.stream().anyMatch(tol -> Tolerations.toleratesTaint(tol, t)));
        assertThat(found.isEmpty()).isEqualTo(allTolerated);
        found.ifPresent(t -> assertThat(tolerations).noneMatch(tol -> Tolerations.toleratesTaint(tol, t)));
    }

    @Property
    void addingATolerationNeverMakesMoreTaintsUntolerated(@ForAll List<@From("taints") Taint> taints,
                                                          @ForAll List<@From("tolerations") Toleration> tolerations,
                                                          @ForAll("tolerations") Toleration extra) {
        List<Toleration> more = new java.util.ArrayList<>(tolerations);
        more.add(extra);

        assertThat(Tolerations.findAllUntoleratedTaints(taints, more, t -> true))
                .hasSizeLessThanOrEqualTo(Tolerations.findAllUntoleratedTaints(taints, tolerations, t -> true).size());
    }
}
