package io.dsplane.daemonset.printers;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.dsplane.contracts.api.KubeBodies;
import io.dsplane.daemonset.Fixtures;
import io.dsplane.daemonset.printers.Table.ColumnDefinition;
import io.dsplane.daemonset.printers.TableRequest.IncludeObject;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;

class DaemonSetPrinterTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final TableRequest V1 = new TableRequest("v1", IncludeObject.METADATA);

    private static DaemonSet stored() {
        DaemonSet ds = Fixtures.yaml("""
                apiVersion: apps/v1
                kind: DaemonSet
                metadata:
                  name: fluentd
                  namespace: logging
                  uid: u-1
                  resourceVersion: "42"
                  creationTimestamp: "2026-06-01T08:30:00Z"
                spec:
                  selector:
                    matchLabels:
                      app: fluentd
                  template:
                    metadata:
                      labels:
                        app: fluentd
                    spec:
                      nodeSelector:
                        zone: a
                        disk: ssd
                      containers:
                      - name: fluentd
                        image: fluentd:1.16
                      - name: reloader
                        image: reloader:2
                status:
                  desiredNumberScheduled: 5
                  currentNumberScheduled: 4
                  numberReady: 3
                  updatedNumberScheduled: 2
                  numberAvailable: 1
                  numberMisscheduled: 7
                """);
        return ds;
    }

    @Test
    void columnsAreKubectlsWithTheWideOnesAtPriorityOne() {
        assertThat(DaemonSetPrinter.DAEMONSET_COLUMN_DEFINITIONS).extracting(ColumnDefinition::name).containsExactly(
                "Name", "Desired", "Current", "Ready", "Up-to-date", "Available", "Node Selector", "Age",
                "Containers", "Images", "Selector");
        assertThat(DaemonSetPrinter.DAEMONSET_COLUMN_DEFINITIONS).extracting(ColumnDefinition::priority)
                .containsExactly(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1);
        assertThat(DaemonSetPrinter.DAEMONSET_COLUMN_DEFINITIONS).extracting(ColumnDefinition::type).containsExactly(
                "string", "integer", "integer", "integer", "integer", "integer", "string", "string", "string",
                "string", "string");
        assertThat(DaemonSetPrinter.DAEMONSET_COLUMN_DEFINITIONS.get(0).format()).isEqualTo("name");
        assertThat(DaemonSetPrinter.DAEMONSET_COLUMN_DEFINITIONS).allSatisfy(c -> assertThat(c.description())
                .isNotBlank());
    }

    @Test
    void cellsFollowTheStatusTemplateAndSelector() {
        assertThat(DaemonSetPrinter.printDaemonSet(stored(), NOW)).containsExactly("fluentd", 5, 4, 3, 2, 1,
                "disk=ssd,zone=a", "3h30m", "fluentd,reloader", "fluentd:1.16,reloader:2", "app=fluentd");
    }

    @Test
    void daemonSetWithoutNodeSelectorOrStatusShowsNoneAndZeros() {
        DaemonSet ds = Fixtures.validDaemonSet();
        ds.getMetadata().setCreationTimestamp("2026-06-01T11:59:55Z");
        assertThat(DaemonSetPrinter.printDaemonSet(ds, NOW)).containsExactly("agent", 0, 0, 0, 0, 0, "<none>", "5s",
                "agent", "registry.example/agent:1.0", "app=agent");
    }

    /** A case: a metav1.LabelSelector and how kubectl prints it. */
    static Stream<Arguments> selectors() {
        return Stream.of(
                Arguments.of("nilSelectorIsNone", null, "<none>"),
                Arguments.of("emptySelectorIsNone", new LabelSelector(), "<none>"),
                Arguments.of("matchLabelsAreSortedByKey",
                        new LabelSelectorBuilder().withMatchLabels(Map.of("tier", "node", "app", "x")).build(),
                        "app=x,tier=node"),
                Arguments.of("expressionsAreSortedTogetherWithLabelsAndValuesSorted", new LabelSelectorBuilder()
                        .withMatchLabels(Map.of("m", "1")).addNewMatchExpression().withKey("zone")
                        .withOperator("In").withValues("b", "a").endMatchExpression().addNewMatchExpression()
                        .withKey("arch").withOperator("NotIn").withValues("s390x", "arm").endMatchExpression()
                        .build(), "arch notin (arm,s390x),m=1,zone in (a,b)"),
                Arguments.of("existsIsTheKeyAlone", new LabelSelectorBuilder().addNewMatchExpression()
                        .withKey("gpu").withOperator("Exists").endMatchExpression().addNewMatchExpression()
                        .withKey("legacy").withOperator("DoesNotExist").endMatchExpression().build(),
                        "gpu,!legacy"),
                Arguments.of("unknownOperatorIsAnError", new LabelSelectorBuilder().addNewMatchExpression()
                        .withKey("a").withOperator("Near").withValues("b").endMatchExpression().build(), "<error>"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("selectors")
    void formatLabelSelector(String name, LabelSelector selector, String expected) {
        assertThat(DaemonSetPrinter.formatLabelSelector(selector)).isEqualTo(expected);
    }

    @Test
    void listTableCarriesTheListVersionAndPartialObjectMetadataPerRow() {
        JsonNode table = KubeBodies.toTree(DaemonSetPrinter.printDaemonSetList(List.of(stored()), "77", V1, NOW));
        assertThat(table.path("kind").asText()).isEqualTo("Table");
        assertThat(table.path("apiVersion").asText()).isEqualTo("meta.k8s.io/v1");
        assertThat(table.path("metadata").path("resourceVersion").asText()).isEqualTo("77");
        assertThat(table.path("columnDefinitions").path(1)).hasToString(
                "{\"name\":\"Desired\",\"type\":\"integer\",\"format\":\"\",\"description\":"
                        + "\"Nodes that should run the daemon pod.\",\"priority\":0}");
        JsonNode row = table.path("rows").path(0);
        assertThat(row.path("cells").path(0).asText()).isEqualTo("fluentd");
        assertThat(row.path("cells").path(1).isInt()).isTrue();
        assertThat(row.path("object").path("kind").asText()).isEqualTo("PartialObjectMetadata");
        assertThat(row.path("object").path("apiVersion").asText()).isEqualTo("meta.k8s.io/v1");
        assertThat(row.path("object").path("metadata").path("uid").asText()).isEqualTo("u-1");
        assertThat(row.path("object").has("spec")).isFalse();
    }

    @Test
    void singleObjectTableCarriesTheObjectsVersion() {
        JsonNode table = KubeBodies.toTree(DaemonSetPrinter.printDaemonSet(stored(),
                new TableRequest("v1beta1", IncludeObject.OBJECT), NOW));
        assertThat(table.path("apiVersion").asText()).isEqualTo("meta.k8s.io/v1beta1");
        assertThat(table.path("metadata").path("resourceVersion").asText()).isEqualTo("42");
        assertThat(table.path("rows")).hasSize(1);
        assertThat(table.path("rows").path(0).path("object").path("kind").asText()).isEqualTo("DaemonSet");
        assertThat(table.path("rows").path(0).path("object").path("spec").isObject()).isTrue();
    }

    @Test
    void includeObjectNoneLeavesTheObjectOut() {
        JsonNode table = KubeBodies.toTree(DaemonSetPrinter.printDaemonSetList(List.of(stored()), "1",
                new TableRequest("v1", IncludeObject.NONE), NOW));
        assertThat(table.path("rows").path(0).has("object")).isFalse();
        assertThat(table.path("rows").path(0).path("cells")).hasSize(11);
    }

    @Test
    void emptyListHasColumnsAndNoRows() {
        JsonNode table = KubeBodies.toTree(DaemonSetPrinter.printDaemonSetList(List.of(), "5", V1, NOW));
        assertThat(table.path("columnDefinitions")).hasSize(11);
        assertThat(table.path("rows").isArray()).isTrue();
        assertThat(table.path("rows")).isEmpty();
    }
}
