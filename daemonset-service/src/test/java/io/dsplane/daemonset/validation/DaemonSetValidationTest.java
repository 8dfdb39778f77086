package io.dsplane.daemonset.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.dsplane.contracts.api.FieldErrors;
import io.dsplane.daemonset.Fixtures;
import io.dsplane.daemonset.defaults.DaemonSetDefaults;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EphemeralContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.api.model.apps.DaemonSetUpdateStrategy;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDaemonSet;

class DaemonSetValidationTest {

    private static final String RU = "spec.updateStrategy.rollingUpdate.";

    /** A case: what is wrong, and the field of every cause expected, in order. */
    private static Arguments rejected(String behaviour, Consumer<DaemonSet> change, String... fields) {
        return Arguments.of(behaviour, change, List.of(fields));
    }

    private static PodSpec pod(DaemonSet ds) {
        return ds.getSpec().getTemplate().getSpec();
    }

    private static Map<String, String> templateLabels(DaemonSet ds) {
        Map<String, String> labels = new LinkedHashMap<>(ds.getSpec().getTemplate().getMetadata().getLabels());
        ds.getSpec().getTemplate().getMetadata().setLabels(labels);
        return labels;
    }

    private static Consumer<DaemonSet> selector(LabelSelector selector) {
        return ds -> ds.getSpec().setSelector(selector);
    }

    private static LabelSelector expression(String key, String operator, String... values) {
        LabelSelectorRequirement r = new LabelSelectorRequirement(key, operator, new ArrayList<>(List.of(values)));
        LabelSelector s = new LabelSelector();
        s.setMatchLabels(new LinkedHashMap<>(Map.of("app", "agent")));
        s.setMatchExpressions(new ArrayList<>(List.of(r)));
        return s;
    }

    private static Consumer<DaemonSet> containers(Container... containers) {
        return ds -> pod(ds).setContainers(new ArrayList<>(List.of(containers)));
    }

    private static Container container(String name, String image) {
        return new ContainerBuilder().withName(name).withImage(image).build();
    }

    private static Consumer<DaemonSet> rolling(Object maxUnavailable, Object maxSurge) {
        return ds -> ds.getSpec().setUpdateStrategy(new DaemonSetUpdateStrategy(new RollingUpdateDaemonSet(
                new IntOrString(maxSurge), new IntOrString(maxUnavailable)), "RollingUpdate"));
    }

    static Stream<Arguments> invalidDaemonSets() {
        return Stream.of(
                rejected("nilSelectorMatchesNoTemplateLabels", selector(null), "spec.template.metadata.labels"),
                rejected("emptySelectorIsInvalidForDaemonSet", selector(new LabelSelector()), "spec.selector"),
                rejected("selectorNotMatchingTemplateLabelsIsRejected",
                        ds -> templateLabels(ds).put("app", "other"), "spec.template.metadata.labels"),
                rejected("selectorExpressionNotMatchingTemplateIsRejected",
                        selector(expression("tier", "In", "gpu")), "spec.template.metadata.labels"),
                rejected("unknownSelectorOperatorIsRejectedAtTheOperator",
                        selector(expression("app", "Maybe")), "spec.selector.matchExpressions[0].operator"),
                rejected("inOperatorWithoutValuesNeedsValues", selector(expression("app", "In")),
                        "spec.selector.matchExpressions[0].values"),
                rejected("existsOperatorWithValuesIsForbidden", selector(expression("app", "Exists", "agent")),
                        "spec.selector.matchExpressions[0].values"),
                rejected("invalidSelectorExpressionKeyIsRejectedAtTheKey",
                        selector(expression("bad key", "Exists")), "spec.selector.matchExpressions[0].key"),
                rejected("invalidSelectorExpressionValueIsRejectedAtTheValue",
                        selector(expression("app", "In", "agent", "bad value")),
                        "spec.selector.matchExpressions[0].values[1]"),
                rejected("invalidMatchLabelsKeyIsRejected", ds -> ds.getSpec().getSelector()
                        .setMatchLabels(new LinkedHashMap<>(Map.of("app", "agent", "bad key", "x"))),
                        "spec.selector.matchLabels"),
                rejected("invalidTemplateLabelKeyIsReportedAtUpstreamsTemplateLabelsPath",
                        ds -> templateLabels(ds).put("NoUppercaseOrSpecialCharsLike=Equals", "x"),
                        "spec.template.labels"),
                rejected("invalidTemplateLabelValueIsRejected", ds -> templateLabels(ds).put("tier", "-bad-"),
                        "spec.template.labels"),
                rejected("templateWithoutContainersNeedsContainers", containers(),
                        "spec.template.spec.containers"),
                rejected("missingTemplateNeedsLabelsAndContainers", ds -> ds.getSpec().setTemplate(null),
                        "spec.template.metadata.labels", "spec.template.spec.containers"),
                rejected("containerWithoutNameNeedsName", containers(container(null, "img:1")),
                        "spec.template.spec.containers[0].name"),
                rejected("containerNameMustBeDnsLabel", containers(container("Agent_1", "img:1")),
                        "spec.template.spec.containers[0].name"),
                rejected("duplicateContainerNameIsRejectedAtTheSecond",
                        containers(container("a", "img:1"), container("a", "img:2")),
                        "spec.template.spec.containers[1].name"),
                rejected("containerWithoutImageNeedsImage", containers(container("agent", null)),
                        "spec.template.spec.containers[0].image"),
                rejected("initContainerMayNotReuseAContainerName",
                        ds -> pod(ds).setInitContainers(new ArrayList<>(List.of(container("agent", "init:1")))),
                        "spec.template.spec.initContainers[0].name"),
                rejected("ephemeralContainersAreForbiddenInTemplates",
                        ds -> pod(ds).setEphemeralContainers(new ArrayList<>(List.of(
                                new EphemeralContainerBuilder().withName("debug").withImage("busybox").build()))),
                        "spec.template.spec.ephemeralContainers"),
                rejected("restartPolicyOnFailureIsNotSupported", ds -> pod(ds).setRestartPolicy("OnFailure"),
                        "spec.template.spec.restartPolicy"),
                rejected("restartPolicyNeverIsNotSupported", ds -> pod(ds).setRestartPolicy("Never"),
                        "spec.template.spec.restartPolicy"),
                rejected("unknownDnsPolicyIsNotSupported", ds -> pod(ds).setDnsPolicy("Maybe"),
                        "spec.template.spec.dnsPolicy"),
                rejected("activeDeadlineSecondsIsForbidden", ds -> pod(ds).setActiveDeadlineSeconds(60L),
                        "spec.template.spec.activeDeadlineSeconds"),
                rejected("negativeMinReadySecondsIsRejected", ds -> ds.getSpec().setMinReadySeconds(-1),
                        "spec.minReadySeconds"),
                rejected("negativeRevisionHistoryLimitIsRejected", ds -> ds.getSpec().setRevisionHistoryLimit(-1),
                        "spec.revisionHistoryLimit"),
                rejected("unknownUpdateStrategyTypeIsNotSupportedAtTheStrategy",
                        ds -> ds.getSpec().setUpdateStrategy(new DaemonSetUpdateStrategy(null, "Recreate")),
                        "spec.updateStrategy"),
                rejected("negativeMaxUnavailableIsRejected", rolling(-1, 0), RU + "maxUnavailable"),
                rejected("negativeMaxSurgeIsRejected", rolling(0, -2), RU + "maxSurge"),
                rejected("maxUnavailableThatIsNeitherIntNorPercentIsRejectedAndCountsAsZero", rolling("abc", 0),
                        RU + "maxUnavailable", RU + "maxUnavailable"),
                rejected("percentWithoutDigitsIsRejected", rolling("%", 0),
                        RU + "maxUnavailable", RU + "maxUnavailable"),
                rejected("maxUnavailableOver100PercentIsRejected", rolling("150%", 0), RU + "maxUnavailable"),
                rejected("maxSurgeOver100PercentIsRejected", rolling(0, "101%"), RU + "maxSurge"),
                rejected("surgeWithNonZeroMaxUnavailableIsRejectedAtMaxSurge", rolling(1, 1), RU + "maxSurge"),
                rejected("surgePercentWithNonZeroUnavailablePercentIsRejected", rolling("10%", "10%"),
                        RU + "maxSurge"),
                rejected("bothZeroIsRejectedAtMaxUnavailable", rolling(0, 0), RU + "maxUnavailable"),
                rejected("zeroPercentCountsAsZero", rolling("0%", 0), RU + "maxUnavailable"),
                rejected("everyProblemIsReportedAtOnce", ds -> {
                    ds.getSpec().setSelector(new LabelSelector());
                    pod(ds).setContainers(new ArrayList<>());
                    pod(ds).setRestartPolicy("OnFailure");
                    ds.getSpec().setMinReadySeconds(-5);
                }, "spec.selector", "spec.template.spec.containers", "spec.template.spec.restartPolicy",
                        "spec.minReadySeconds"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidDaemonSets")
    void validateDaemonSetRejects(String behaviour, Consumer<DaemonSet> change, List<String> fields) {
        DaemonSet ds = Fixtures.validDaemonSet();
        change.accept(ds);
        DaemonSetDefaults.setDefaultsDaemonSet(ds);
        FieldErrors errors = new FieldErrors();
        DaemonSetValidation.validateDaemonSet(ds, errors);
        assertThat(errors.causes()).extracting(StatusCause::getField).containsExactlyElementsOf(fields);
    }

    static Stream<Arguments> validDaemonSets() {
        return Stream.<Arguments>of(
                Arguments.of("minimalDaemonSetIsValid", (Consumer<DaemonSet>) ds -> {
                }),
                Arguments.of("onDeleteDaemonSetIsValid", (Consumer<DaemonSet>) ds -> ds.getSpec()
                        .setUpdateStrategy(new DaemonSetUpdateStrategy(null, "OnDelete"))),
                Arguments.of("onDeleteIgnoresRollingUpdateValues", (Consumer<DaemonSet>) ds -> ds.getSpec()
                        .setUpdateStrategy(new DaemonSetUpdateStrategy(new RollingUpdateDaemonSet(
                                new IntOrString(5), new IntOrString("900%")), "OnDelete"))),
                Arguments.of("nameWithDigitsAndDashIsValid", (Consumer<DaemonSet>) ds -> ds.getMetadata()
                        .setName("abc-123")),
                Arguments.of("hostNetworkTemplateWithPortIsValid", (Consumer<DaemonSet>) ds -> {
                    pod(ds).setHostNetwork(true);
                    pod(ds).getContainers().get(0).setPorts(List.of(
                            new io.fabric8.kubernetes.api.model.ContainerPortBuilder().withContainerPort(12345)
                                    .withHostPort(12345).build()));
                }),
                Arguments.of("maxUnavailablePercentIsValid", rolling("50%", 0)),
                Arguments.of("maxUnavailableHundredPercentIsValid", rolling("100%", "0%")),
                Arguments.of("surgeWithZeroUnavailableIsValid", rolling(0, "25%")),
                Arguments.of("absoluteSurgeWithZeroUnavailableIsValid", rolling(0, 2)),
                Arguments.of("revisionHistoryLimitZeroIsValid",
                        (Consumer<DaemonSet>) ds -> ds.getSpec().setRevisionHistoryLimit(0)),
                Arguments.of("minReadySecondsZeroIsValid",
                        (Consumer<DaemonSet>) ds -> ds.getSpec().setMinReadySeconds(0)),
                Arguments.of("matchingSelectorExpressionIsValid",
                        selector(expression("app", "In", "agent", "other"))),
                Arguments.of("doesNotExistExpressionIsValid", selector(expression("tier", "DoesNotExist"))),
                Arguments.of("extraTemplateLabelsAreValid", (Consumer<DaemonSet>) ds -> templateLabels(ds)
                        .put("example.com/tier", "node")),
                Arguments.of("initContainerWithOwnNameIsValid", (Consumer<DaemonSet>) ds -> pod(ds)
                        .setInitContainers(new ArrayList<>(List.of(container("setup", "init:1"))))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validDaemonSets")
    void validateDaemonSetAccepts(String behaviour, Consumer<DaemonSet> change) {
        DaemonSet ds = Fixtures.validDaemonSet();
        change.accept(ds);
        DaemonSetDefaults.setDefaultsDaemonSet(ds);
        FieldErrors errors = new FieldErrors();
        DaemonSetValidation.validateDaemonSet(ds, errors);
        assertThat(errors.causes()).isEmpty();
    }

    @Test
    void rollingUpdateStrategyWithoutParametersNeedsThem() {
        FieldErrors errors = new FieldErrors();
        DaemonSetValidation.validateDaemonSetUpdateStrategy(new DaemonSetUpdateStrategy(null, "RollingUpdate"),
                "spec.updateStrategy", errors);
        assertThat(errors.causes()).extracting(StatusCause::getField)
                .containsExactly("spec.updateStrategy.rollingUpdate");
        assertThat(errors.causes().get(0).getMessage()).isEqualTo("Required value");
    }

    static Stream<Arguments> messages() {
        return Stream.of(
                Arguments.of("selectorMismatchUsesUpstreamWording",
                        (Consumer<DaemonSet>) ds -> templateLabels(ds).put("app", "x"),
                        "Invalid value: {\"app\":\"x\"}: `selector` does not match template `labels`"),
                Arguments.of("emptySelectorUsesUpstreamWording", selector(new LabelSelector()),
                        "Invalid value: {}: empty selector is invalid for daemonset"),
                Arguments.of("missingContainersIsRequiredValue", containers(), "Required value"),
                Arguments.of("restartPolicyListsAlwaysOnly",
                        (Consumer<DaemonSet>) ds -> pod(ds).setRestartPolicy("OnFailure"),
                        "Unsupported value: \"OnFailure\": supported values: \"Always\""),
                Arguments.of("activeDeadlineUsesUpstreamWording",
                        (Consumer<DaemonSet>) ds -> pod(ds).setActiveDeadlineSeconds(1L),
                        "Forbidden: activeDeadlineSeconds in DaemonSet is not Supported"),
                Arguments.of("negativeNumbersUseUpstreamWording",
                        (Consumer<DaemonSet>) ds -> ds.getSpec().setMinReadySeconds(-1),
                        "Invalid value: -1: must be greater than or equal to 0"),
                Arguments.of("unknownStrategyListsBothTypes",
                        (Consumer<DaemonSet>) ds -> ds.getSpec()
                                .setUpdateStrategy(new DaemonSetUpdateStrategy(null, "Recreate")),
                        "Unsupported value: {\"type\":\"Recreate\"}: supported values: \"RollingUpdate\", \"OnDelete\""),
                Arguments.of("surgeWithUnavailableUsesUpstreamWording", rolling(1, "20%"),
                        "Invalid value: \"20%\": may not be set when maxUnavailable is non-zero"),
                Arguments.of("bothZeroUsesUpstreamWording", rolling(0, "0%"),
                        "Required value: cannot be 0 when maxSurge is 0"),
                Arguments.of("over100PercentUsesUpstreamWording", rolling("101%", 0),
                        "Invalid value: \"101%\": must not be greater than 100%"),
                Arguments.of("malformedPercentUsesUpstreamWording", rolling(0, "5"),
                        "Invalid value: \"5\": a valid percent string must be a numeric string followed by an"
                                + " ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messages")
    void firstCauseMessage(String behaviour, Consumer<DaemonSet> change, String message) {
        DaemonSet ds = Fixtures.validDaemonSet();
        change.accept(ds);
        DaemonSetDefaults.setDefaultsDaemonSet(ds);
        FieldErrors errors = new FieldErrors();
        DaemonSetValidation.validateDaemonSet(ds, errors);
        assertThat(errors.causes()).isNotEmpty();
        assertThat(errors.causes().get(0).getMessage()).isEqualTo(message);
    }

    static Stream<Arguments> updates() {
        return Stream.of(
                Arguments.of("changedSelectorIsImmutable", (Consumer<DaemonSet>) ds -> {
                    ds.getSpec().getSelector().setMatchLabels(new LinkedHashMap<>(Map.of("app", "agent2")));
                    templateLabels(ds).put("app", "agent2");
                }, List.of("spec.selector")),
                Arguments.of("addedSelectorExpressionIsImmutable",
                        selector(expression("app", "Exists")), List.of("spec.selector")),
                Arguments.of("templateChangeIsAllowed",
                        (Consumer<DaemonSet>) ds -> pod(ds).getContainers().get(0).setImage("agent:2"), List.of()),
                Arguments.of("updateChecksEveryCreateRuleToo",
                        (Consumer<DaemonSet>) ds -> ds.getSpec().setRevisionHistoryLimit(-3),
                        List.of("spec.revisionHistoryLimit")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("updates")
    void validateDaemonSetUpdate(String behaviour, Consumer<DaemonSet> change, List<String> fields) {
        DaemonSet old = Fixtures.validDaemonSet();
        DaemonSetDefaults.setDefaultsDaemonSet(old);
        DaemonSet ds = Fixtures.copy(old);
        change.accept(ds);
        DaemonSetDefaults.setDefaultsDaemonSet(ds);
        FieldErrors errors = new FieldErrors();
        DaemonSetValidation.validateDaemonSetUpdate(ds, old, errors);
        assertThat(errors.causes()).extracting(StatusCause::getField).containsExactlyElementsOf(fields);
        if (fields.contains("spec.selector")) {
            assertThat(errors.causes().get(0).getMessage()).endsWith(": field is immutable");
        }
    }

    private static DaemonSetStatus status(Consumer<DaemonSetStatus> change) {
        DaemonSetStatus s = new DaemonSetStatus();
        s.setCurrentNumberScheduled(1);
        s.setNumberMisscheduled(0);
        s.setDesiredNumberScheduled(1);
        s.setNumberReady(1);
        change.accept(s);
        return s;
    }

    static Stream<Arguments> statusUpdates() {
        return Stream.of(
                Arguments.of("nonNegativeCountersAreValid", status(s -> s.setObservedGeneration(2L)), null, List.of()),
                Arguments.of("negativeNumberReadyIsRejected", status(s -> s.setNumberReady(-1)), null,
                        List.of("status.numberReady")),
                Arguments.of("negativeDesiredNumberScheduledIsRejected",
                        status(s -> s.setDesiredNumberScheduled(-1)), null, List.of("status.desiredNumberScheduled")),
                Arguments.of("negativeObservedGenerationIsRejected", status(s -> s.setObservedGeneration(-1L)),
                        null, List.of("status.observedGeneration")),
                Arguments.of("negativeNumberUnavailableIsRejected", status(s -> s.setNumberUnavailable(-2)), null,
                        List.of("status.numberUnavailable")),
                Arguments.of("collisionCountMayGrow", status(s -> s.setCollisionCount(3)), 2, List.of()),
                Arguments.of("collisionCountCannotBeDecremented", status(s -> s.setCollisionCount(1)), 2,
                        List.of("status.collisionCount")),
                Arguments.of("collisionCountCannotBeCleared", status(s -> {
                }), 2, List.of("status.collisionCount")),
                Arguments.of("negativeCollisionCountIsRejected", status(s -> s.setCollisionCount(-1)), null,
                        List.of("status.collisionCount")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("statusUpdates")
    void validateDaemonSetStatusUpdate(String behaviour, DaemonSetStatus status, Integer oldCollisionCount,
            List<String> fields) {
        DaemonSet old = Fixtures.validDaemonSet();
        old.setStatus(status(s -> s.setCollisionCount(oldCollisionCount)));
        DaemonSet ds = Fixtures.copy(old);
        ds.setStatus(status);
        FieldErrors errors = new FieldErrors();
        DaemonSetValidation.validateDaemonSetStatusUpdate(ds, old, errors);
        assertThat(errors.causes()).extracting(StatusCause::getField).containsExactlyElementsOf(fields);
    }
}
