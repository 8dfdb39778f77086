package io.dsplane.contracts.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.dsplane.contracts.api.Requirement.Operator;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;

/** The query syntax of {@code ?labelSelector=}: parsing, matching and errors, as labels.Parse upstream. */
class LabelSelectorTest {

    static final Map<String, String> LABELS = Map.of("env", "prod", "tier", "frontend", "example.com/gpu", "a100",
            "replicas", "3", "empty", "");

    // ---------------------------------------------------------------- parse: what each syntax becomes

    static Stream<Arguments> parsed() {
        return Stream.of(
                arguments("env=prod", List.of(new Requirement("env", Operator.EQUALS, List.of("prod")))),
                arguments("env==prod", List.of(new Requirement("env", Operator.EQUALS, List.of("prod")))),
                arguments("env!=prod", List.of(new Requirement("env", Operator.NOT_EQUALS, List.of("prod")))),
                arguments("env in (prod,dev)", List.of(new Requirement("env", Operator.IN, List.of("prod", "dev")))),
                arguments("env notin (prod)", List.of(new Requirement("env", Operator.NOT_IN, List.of("prod")))),
                arguments("env", List.of(new Requirement("env", Operator.EXISTS, List.of()))),
                arguments("!env", List.of(new Requirement("env", Operator.DOES_NOT_EXIST, List.of()))),
                arguments("replicas>2", List.of(new Requirement("replicas", Operator.GT, List.of("2")))),
                arguments("replicas<-2", List.of(new Requirement("replicas", Operator.LT, List.of("-2")))),
                arguments("env=", List.of(new Requirement("env", Operator.EQUALS, List.of("")))),
                arguments("example.com/gpu=a100",
                        List.of(new Requirement("example.com/gpu", Operator.EQUALS, List.of("a100")))),
                arguments("  env = prod  ,  tier  ",
                        List.of(new Requirement("env", Operator.EQUALS, List.of("prod")),
                                new Requirement("tier", Operator.EXISTS, List.of()))),
                arguments("env in ( prod , dev ),tier notin(backend)",
                        List.of(new Requirement("env", Operator.IN, List.of("prod", "dev")),
                                new Requirement("tier", Operator.NOT_IN, List.of("backend")))),
                arguments("env in (prod,dev,prod)", List.of(new Requirement("env", Operator.IN, List.of("prod", "dev")))),
                arguments("env in ()", List.of(new Requirement("env", Operator.IN, List.of("")))),
                arguments("env in (prod,)", List.of(new Requirement("env", Operator.IN, List.of("prod", "")))),
                arguments("! env", List.of(new Requirement("env", Operator.DOES_NOT_EXIST, List.of()))),
                arguments("in in (in)", List.of(new Requirement("in", Operator.IN, List.of("in")))));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @MethodSource("parsed")
    void parseReadsEveryOperator(String selector, List<Requirement> expected) {
        assertThat(LabelSelector.parse(selector).requirements()).isEqualTo(expected);
    }

    // ---------------------------------------------------------------- matching

    static Stream<Arguments> matching() {
        return Stream.of(
                arguments("env=prod", true), arguments("env=dev", false), arguments("missing=x", false),
                arguments("env==prod", true),
                arguments("env!=dev", true), arguments("env!=prod", false), arguments("missing!=x", true),
                arguments("env in (dev,prod)", true), arguments("env in (dev,qa)", false),
                arguments("missing in (x)", false),
                arguments("env notin (dev,qa)", true), arguments("env notin (prod)", false),
                arguments("missing notin (x)", true),
                arguments("env", true), arguments("missing", false),
                arguments("!env", false), arguments("!missing", true),
                arguments("replicas>2", true), arguments("replicas>3", false), arguments("replicas<4", true),
                arguments("replicas<3", false), arguments("missing>1", false), arguments("env>1", false),
                arguments("env<1", false),
                arguments("empty=", true), arguments("empty", true), arguments("empty in ()", true),
                arguments("env=", false),
                arguments("example.com/gpu=a100", true), arguments("gpu=a100", false),
                arguments("env=prod,tier=frontend", true), arguments("env=prod,tier=backend", false),
                arguments("env in (prod),!missing,replicas>1,tier", true),
                arguments("", true), arguments("   ", true));
    }

    @ParameterizedTest(name = "\"{0}\" matches: {1}")
    @MethodSource("matching")
    void matchesFollowsUpstreamRequirementSemantics(String selector, boolean matches) {
        assertThat(LabelSelector.parse(selector).matches(LABELS)).isEqualTo(matches);
    }

    @Test
    void emptySelectorMatchesEverythingIncludingObjectsWithoutLabels() {
        assertThat(LabelSelector.parse(null).isEmpty()).isTrue();
        assertThat(LabelSelector.parse("").matches(null)).isTrue();
        assertThat(LabelSelector.everything().matches(Map.of())).isTrue();
    }

    @Test
    void objectWithoutLabelsMatchesOnlyAbsenceRequirements() {
        assertThat(LabelSelector.parse("!a,b!=c,d notin (e)").matches(null)).isTrue();
        assertThat(LabelSelector.parse("a").matches(null)).isFalse();
        assertThat(LabelSelector.parse("a in (b)").matches(Map.of())).isFalse();
    }

    // ---------------------------------------------------------------- errors

    static Stream<Arguments> invalid() {
        return Stream.of(
                arguments("env=prod,", "empty requirement"),
                arguments(",env=prod", "empty requirement"),
                arguments("env=prod,,tier", "empty requirement"),
                arguments("env in (prod", "unbalanced '('"),
                arguments("env in prod)", "unbalanced ')'"),
                arguments("env in (a b)", "invalid label value"),
                arguments("env notin prod", "invalid label key"),
                arguments("=prod", "invalid label key"),
                arguments("bad key=x", "invalid label key"),
                arguments("-env=x", "invalid label key"),
                arguments("Example.com/env=x", "invalid label key"),
                arguments("a/b/c=x", "invalid label key"),
                arguments("/env=x", "invalid label key"),
                arguments("env/=x", "invalid label key"),
                arguments("k".repeat(64) + "=x", "invalid label key"),
                arguments("!env=prod", "invalid label key"),
                arguments("env=prod=x", "invalid label value"),
                arguments("env=-prod", "invalid label value"),
                arguments("env=a b", "invalid label value"),
                arguments("env=" + "v".repeat(64), "invalid label value"),
                arguments("env in (ok,-bad)", "invalid label value"),
                arguments("replicas>two", "must be an integer"),
                arguments("replicas>=2", "invalid label key"),
                arguments("replicas<", "must be an integer"));
    }

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @MethodSource("invalid")
    void badSyntaxKeysOrValuesAreRejectedNamingTheProblem(String selector, String problem) {
        assertThatThrownBy(() -> LabelSelector.parse(selector)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(problem);
    }

    @Test
    void requirementChecksValueCountsPerOperator() {
        assertThatThrownBy(() -> LabelSelector.requirement("k", Operator.IN, List.of()))
                .hasMessageContaining("values set can't be empty");
        assertThatThrownBy(() -> LabelSelector.requirement("k", Operator.NOT_IN, List.of()))
                .hasMessageContaining("values set can't be empty");
        assertThatThrownBy(() -> LabelSelector.requirement("k", Operator.EQUALS, List.of("a", "b")))
                .hasMessageContaining("one single value");
        assertThatThrownBy(() -> LabelSelector.requirement("k", Operator.NOT_EQUALS, List.of()))
                .hasMessageContaining("one single value");
        assertThatThrownBy(() -> LabelSelector.requirement("k", Operator.EXISTS, List.of("a")))
                .hasMessageContaining("must be empty");
        assertThatThrownBy(() -> LabelSelector.requirement("k", Operator.DOES_NOT_EXIST, List.of("a")))
                .hasMessageContaining("must be empty");
        assertThatThrownBy(() -> LabelSelector.requirement("k", Operator.GT, List.of("1", "2")))
                .hasMessageContaining("exactly one value");
    }

    // ---------------------------------------------------------------- rendering and object selectors

    @Test
    void toStringRendersTheQuerySyntax() {
        assertThat(LabelSelector.parse("a=b,c!=d,e in (f,g),h notin (i),j,!k,l>1,m<2"))
                .hasToString("a=b,c!=d,e in (f,g),h notin (i),j,!k,l>1,m<2");
        assertThat(LabelSelector.parse("a==b")).hasToString("a=b");
        assertThat(LabelSelector.nothing()).hasToString("<nothing>");
    }

    @Test
    void objectSelectorNilMatchesNothingAndEmptyMatchesEverything() {
        assertThat(LabelSelector.fromObject(null).matches(LABELS)).isFalse();
        assertThat(LabelSelector.fromObject(new LabelSelectorBuilder().build()).matches(LABELS)).isTrue();
        assertThat(LabelSelector.fromObject(new LabelSelectorBuilder().build()).isEmpty()).isTrue();
    }

    @Test
    void objectSelectorAndsMatchLabelsWithExpressions() {
        var selector = new LabelSelectorBuilder().addToMatchLabels("tier", "frontend").addToMatchLabels("env", "prod")
                .addNewMatchExpression().withKey("replicas").withOperator("Exists").endMatchExpression()
                .addNewMatchExpression().withKey("zone").withOperator("DoesNotExist").endMatchExpression()
                .addNewMatchExpression().withKey("env").withOperator("In").withValues("prod", "qa").endMatchExpression()
                .addNewMatchExpression().withKey("tier").withOperator("NotIn").withValues("backend")
                .endMatchExpression().build();

        LabelSelector parsed = LabelSelector.fromObject(selector);

        assertThat(parsed.matches(LABELS)).isTrue();
        assertThat(parsed.requirements()).first().isEqualTo(new Requirement("env", Operator.EQUALS, List.of("prod")));
        assertThat(parsed.matches(Map.of("tier", "frontend", "env", "qa", "replicas", "1"))).isFalse();
    }

    @Test
    void objectSelectorRejectsUnknownOperatorsAndBadValueCounts() {
        assertThatThrownBy(() -> LabelSelector.fromObject(new LabelSelectorBuilder().addNewMatchExpression()
                .withKey("a").withOperator("Gt").withValues("1").endMatchExpression().build()))
                .hasMessageContaining("\"Gt\" is not a valid label selector operator");
        assertThatThrownBy(() -> LabelSelector.fromObject(new LabelSelectorBuilder().addNewMatchExpression()
                .withKey("a").withOperator("In").endMatchExpression().build()))
                .hasMessageContaining("values set can't be empty");
        assertThatThrownBy(() -> LabelSelector.fromObject(new LabelSelectorBuilder().addNewMatchExpression()
                .withKey("a").withOperator("Exists").withValues("x").endMatchExpression().build()))
                .hasMessageContaining("must be empty");
    }

    @Test
    void formatLabelsSortsPairsOrSaysNone() {
        assertThat(LabelSelector.formatLabels(Map.of("b", "2", "a", "1"))).isEqualTo("a=1,b=2");
        assertThat(LabelSelector.formatLabels(Map.of())).isEqualTo("<none>");
        assertThat(LabelSelector.formatLabels(null)).isEqualTo("<none>");
    }
}
