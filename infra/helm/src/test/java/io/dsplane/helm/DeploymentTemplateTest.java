package io.dsplane.helm;

import static io.dsplane.helm.Chart.named;
import static io.dsplane.helm.Chart.ofKind;
import static io.dsplane.helm.Components.objectName;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeploymentTemplateTest {

    private static final List<HasMetadata> DEFAULTS = Chart.render();
    private static final List<HasMetadata> ALL_OPTIONAL = Chart.render("all-optional.yaml");

    @Test
    void everyServiceGetsOneDeploymentWhoseContainerListensOnItsPortNamedHttp() {
        assertThat(ofKind(DEFAULTS, Deployment.class))
                .extracting(deployment -> deployment.getMetadata().getName())
                .containsExactlyInAnyOrderElementsOf(
                        Components.PORTS.keySet().stream().map(Components::objectName).toList());
        Components.PORTS.forEach((component, port) -> {
            Container container = container(DEFAULTS, component);
            assertThat(container.getName()).isEqualTo(component);
            assertThat(container.getPorts()).singleElement().satisfies(containerPort -> {
                assertThat(containerPort.getName()).isEqualTo("http");
                assertThat(containerPort.getContainerPort()).isEqualTo(port);
            });
            assertThat(env(container, "HTTP_PORT").getValue()).isEqualTo(String.valueOf(port));
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"node-registry-service", "daemonset-service", "scheduler-service", "pod-service"})
    void containersAreProbedOnTheQuarkusHealthEndpointsThroughTheHttpPort(String component) {
        Container container = container(DEFAULTS, component);
        assertHttpProbe(container.getReadinessProbe(), "/q/health/ready");
        assertHttpProbe(container.getLivenessProbe(), "/q/health/live");
        assertHttpProbe(container.getStartupProbe(), "/q/health/started");
        assertThat(container.getStartupProbe().getFailureThreshold()).isEqualTo(36);
    }

    @Test
    void kafkaBootstrapServersAndTopicSettingsComeFromValues() {
        Components.PORTS.keySet().forEach(component -> {
            Container container = container(ALL_OPTIONAL, component);
            assertThat(env(container, "KAFKA_BOOTSTRAP_SERVERS").getValue())
                    .isEqualTo("broker-0.kafka:9093,broker-1.kafka:9093");
            assertThat(env(container, "TOPIC_PARTITIONS").getValue()).isEqualTo("12");
            assertThat(env(container, "DSPLANE_TOPICS_REPLICATION_FACTOR").getValue()).isEqualTo("2");
        });
    }

    @Test
    void servicesWithASchemaGetTheDatabaseUrlAndUserFromValues() {
        Components.WITH_DATABASE.forEach(component -> {
            Container container = container(ALL_OPTIONAL, component);
            assertThat(env(container, "DB_URL").getValue()).isEqualTo("jdbc:postgresql://pg.databases:5432/control");
            assertThat(env(container, "DB_USER").getValue()).isEqualTo("control");
        });
    }

    @Test
    void databasePasswordIsReadFromTheSecretTheChartCreates() {
        Secret secret = named(ALL_OPTIONAL, Secret.class, "dsplane-database");
        assertThat(new String(Base64.getDecoder().decode(secret.getData().get("password")), StandardCharsets.UTF_8))
                .isEqualTo("s3cret");
        Components.WITH_DATABASE.forEach(component -> {
            EnvVar password = env(container(ALL_OPTIONAL, component), "DB_PASSWORD");
            assertThat(password.getValue()).isNull();
            assertThat(password.getValueFrom().getSecretKeyRef().getName()).isEqualTo("dsplane-database");
            assertThat(password.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("password");
        });
    }

    @Test
    void databasePasswordIsReadFromAnExistingSecretWhichTheChartThenDoesNotCreate() {
        List<HasMetadata> objects = Chart.render("existing-secret.yaml");
        assertThat(ofKind(objects, Secret.class)).isEmpty();
        Components.WITH_DATABASE.forEach(component -> {
            EnvVar password = env(container(objects, component), "DB_PASSWORD");
            assertThat(password.getValueFrom().getSecretKeyRef().getName()).isEqualTo("dsplane-db");
            assertThat(password.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("pg-password");
        });
    }

    @Test
    void aChangedPasswordRestartsThePodsOfTheServicesThatReadIt() {
        Components.WITH_DATABASE.forEach(component ->
                assertThat(podAnnotation(DEFAULTS, component, "checksum/database-secret"))
                        .isNotBlank()
                        .isNotEqualTo(podAnnotation(ALL_OPTIONAL, component, "checksum/database-secret")));
        assertThat(named(DEFAULTS, Deployment.class, objectName("scheduler-service"))
                .getSpec().getTemplate().getMetadata().getAnnotations()).isNullOrEmpty();
    }

    @Test
    void schedulerGetsNoDatabaseSettings() {
        Container scheduler = container(DEFAULTS, "scheduler-service");
        assertThat(scheduler.getEnv()).extracting(EnvVar::getName).doesNotContain("DB_URL", "DB_USER", "DB_PASSWORD");
    }

    @Test
    void schedulerKeepsItsKafkaStreamsStateInAnEmptyDirMountedAtStateDir() {
        Container scheduler = container(DEFAULTS, "scheduler-service");
        String stateDir = env(scheduler, "STATE_DIR").getValue();
        assertThat(stateDir).isEqualTo("/var/lib/dsplane/state");
        VolumeMount mount = scheduler.getVolumeMounts().stream()
                .filter(candidate -> candidate.getMountPath().equals(stateDir))
                .findFirst().orElseThrow();
        Volume volume = podSpec(DEFAULTS, "scheduler-service").getVolumes().stream()
                .filter(candidate -> candidate.getName().equals(mount.getName()))
                .findFirst().orElseThrow();
        assertThat(volume.getEmptyDir()).isNotNull();
        assertThat(volume.getEmptyDir().getSizeLimit().toString()).isEqualTo("2Gi");
    }

    @Test
    void schedulerAdvertisesItsPodIpForInteractiveQueries() {
        EnvVar advertisedHost = env(container(DEFAULTS, "scheduler-service"), "ADVERTISED_HOST");
        assertThat(advertisedHost.getValue()).isNull();
        assertThat(advertisedHost.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("status.podIP");
    }

    @Test
    void schedulersInternalTopicsGetTheConfiguredReplicationFactor() {
        assertThat(env(container(DEFAULTS, "scheduler-service"), "TOPIC_REPLICATION_FACTOR").getValue())
                .isEqualTo("3");
        assertThat(env(container(ALL_OPTIONAL, "scheduler-service"), "TOPIC_REPLICATION_FACTOR").getValue())
                .isEqualTo("2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"node-registry-service", "daemonset-service", "scheduler-service", "pod-service"})
    void containersRunAsNonRootOnAReadOnlyRootFileSystemWithAWritableTmp(String component) {
        PodSpec pod = podSpec(DEFAULTS, component);
        Container container = container(DEFAULTS, component);
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isPositive();
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(container.getVolumeMounts()).anySatisfy(mount -> assertThat(mount.getMountPath()).isEqualTo("/tmp"));
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(pod.getEnableServiceLinks()).isFalse();
    }

    @Test
    void imagesDefaultToTheChartsAppVersion() {
        Components.PORTS.keySet().forEach(component -> {
            Container container = container(DEFAULTS, component);
            assertThat(container.getImage()).isEqualTo("dsplane/" + component + ":0.1.0");
            assertThat(container.getImagePullPolicy()).isEqualTo("IfNotPresent");
        });
    }

    @Test
    void imagesComeFromTheGlobalRegistryAndTagUnlessAServiceSetsItsOwn() {
        assertThat(container(ALL_OPTIONAL, "pod-service").getImage())
                .isEqualTo("registry.example.com/platform/dsplane/pod-service:1.2.3");
        assertThat(container(ALL_OPTIONAL, "pod-service").getImagePullPolicy()).isEqualTo("Always");
        assertThat(container(ALL_OPTIONAL, "scheduler-service").getImage())
                .isEqualTo("registry.example.com/platform/dsplane/scheduler-service:1.2.4");
        assertThat(container(ALL_OPTIONAL, "scheduler-service").getImagePullPolicy()).isEqualTo("IfNotPresent");
        assertThat(podSpec(ALL_OPTIONAL, "pod-service").getImagePullSecrets())
                .singleElement().satisfies(secret -> assertThat(secret.getName()).isEqualTo("registry-credentials"));
    }

    @Test
    void replicasPlacementPodMetadataAndExtraEnvAreTakenFromTheServicesValues() {
        Deployment deployment = named(ALL_OPTIONAL, Deployment.class, objectName("node-registry-service"));
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
        assertThat(named(ALL_OPTIONAL, Deployment.class, objectName("scheduler-service")).getSpec().getReplicas())
                .isEqualTo(3);
        assertThat(pod.getNodeSelector()).containsEntry("node-role.kubernetes.io/control-plane", "");
        assertThat(pod.getTolerations()).singleElement()
                .satisfies(toleration -> assertThat(toleration.getKey()).isEqualTo("node-role.kubernetes.io/control-plane"));
        assertThat(pod.getAffinity().getPodAntiAffinity()
                .getPreferredDuringSchedulingIgnoredDuringExecution()).hasSize(1);
        assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry("example.com/team", "platform");
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                .containsEntry("example.com/tier", "control-plane");
        Container container = pod.getContainers().get(0);
        assertThat(env(container, "QUARKUS_LOG_LEVEL").getValue()).isEqualTo("DEBUG");
        assertThat(env(container, "NODE_GRACE_PERIOD").getValue()).isEqualTo("60s");
        assertThat(env(container, "NODE_MONITOR_PERIOD").getValue()).isEqualTo("5s");
    }

    @Test
    void optionalPodSettingsAreLeftOutWhenEmpty() {
        PodSpec pod = podSpec(DEFAULTS, "daemonset-service");
        assertThat(pod.getNodeSelector()).isNullOrEmpty();
        assertThat(pod.getTolerations()).isNullOrEmpty();
        assertThat(pod.getAffinity()).isNull();
        assertThat(pod.getImagePullSecrets()).isNullOrEmpty();
        assertThat(pod.getServiceAccountName()).isEqualTo("default");
    }

    @Test
    void eachServicesOwnSettingsBecomeItsEnvironmentVariables() {
        assertThat(env(container(DEFAULTS, "daemonset-service"), "STATUS_RESYNC_PERIOD").getValue()).isEqualTo("2s");
        assertThat(env(container(DEFAULTS, "daemonset-service"), "NODE_STATE_BATCH_SIZE").getValue()).isEqualTo("500");
        assertThat(env(container(DEFAULTS, "scheduler-service"), "RESYNC_INTERVAL").getValue()).isEqualTo("10s");
        assertThat(env(container(DEFAULTS, "scheduler-service"), "EXPECTATION_TIMEOUT").getValue()).isEqualTo("60s");
        assertThat(env(container(DEFAULTS, "pod-service"), "DECISION_BATCH_SIZE").getValue()).isEqualTo("500");
        assertThat(env(container(DEFAULTS, "pod-service"), "DECISION_ID_RETENTION").getValue()).isEqualTo("7d");
    }

    private static void assertHttpProbe(Probe probe, String path) {
        assertThat(probe).as("probe on %s", path).isNotNull();
        assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
        assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("http");
    }

    private static String podAnnotation(List<HasMetadata> objects, String component, String key) {
        return named(objects, Deployment.class, objectName(component))
                .getSpec().getTemplate().getMetadata().getAnnotations().get(key);
    }

    private static PodSpec podSpec(List<HasMetadata> objects, String component) {
        return named(objects, Deployment.class, objectName(component)).getSpec().getTemplate().getSpec();
    }

    private static Container container(List<HasMetadata> objects, String component) {
        return podSpec(objects, component).getContainers().stream()
                .filter(candidate -> candidate.getName().equals(component))
                .findFirst().orElseThrow();
    }

    private static EnvVar env(Container container, String name) {
        List<EnvVar> matches = container.getEnv().stream().filter(env -> env.getName().equals(name)).toList();
        assertThat(matches).as("env %s of %s", name, container.getName()).hasSize(1);
        return matches.get(0);
    }
}
