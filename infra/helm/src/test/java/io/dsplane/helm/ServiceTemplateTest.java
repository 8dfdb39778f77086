package io.dsplane.helm;

import static io.dsplane.helm.Chart.named;
import static io.dsplane.helm.Chart.ofKind;
import static io.dsplane.helm.Components.objectName;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ServiceTemplateTest {

    private static final List<HasMetadata> DEFAULTS = Chart.render();

    @ParameterizedTest
    @ValueSource(strings = {"node-registry-service", "daemonset-service", "scheduler-service", "pod-service"})
    void serviceSelectsExactlyThePodsOfItsOwnDeployment(String component) {
        Service service = named(DEFAULTS, Service.class, objectName(component));
        Map<String, String> selector = service.getSpec().getSelector();
        Deployment own = named(DEFAULTS, Deployment.class, objectName(component));

        assertThat(own.getSpec().getSelector().getMatchLabels()).isEqualTo(selector);
        assertThat(own.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(selector);
        ofKind(DEFAULTS, Deployment.class).stream()
                .filter(other -> other != own)
                .forEach(other -> assertThat(other.getSpec().getTemplate().getMetadata().getLabels()
                        .entrySet().containsAll(selector.entrySet()))
                        .as("%s selects the pods of %s", service.getMetadata().getName(), other.getMetadata().getName())
                        .isFalse());
    }

    @ParameterizedTest
    @ValueSource(strings = {"node-registry-service", "daemonset-service", "scheduler-service", "pod-service"})
    void serviceExposesThePortNamedHttpOnTheServicesOwnPortNumber(String component) {
        Service service = named(DEFAULTS, Service.class, objectName(component));
        assertThat(service.getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(service.getSpec().getPorts()).singleElement().satisfies(port -> {
            assertThat(port.getName()).isEqualTo("http");
            assertThat(port.getPort()).isEqualTo(Components.PORTS.get(component));
            assertThat(port.getTargetPort().getStrVal()).isEqualTo("http");
        });
    }

    @Test
    void serviceTypeAndAnnotationsComeFromTheServicesValues() {
        Service scheduler = named(Chart.render("all-optional.yaml"), Service.class, objectName("scheduler-service"));
        assertThat(scheduler.getSpec().getType()).isEqualTo("NodePort");
        assertThat(scheduler.getMetadata().getAnnotations()).containsEntry("example.com/exposed", "true");
    }

    @Test
    void everyObjectCarriesTheRecommendedLabelsAndTheReleaseNamespace() {
        assertThat(DEFAULTS).allSatisfy(object -> {
            assertThat(object.getMetadata().getNamespace()).isEqualTo(Chart.NAMESPACE);
            assertThat(object.getMetadata().getLabels())
                    .containsEntry("app.kubernetes.io/name", "dsplane")
                    .containsEntry("app.kubernetes.io/instance", Chart.RELEASE)
                    .containsEntry("app.kubernetes.io/managed-by", "Helm")
                    .containsEntry("app.kubernetes.io/version", "0.1.0")
                    .containsKey("helm.sh/chart");
        });
    }
}
