package io.dsplane.daemonset.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.dsplane.contracts.api.FieldErrors;
import io.dsplane.contracts.api.KubeBodies;
import io.dsplane.daemonset.Fixtures;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;

class DaemonSetStrategyTest {

    private static final String ANNOTATION = DaemonSetStrategy.TEMPLATE_GENERATION_ANNOTATION;
    private final DaemonSetStrategy strategy = new DaemonSetStrategy();

    private DaemonSet created() {
        DaemonSet ds = Fixtures.validDaemonSet();
        strategy.prepareForCreate(ds);
        return ds;
    }

    @Test
    void createStartsTemplateGenerationAtOneWhateverTheClientSent() {
        DaemonSet ds = Fixtures.validDaemonSet();
        ds.getMetadata().setAnnotations(new HashMap<>(Map.of(ANNOTATION, "7", "team", "infra")));
        strategy.prepareForCreate(ds);
        assertThat(ds.getMetadata().getAnnotations()).containsEntry(ANNOTATION, "1").containsEntry("team", "infra");
    }

    @Test
    void createReplacesTheSubmittedStatusWithZeroCounters() {
        DaemonSet ds = Fixtures.validDaemonSet();
        DaemonSetStatus sent = new DaemonSetStatus();
        sent.setNumberReady(5);
        sent.setCollisionCount(2);
        ds.setStatus(sent);
        strategy.prepareForCreate(ds);
        assertThat(ds.getStatus().getNumberReady()).isZero();
        assertThat(ds.getStatus().getDesiredNumberScheduled()).isZero();
        assertThat(ds.getStatus().getCollisionCount()).isNull();
    }

    @Test
    void createAppliesDefaults() {
        DaemonSet ds = created();
        assertThat(ds.getSpec().getUpdateStrategy().getType()).isEqualTo("RollingUpdate");
        assertThat(ds.getSpec().getRevisionHistoryLimit()).isEqualTo(10);
        assertThat(ds.getSpec().getTemplate().getSpec().getRestartPolicy()).isEqualTo("Always");
    }

    /** A case: what a client changes in a replacement, the template generation and whether the spec changed. */
    static Stream<Arguments> updates() {
        return Stream.of(
                Arguments.of("templateImageChangeBumpsTemplateGeneration", (Consumer<DaemonSet>) ds -> ds.getSpec()
                        .getTemplate().getSpec().getContainers().get(0).setImage("agent:2"), "2", true),
                Arguments.of("templateLabelChangeBumpsTemplateGeneration", (Consumer<DaemonSet>) ds -> ds.getSpec()
                        .getTemplate().getMetadata().getLabels().put("extra", "yes"), "2", true),
                Arguments.of("labelOnlyChangeKeepsTemplateGenerationAndSpec", (Consumer<DaemonSet>) ds -> ds
                        .getMetadata().setLabels(new LinkedHashMap<>(Map.of("team", "infra"))), "1", false),
                Arguments.of("otherSpecChangeKeepsTemplateGenerationButChangesSpec",
                        (Consumer<DaemonSet>) ds -> ds.getSpec().setMinReadySeconds(30), "1", true),
                Arguments.of("replacementWithoutDefaultedFieldsChangesNothing", (Consumer<DaemonSet>) ds -> {
                    ds.getSpec().setUpdateStrategy(null);
                    ds.getSpec().setRevisionHistoryLimit(null);
                    ds.getSpec().getTemplate().getSpec().setRestartPolicy(null);
                    ds.getSpec().getTemplate().getSpec().setDnsPolicy(null);
                }, "1", false),
                Arguments.of("annotationSentByTheClientIsIgnored", (Consumer<DaemonSet>) ds -> ds.getMetadata()
                        .getAnnotations().put(ANNOTATION, "42"), "1", false),
                Arguments.of("annotationRemovedByTheClientComesBack", (Consumer<DaemonSet>) ds -> ds.getMetadata()
                        .setAnnotations(null), "1", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("updates")
    void prepareForUpdate(String behaviour, Consumer<DaemonSet> change, String templateGeneration,
            boolean specChanged) {
        DaemonSet old = created();
        DaemonSet ds = Fixtures.copy(old);
        change.accept(ds);
        strategy.prepareForUpdate(ds, old);
        assertThat(ds.getMetadata().getAnnotations()).containsEntry(ANNOTATION, templateGeneration);
        assertThat(strategy.specChanged(KubeBodies.toTree(ds), KubeBodies.toTree(old))).isEqualTo(specChanged);
    }

    @Test
    void updateKeepsTheStoredStatus() {
        DaemonSet old = created();
        old.getStatus().setNumberReady(3);
        DaemonSet ds = Fixtures.copy(old);
        ds.getStatus().setNumberReady(99);
        strategy.prepareForUpdate(ds, old);
        assertThat(ds.getStatus().getNumberReady()).isEqualTo(3);
    }

    @Test
    void objectWithoutAnnotationCountsFromZero() {
        DaemonSet old = created();
        old.getMetadata().getAnnotations().remove(ANNOTATION);
        DaemonSet ds = Fixtures.copy(old);
        ds.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("agent:2");
        strategy.prepareForUpdate(ds, old);
        assertThat(ds.getMetadata().getAnnotations()).containsEntry(ANNOTATION, "1");
    }

    @Test
    void consecutiveTemplateChangesCountUp() {
        DaemonSet ds = created();
        for (int i = 2; i <= 4; i++) {
            DaemonSet next = Fixtures.copy(ds);
            next.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("agent:" + i);
            strategy.prepareForUpdate(next, ds);
            ds = next;
        }
        assertThat(DaemonSetStrategy.templateGeneration(ds)).isEqualTo(4);
    }

    @Test
    void updateRejectsAChangedSelector() {
        DaemonSet old = created();
        DaemonSet ds = Fixtures.copy(old);
        ds.getSpec().getSelector().getMatchExpressions().add(
                new io.fabric8.kubernetes.api.model.LabelSelectorRequirement("app", "Exists", null));
        strategy.prepareForUpdate(ds, old);
        FieldErrors errors = new FieldErrors();
        strategy.validateUpdate(ds, old, errors);
        assertThat(errors.causes()).extracting(StatusCause::getField).containsExactly("spec.selector");
    }
}
