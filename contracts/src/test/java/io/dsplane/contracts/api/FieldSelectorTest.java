package io.dsplane.contracts.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.dsplane.contracts.api.FieldSelector.Term;

/** {@code ?fieldSelector=}: equality terms over the fields a resource declares. */
class FieldSelectorTest {

    static final Set<String> SUPPORTED = Set.of("metadata.name", "metadata.namespace", "spec.nodeName");
    static final Map<String, String> POD = new HashMap<>(Map.of("metadata.name", "web-1",
            "metadata.namespace", "default"));

    static {
        POD.put("spec.nodeName", null); // an unbound pod
    }

    static Stream<Arguments> parsed() {
        return Stream.of(
                arguments("metadata.name=web-1", List.of(new Term("metadata.name", true, "web-1"))),
                arguments("metadata.name==web-1", List.of(new Term("metadata.name", true, "web-1"))),
                arguments("metadata.name!=web-1", List.of(new Term("metadata.name", false, "web-1"))),
                arguments(" metadata.name = web-1 , spec.nodeName != n1 ",
                        List.of(new Term("metadata.name", true, "web-1"), new Term("spec.nodeName", false, "n1"))),
                arguments("spec.nodeName=", List.of(new Term("spec.nodeName", true, ""))),
                arguments("", List.of()),
                arguments("   ", List.of()));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @MethodSource("parsed")
    void parseReadsEqualityAndInequalityTerms(String selector, List<Term> expected) {
        assertThat(FieldSelector.parse(selector, SUPPORTED).terms()).isEqualTo(expected);
    }

    static Stream<Arguments> matching() {
        return Stream.of(
                arguments("metadata.name=web-1", true), arguments("metadata.name=web-2", false),
                arguments("metadata.name!=web-2", true), arguments("metadata.name!=web-1", false),
                arguments("metadata.name=web-1,metadata.namespace=default", true),
                arguments("metadata.name=web-1,metadata.namespace=kube-system", false),
                arguments("spec.nodeName=", true), arguments("spec.nodeName!=", false),
                arguments("spec.nodeName=n1", false), arguments("spec.nodeName!=n1", true),
                arguments("", true));
    }

    @ParameterizedTest(name = "\"{0}\" matches: {1}")
    @MethodSource("matching")
    void matchesTreatsAMissingFieldAsEmpty(String selector, boolean matches) {
        assertThat(FieldSelector.parse(selector, SUPPORTED).matches(POD::get)).isEqualTo(matches);
    }

    @Test
    void nullSelectorMatchesEverything() {
        assertThat(FieldSelector.parse(null, SUPPORTED).matches(f -> "anything")).isTrue();
    }

    @Test
    void unsupportedFieldIsRejectedByName() {
        assertThatThrownBy(() -> FieldSelector.parse("metadata.name=a,spec.podCIDR=x", SUPPORTED))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("field label not supported: spec.podCIDR");
    }

    @Test
    void termWithoutOperatorIsRejectedQuotingSelectorAndTerm() {
        assertThatThrownBy(() -> FieldSelector.parse("metadata.name=a,metadata.namespace", SUPPORTED))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid selector: 'metadata.name=a,metadata.namespace'; can't understand"
                        + " 'metadata.namespace'");
    }

    @Test
    void equalityValueNarrowsOnlyOnEqualsTerms() {
        assertThat(FieldSelector.parse("spec.nodeName=n1", SUPPORTED).equalityValue("spec.nodeName")).isEqualTo("n1");
        assertThat(FieldSelector.parse("spec.nodeName!=n1", SUPPORTED).equalityValue("spec.nodeName")).isNull();
        assertThat(FieldSelector.parse("metadata.name=a", SUPPORTED).equalityValue("spec.nodeName")).isNull();
    }
}
