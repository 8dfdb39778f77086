package io.dsplane.daemonset.defaults;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.dsplane.daemonset.Fixtures;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetUpdateStrategy;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDaemonSet;

class DaemonSetDefaultsTest {

    private static Arguments row(String behaviour, Consumer<DaemonSet> given, Function<DaemonSet, Object> read,
            Object expected) {
        return Arguments.of(behaviour, given, read, expected);
    }

    private static Consumer<DaemonSet> nothing() {
        return ds -> {
        };
    }

    private static Consumer<DaemonSet> strategy(String type, RollingUpdateDaemonSet rolling) {
        return ds -> ds.getSpec().setUpdateStrategy(new DaemonSetUpdateStrategy(rolling, type));
    }

    private static RollingUpdateDaemonSet rolling(Object maxSurge, Object maxUnavailable) {
        return new RollingUpdateDaemonSet(maxSurge == null ? null : new IntOrString(maxSurge),
                maxUnavailable == null ? null : new IntOrString(maxUnavailable));
    }

    private static Function<DaemonSet, Object> maxUnavailable() {
        return ds -> ds.getSpec().getUpdateStrategy().getRollingUpdate().getMaxUnavailable().getValue();
    }

    private static Function<DaemonSet, Object> maxSurge() {
        return ds -> ds.getSpec().getUpdateStrategy().getRollingUpdate().getMaxSurge().getValue();
    }

    private static PodSpec pod(DaemonSet ds) {
        return ds.getSpec().getTemplate().getSpec();
    }

    private static Container container(DaemonSet ds) {
        return pod(ds).getContainers().get(0);
    }

    private static Consumer<DaemonSet> image(String image) {
        return ds -> container(ds).setImage(image);
    }

    static Stream<Arguments> defaults() {
        return Stream.of(
                row("strategyWithoutTypeBecomesRollingUpdate", nothing(),
                        ds -> ds.getSpec().getUpdateStrategy().getType(), "RollingUpdate"),
                row("emptyStrategyTypeBecomesRollingUpdate", strategy("", null),
                        ds -> ds.getSpec().getUpdateStrategy().getType(), "RollingUpdate"),
                row("rollingUpdateWithoutValuesGetsMaxUnavailableOne", strategy("RollingUpdate", null),
                        maxUnavailable(), 1),
                row("rollingUpdateWithoutValuesGetsMaxSurgeZero", strategy("RollingUpdate", null), maxSurge(), 0),
                row("defaultedStrategyGetsMaxUnavailableOne", nothing(), maxUnavailable(), 1),
                row("defaultedStrategyGetsMaxSurgeZero", nothing(), maxSurge(), 0),
                row("givenMaxUnavailablePercentIsKept", strategy("RollingUpdate", rolling(null, "20%")),
                        maxUnavailable(), "20%"),
                row("givenMaxUnavailableStillGetsMaxSurgeZero", strategy("RollingUpdate", rolling(null, "20%")),
                        maxSurge(), 0),
                row("givenMaxSurgeStillGetsMaxUnavailableOneWhichValidationThenRejects",
                        strategy("RollingUpdate", rolling(2, null)), maxUnavailable(), 1),
                row("givenMaxSurgeIsKept", strategy("RollingUpdate", rolling(2, null)), maxSurge(), 2),
                row("onDeleteGetsNoRollingUpdate", strategy("OnDelete", null),
                        ds -> ds.getSpec().getUpdateStrategy().getRollingUpdate(), null),
                row("unknownStrategyTypeIsLeftForValidation", strategy("Sometimes", null),
                        ds -> ds.getSpec().getUpdateStrategy().getRollingUpdate(), null),
                row("missingRevisionHistoryLimitBecomesTen", nothing(),
                        ds -> ds.getSpec().getRevisionHistoryLimit(), 10),
                row("revisionHistoryLimitZeroIsKept", ds -> ds.getSpec().setRevisionHistoryLimit(0),
                        ds -> ds.getSpec().getRevisionHistoryLimit(), 0),
                row("givenRevisionHistoryLimitIsKept", ds -> ds.getSpec().setRevisionHistoryLimit(3),
                        ds -> ds.getSpec().getRevisionHistoryLimit(), 3),
                row("missingRestartPolicyBecomesAlways", nothing(), ds -> pod(ds).getRestartPolicy(), "Always"),
                row("givenRestartPolicyIsKeptForValidation", ds -> pod(ds).setRestartPolicy("OnFailure"),
                        ds -> pod(ds).getRestartPolicy(), "OnFailure"),
                row("missingDnsPolicyBecomesClusterFirst", nothing(), ds -> pod(ds).getDnsPolicy(), "ClusterFirst"),
                row("givenDnsPolicyIsKept", ds -> pod(ds).setDnsPolicy("ClusterFirstWithHostNet"),
                        ds -> pod(ds).getDnsPolicy(), "ClusterFirstWithHostNet"),
                row("missingGracePeriodBecomesThirtySeconds", nothing(),
                        ds -> pod(ds).getTerminationGracePeriodSeconds(), 30L),
                row("givenGracePeriodIsKept", ds -> pod(ds).setTerminationGracePeriodSeconds(5L),
                        ds -> pod(ds).getTerminationGracePeriodSeconds(), 5L),
                row("missingSchedulerNameBecomesDefaultScheduler", nothing(), ds -> pod(ds).getSchedulerName(),
                        "default-scheduler"),
                row("givenSchedulerNameIsKept", ds -> pod(ds).setSchedulerName("mine"),
                        ds -> pod(ds).getSchedulerName(), "mine"),
                row("missingSecurityContextBecomesEmpty", nothing(), ds -> pod(ds).getSecurityContext() != null,
                        true),
                row("taggedImageIsPulledIfNotPresent", nothing(), ds -> container(ds).getImagePullPolicy(),
                        "IfNotPresent"),
                row("untaggedImageIsAlwaysPulled", image("nginx"), ds -> container(ds).getImagePullPolicy(),
                        "Always"),
                row("latestImageIsAlwaysPulled", image("nginx:latest"), ds -> container(ds).getImagePullPolicy(),
                        "Always"),
                row("registryPortIsNotATag", image("registry:5000/nginx"),
                        ds -> container(ds).getImagePullPolicy(), "Always"),
                row("imagePinnedByDigestIsPulledIfNotPresent", image("nginx@sha256:0123abcd"),
                        ds -> container(ds).getImagePullPolicy(), "IfNotPresent"),
                row("givenPullPolicyIsKept", ds -> container(ds).setImagePullPolicy("Never"),
                        ds -> container(ds).getImagePullPolicy(), "Never"),
                row("containerGetsTerminationMessagePath", nothing(),
                        ds -> container(ds).getTerminationMessagePath(), "/dev/termination-log"),
                row("containerGetsTerminationMessagePolicyFile", nothing(),
                        ds -> container(ds).getTerminationMessagePolicy(), "File"),
                row("containerPortGetsProtocolTcp",
                        ds -> container(ds).setPorts(
                                List.of(new ContainerPortBuilder().withContainerPort(8080).build())),
                        ds -> container(ds).getPorts().get(0).getProtocol(), "TCP"),
                row("initContainersGetContainerDefaults",
                        ds -> pod(ds).setInitContainers(
                                List.of(new ContainerBuilder().withName("init").withImage("init:latest").build())),
                        ds -> pod(ds).getInitContainers().get(0).getImagePullPolicy(), "Always"),
                row("missingTemplateIsCreatedSoValidationCanReportIt", ds -> ds.getSpec().setTemplate(null),
                        ds -> pod(ds).getRestartPolicy(), "Always"),
                row("missingSpecIsCreatedSoValidationCanReportIt", ds -> ds.setSpec(null),
                        ds -> ds.getSpec().getRevisionHistoryLimit(), 10));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("defaults")
    void setDefaultsDaemonSet(String behaviour, Consumer<DaemonSet> given, Function<DaemonSet, Object> read,
            Object expected) {
        DaemonSet ds = Fixtures.validDaemonSet();
        given.accept(ds);
        DaemonSetDefaults.setDefaultsDaemonSet(ds);
        assertThat(read.apply(ds)).isEqualTo(expected);
    }
}
