package io.dsplane.daemonset.printers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.dsplane.daemonset.printers.TableRequest.IncludeObject;

class TableRequestTest {

    static Stream<Arguments> accepts() {
        return Stream.of(
                Arguments.of("kubectlGetAsksForV1First", "application/json;as=Table;v=v1;g=meta.k8s.io,"
                        + "application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json", "v1"),
                Arguments.of("v1beta1AloneIsServed", "application/json;as=Table;v=v1beta1;g=meta.k8s.io", "v1beta1"),
                Arguments.of("spacesAndParameterOrderDoNotMatter",
                        "application/json; g=meta.k8s.io; v=v1; as=Table", "v1"),
                Arguments.of("quotedParametersAreRead", "application/json;as=\"Table\";v=\"v1\";g=\"meta.k8s.io\"",
                        "v1"),
                Arguments.of("plainJsonIsNoTable", "application/json", null),
                Arguments.of("noAcceptIsNoTable", null, null),
                Arguments.of("anythingIsNoTable", "*/*", null),
                Arguments.of("tableOfAnotherGroupIsNoTable", "application/json;as=Table;v=v1;g=example.com", null),
                Arguments.of("unknownTableVersionIsSkipped",
                        "application/json;as=Table;v=v9;g=meta.k8s.io,application/json", null),
                Arguments.of("otherRenderingIsNoTable",
                        "application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io", null),
                Arguments.of("yamlTableIsNotServed", "application/yaml;as=Table;v=v1;g=meta.k8s.io", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepts")
    void tableVersion(String name, String accept, String version) {
        assertThat(TableRequest.tableVersion(accept)).isEqualTo(Optional.ofNullable(version));
    }

    @Test
    void rowsCarryTheMetadataUnlessAskedOtherwise() {
        String table = "application/json;as=Table;v=v1;g=meta.k8s.io";
        assertThat(TableRequest.of(table, null)).contains(new TableRequest("v1", IncludeObject.METADATA));
        assertThat(TableRequest.of(table, "None")).contains(new TableRequest("v1", IncludeObject.NONE));
        assertThat(TableRequest.of(table, "Object")).contains(new TableRequest("v1", IncludeObject.OBJECT));
    }

    @Test
    void unknownIncludeObjectIsRejectedOnlyForTables() {
        assertThatThrownBy(() -> TableRequest.of("application/json;as=Table;v=v1;g=meta.k8s.io", "all"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"all\"");
        assertThat(TableRequest.of("application/json", "all")).isEmpty();
    }
}
