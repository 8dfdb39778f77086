package io.dsplane.helm;

import static io.dsplane.helm.Chart.named;
import static io.dsplane.helm.Chart.ofKind;
import static io.dsplane.helm.Components.objectName;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OptionalObjectsTest {

    private static final List<HasMetadata> ALL_OPTIONAL = Chart.render("all-optional.yaml");

    @Test
    void defaultsRenderFourDeploymentsFourServicesAndTheDatabaseSecretOnly() {
        assertThat(Chart.render()).extracting(HasMetadata::getKind)
                .containsExactlyInAnyOrder("Secret", "Service", "Service", "Service", "Service",
                        "Deployment", "Deployment", "Deployment", "Deployment");
    }

    @Test
    void enabledServiceAccountIsCreatedWithoutATokenAndUsedByEveryPod() {
        ServiceAccount account = named(ALL_OPTIONAL, ServiceAccount.class, "dsplane");
        assertThat(account.getAutomountServiceAccountToken()).isFalse();
        assertThat(account.getMetadata().getAnnotations()).containsEntry("example.com/role", "dsplane");
        assertThat(ofKind(ALL_OPTIONAL, Deployment.class)).hasSize(4).allSatisfy(deployment ->
                assertThat(deployment.getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo("dsplane"));
    }

    @Test
    void enabledPodDisruptionBudgetsCoverEachServicesPods() {
        List<PodDisruptionBudget> budgets = ofKind(ALL_OPTIONAL, PodDisruptionBudget.class);
        assertThat(budgets).hasSize(4);
        Components.PORTS.keySet().forEach(component -> {
            PodDisruptionBudget budget = named(ALL_OPTIONAL, PodDisruptionBudget.class, objectName(component));
            Deployment deployment = named(ALL_OPTIONAL, Deployment.class, objectName(component));
            assertThat(budget.getSpec().getMaxUnavailable().getStrVal()).isEqualTo("50%");
            assertThat(budget.getSpec().getSelector().getMatchLabels())
                    .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void enabledServiceMonitorScrapesQuarkusMetricsOfEveryService() {
        GenericKubernetesResource monitor = ofKind(ALL_OPTIONAL, GenericKubernetesResource.class).stream()
                .filter(object -> object.getKind().equals("ServiceMonitor"))
                .findFirst().orElseThrow();
        assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "prometheus");

        Map<String, Object> spec = (Map<String, Object>) monitor.getAdditionalProperties().get("spec");
        Map<String, String> selector = (Map<String, String>) ((Map<String, Object>) spec.get("selector")).get("matchLabels");
        assertThat(ofKind(ALL_OPTIONAL, Service.class)).hasSize(4).allSatisfy(service ->
                assertThat(service.getMetadata().getLabels()).containsAllEntriesOf(selector));
        assertThat((List<Map<String, Object>>) spec.get("endpoints")).singleElement().satisfies(endpoint -> {
            assertThat(endpoint).containsEntry("port", "http").containsEntry("path", "/q/metrics");
            assertThat(endpoint).containsEntry("interval", "15s");
        });
    }

    @Test
    void optionalObjectsAreAbsentUnlessEnabled() {
        List<HasMetadata> defaults = Chart.render();
        assertThat(ofKind(defaults, ServiceAccount.class)).isEmpty();
        assertThat(ofKind(defaults, PodDisruptionBudget.class)).isEmpty();
        assertThat(ofKind(defaults, GenericKubernetesResource.class)).isEmpty();
        assertThat(ofKind(defaults, Secret.class)).hasSize(1);
    }
}
