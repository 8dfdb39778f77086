package io.dsplane.pod.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.dsplane.contracts.api.FieldErrors;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.TolerationBuilder;

class PodValidationTest {

    private static PodSpecBuilder valid() {
        return new PodSpecBuilder().withRestartPolicy("Always").withNodeName("node-a")
                .addToContainers(new ContainerBuilder().withName("app").withImage("app:1").build());
    }

    private static List<String> fields(PodSpec spec) {
        FieldErrors errors = new FieldErrors();
        PodValidation.validateSpec(spec, errors);
        return errors.causes().stream().map(StatusCause::getField).toList();
    }

    private static List<StatusCause> statusCauses(PodStatus next, PodStatus old) {
        FieldErrors errors = new FieldErrors();
        PodValidation.validateStatus(next, old, errors);
        return errors.causes();
    }

    @Test
    void minimalBoundPodIsValid() {
        assertThat(fields(valid().build())).isEmpty();
    }

    @Test
    void missingSpecOrNoContainersRequiresContainers() {
        assertThat(fields(null)).containsExactly("spec.containers");
        assertThat(fields(valid().withContainers().build())).containsExactly("spec.containers");
    }

    @Test
    void containerWithoutImageIsRequiredAtItsIndex() {
        assertThat(fields(valid().addToContainers(new ContainerBuilder().withName("side").build()).build()))
                .containsExactly("spec.containers[1].image");
    }

    @Test
    void imageWithSurroundingSpacesIsInvalid() {
        assertThat(fields(valid().editFirstContainer().withImage(" app:1").endContainer().build()))
                .containsExactly("spec.containers[0].image");
    }

    @Test
    void containerNamesMustBeDnsLabelsAndUniqueAcrossInitContainers() {
        assertThat(fields(valid().addToContainers(new ContainerBuilder().withName("App").withImage("x").build())
                .build())).containsExactly("spec.containers[1].name");
        assertThat(fields(valid().addToInitContainers(new ContainerBuilder().withName("app").withImage("x").build())
                .build())).containsExactly("spec.initContainers[0].name");
        assertThat(fields(valid().addToContainers(new ContainerBuilder().withImage("x").build()).build()))
                .containsExactly("spec.containers[1].name");
    }

    @Test
    void restartPolicyMustBeOneOfThree() {
        assertThat(fields(valid().withRestartPolicy("OnFailure").build())).isEmpty();
        assertThat(fields(valid().withRestartPolicy("Never").build())).isEmpty();
        FieldErrors errors = new FieldErrors();
        PodValidation.validateSpec(valid().withRestartPolicy("Sometimes").build(), errors);
        assertThat(errors.causes()).singleElement().satisfies(c -> {
            assertThat(c.getField()).isEqualTo("spec.restartPolicy");
            assertThat(c.getReason()).isEqualTo(FieldErrors.NOT_SUPPORTED);
        });
    }

    @Test
    void nodeNameMustBeADnsSubdomainWhenSet() {
        assertThat(fields(valid().withNodeName("node-a.zone-1").build())).isEmpty();
        assertThat(fields(valid().withNodeName(null).build())).isEmpty();
        assertThat(fields(valid().withNodeName("Node_A").build())).containsExactly("spec.nodeName");
    }

    @Test
    void negativePriorityIsInvalid() {
        assertThat(fields(valid().withPriority(0).build())).isEmpty();
        assertThat(fields(valid().withPriority(-1).build())).containsExactly("spec.priority");
    }

    @Test
    void negativeQuantitiesAndRequestsAboveLimitsAreInvalid() {
        assertThat(fields(valid().editFirstContainer().withNewResources()
                .withRequests(Map.of("cpu", new Quantity("-1"))).endResources().endContainer().build()))
                .containsExactly("spec.containers[0].resources.requests[cpu]");
        assertThat(fields(valid().editFirstContainer().withNewResources()
                .withRequests(Map.of("memory", new Quantity("2Gi")))
                .withLimits(Map.of("memory", new Quantity("1Gi"))).endResources().endContainer().build()))
                .containsExactly("spec.containers[0].resources.requests[memory]");
        assertThat(fields(valid().editFirstContainer().withNewResources()
                .withRequests(Map.of("memory", new Quantity("1024Mi"), "cpu", new Quantity("500m")))
                .withLimits(Map.of("memory", new Quantity("1Gi"), "cpu", new Quantity("1"))).endResources()
                .endContainer().build())).isEmpty();
    }

    @Test
    void quantityThatDoesNotParseIsInvalid() {
        Quantity broken = new Quantity();
        broken.setAmount("x1");
        assertThat(fields(valid().editFirstContainer().withNewResources().withLimits(Map.of("cpu", broken))
                .endResources().endContainer().build())).containsExactly("spec.containers[0].resources.limits[cpu]");
    }

    @Test
    void portsMustBeInRange() {
        assertThat(fields(valid().editFirstContainer().addNewPort().withContainerPort(0).endPort()
                .addNewPort().withContainerPort(8080).withProtocol("HTTP").endPort().endContainer().build()))
                .containsExactly("spec.containers[0].ports[0].containerPort", "spec.containers[0].ports[1].protocol");
    }

    @Test
    void tolerationsFollowTheOperatorAndEffectRules() {
        assertThat(fields(valid().withTolerations(
                new TolerationBuilder().withOperator("Exists").build(),
                new TolerationBuilder().withKey("k").withValue("v").withEffect("NoExecute").withTolerationSeconds(30L)
                        .build()).build())).isEmpty();
        assertThat(fields(valid().withTolerations(
                new TolerationBuilder().withValue("v").build(),
                new TolerationBuilder().withKey("k").withOperator("Exists").withValue("v").build(),
                new TolerationBuilder().withKey("k").withOperator("Near").build(),
                new TolerationBuilder().withKey("k").withEffect("Sometimes").build(),
                new TolerationBuilder().withKey("k").withEffect("NoSchedule").withTolerationSeconds(5L).build())
                .build())).containsExactly("spec.tolerations[0].operator", "spec.tolerations[1].operator",
                        "spec.tolerations[2].operator", "spec.tolerations[3].effect", "spec.tolerations[4].effect");
    }

    @Test
    void imageChangeAndAddedTolerationAreAllowedOnUpdate() {
        PodSpec old = valid().build();
        PodSpec next = valid().editFirstContainer().withImage("app:2").endContainer()
                .addToTolerations(new TolerationBuilder().withKey("k").withOperator("Exists").build()).build();
        FieldErrors errors = new FieldErrors();
        PodValidation.validateSpecUpdate(next, old, errors);
        assertThat(errors.isEmpty()).isTrue();
    }

    @Test
    void changingNodeNameOrRemovingATolerationIsForbiddenOnUpdate() {
        PodSpec old = valid().addToTolerations(new TolerationBuilder().withKey("k").withOperator("Exists").build())
                .build();
        FieldErrors errors = new FieldErrors();
        PodValidation.validateSpecUpdate(valid().withNodeName("node-b").build(), old, errors);
        assertThat(errors.causes()).extracting(StatusCause::getField).containsExactly("spec.tolerations", "spec");
    }

    @Test
    void unknownPhaseAndBadConditionsAndIpsAreInvalid() {
        PodStatus status = new PodStatusBuilder().withPhase("Sleeping").withPodIP("10.0.0.300").withHostIP("fe80::1")
                .withConditions(new PodConditionBuilder().withType("Ready").withStatus("Maybe").build(),
                        new PodConditionBuilder().withType("Ready").withStatus("True").build(),
                        new PodConditionBuilder().withStatus("True").build())
                .build();
        assertThat(statusCauses(status, null)).extracting(StatusCause::getField).containsExactly("status.phase",
                "status.conditions[0].status", "status.conditions[1].type", "status.conditions[2].type",
                "status.podIP");
    }

    @Test
    void terminalPhaseIsNeverLeft() {
        PodStatus failed = new PodStatusBuilder().withPhase("Failed").build();
        assertThat(statusCauses(new PodStatusBuilder().withPhase("Running").build(), failed))
                .extracting(StatusCause::getReason).containsExactly(FieldErrors.FORBIDDEN);
        assertThat(statusCauses(new PodStatusBuilder().withPhase("Failed").withReason("OOMKilled").build(), failed))
                .isEmpty();
        assertThat(statusCauses(new PodStatusBuilder().withPhase("Succeeded").build(),
                new PodStatusBuilder().withPhase("Running").build())).isEmpty();
    }

    @Test
    void ipCheckNeverTakesHostNames() {
        assertThat(PodValidation.isIP("10.1.2.3")).isTrue();
        assertThat(PodValidation.isIP("2001:db8::ffff")).isTrue();
        assertThat(PodValidation.isIP("localhost")).isFalse();
        assertThat(PodValidation.isIP("1.2.3")).isFalse();
        assertThat(PodValidation.isIP("2001:db8:::1")).isFalse();
    }
}
