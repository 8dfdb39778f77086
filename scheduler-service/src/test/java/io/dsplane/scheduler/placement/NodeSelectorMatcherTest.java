package io.dsplane.scheduler.placement;

import static io.dsplane.scheduler.placement.Fixtures.fieldTerm;
import static io.dsplane.scheduler.placement.Fixtures.labels;
import static io.dsplane.scheduler.placement.Fixtures.node;
import static io.dsplane.scheduler.placement.Fixtures.req;
import static io.dsplane.scheduler.placement.Fixtures.specWithAffinity;
import static io.dsplane.scheduler.placement.Fixtures.specWithNodeSelector;
import static io.dsplane.scheduler.placement.Fixtures.term;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NodeSelectorMatcherTest {

    private static final Node SSD_NODE = node("n1", labels("disktype", "ssd", "zone", "a"));

    static Stream<Arguments> nodeSelectorRules() {
        return Stream.of(
                arguments("empty nodeSelector matches any node", Map.of(), List.of()),
                arguments("every entry equal matches", labels("disktype", "ssd", "zone", "a"), List.of()),
                arguments("other value does not match and names the node's value", labels("disktype", "hdd"),
                        List.of("nodeSelector disktype=hdd: node has disktype=ssd")),
                arguments("missing label does not match", labels("gpu", "true"),
                        List.of("nodeSelector gpu=true: node has no label gpu")),
                arguments("every failing entry is explained", labels("disktype", "hdd", "gpu", "true", "zone", "a"),
                        List.of("nodeSelector disktype=hdd: node has disktype=ssd", "nodeSelector gpu=true: node has no label gpu")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nodeSelectorRules")
    void nodeSelectorNeedsEveryEntryAsExactLabel(String rule, Map<String, String> selector, List<String> reasons) {
        NodeSelectorMatch result = NodeSelectorMatcher.match(specWithNodeSelector(selector), SSD_NODE);

        assertThat(result.matches()).isEqualTo(reasons.isEmpty());
        assertThat(result.reasons()).containsExactlyElementsOf(reasons);
    }

    static Stream<Arguments> operatorRules() {
        return Stream.of(
                arguments("In with value in set", "In", new String[]{"a", "b"}, labels("zone", "a"), null),
                arguments("In with other value", "In", new String[]{"a", "b"}, labels("zone", "c"),
                        "affinity term 0: requirement zone In [a,b]: node has zone=c"),
                arguments("In with absent key", "In", new String[]{"a", "b"}, labels(),
                        "affinity term 0: requirement zone In [a,b]: node has no label zone"),
                arguments("NotIn with absent key", "NotIn", new String[]{"a"}, labels(), null),
                arguments("NotIn with other value", "NotIn", new String[]{"a"}, labels("zone", "b"), null),
                arguments("NotIn with listed value", "NotIn", new String[]{"a", "b"}, labels("zone", "b"),
                        "affinity term 0: requirement zone NotIn [a,b]: node has zone=b"),
                arguments("Exists with key present", "Exists", new String[]{}, labels("zone", ""), null),
                arguments("Exists with key absent", "Exists", new String[]{}, labels(),
                        "affinity term 0: requirement zone Exists: node has no label zone"),
                arguments("DoesNotExist with key absent", "DoesNotExist", new String[]{}, labels(), null),
                arguments("DoesNotExist with key present", "DoesNotExist", new String[]{}, labels("zone", "a"),
                        "affinity term 0: requirement zone DoesNotExist: node has zone=a"),
                arguments("Gt with greater value", "Gt", new String[]{"4"}, labels("zone", "5"), null),
                arguments("Gt with equal value", "Gt", new String[]{"4"}, labels("zone", "4"),
                        "affinity term 0: requirement zone Gt [4]: node has zone=4"),
                arguments("Gt with non-integer node value", "Gt", new String[]{"4"}, labels("zone", "five"),
                        "affinity term 0: requirement zone Gt [4]: node has zone=five, not an integer"),
                arguments("Gt with absent key", "Gt", new String[]{"4"}, labels(),
                        "affinity term 0: requirement zone Gt [4]: node has no label zone"),
                arguments("Lt with smaller negative value", "Lt", new String[]{"0"}, labels("zone", "-5"), null),
                arguments("Lt with equal value", "Lt", new String[]{"4"}, labels("zone", "4"),
                        "affinity term 0: requirement zone Lt [4]: node has zone=4"),
                arguments("Lt with node value beyond int64", "Lt", new String[]{"4"}, labels("zone", "99999999999999999999"),
                        "affinity term 0: requirement zone Lt [4]: node has zone=99999999999999999999, not an integer"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operatorRules")
    void operatorsFollowLabelSelectorSemantics(String rule, String operator, String[] values, Map<String, String> nodeLabels,
                                              String reason) {
        PodSpec spec = specWithAffinity(term(req("zone", operator, values)));

        NodeSelectorMatch result = NodeSelectorMatcher.match(spec, node("n1", nodeLabels));

        assertThat(result.matches()).isEqualTo(reason == null);
        assertThat(result.reasons()).containsExactlyElementsOf(reason == null ? List.of() : List.of(reason));
    }

    static Stream<Arguments> invalidRequirements() {
        return Stream.of(
                arguments("In without values", req("zone", "In"), "operator In needs at least one value"),
                arguments("NotIn without values", req("zone", "NotIn"), "operator NotIn needs at least one value"),
                arguments("Exists with a value", req("zone", "Exists", "a"), "operator Exists takes no values"),
                arguments("DoesNotExist with a value", req("zone", "DoesNotExist", "a"), "operator DoesNotExist takes no values"),
                arguments("Gt with two values", req("zone", "Gt", "1", "2"), "operator Gt needs exactly one integer value"),
                arguments("Gt with a non-integer", req("zone", "Gt", "x"), "operator Gt needs exactly one integer value"),
                arguments("Lt without values", req("zone", "Lt"), "operator Lt needs exactly one integer value"),
                arguments("Lt beyond int64", req("zone", "Lt", "9223372036854775808"), "operator Lt needs exactly one integer value"),
                arguments("Gt with a negative integer, not a valid label value", req("zone", "Gt", "-1"),
                        "invalid label value \"-1\" for key zone"),
                arguments("unknown operator", req("zone", "Equals", "a"), "unknown operator \"Equals\""),
                arguments("key with two slashes", req("a/b/c", "Exists"), "invalid label key \"a/b/c\""),
                arguments("empty key", req("", "Exists"), "invalid label key \"\""),
                arguments("value with a space", req("zone", "In", "a b"), "invalid label value \"a b\" for key zone"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidRequirements")
    void invalidTermNeverMatchesAndSaysWhy(String rule, NodeSelectorRequirement requirement,
                                          String error) {
        PodSpec spec = specWithAffinity(term(requirement));

        NodeSelectorMatch result = NodeSelectorMatcher.match(spec, node("n1", labels("zone", "a", "a/b/c", "x", "", "y")));

        assertThat(result.matches()).isFalse();
        assertThat(result.reasons()).containsExactly("affinity term 0: invalid: " + error);
    }

    static Stream<Arguments> fieldRules() {
        return Stream.of(
                arguments("metadata.name In [own name] matches", req("metadata.name", "In", "n1"), null),
                arguments("metadata.name In [other] does not match", req("metadata.name", "In", "n2"),
                        "affinity term 0: field metadata.name In [n2]: node has metadata.name=n1"),
                arguments("metadata.name NotIn [other] matches", req("metadata.name", "NotIn", "n2"), null),
                arguments("metadata.name NotIn [own name] does not match", req("metadata.name", "NotIn", "n1"),
                        "affinity term 0: field metadata.name NotIn [n1]: node has metadata.name=n1"),
                arguments("unknown field In never matches", req("spec.podCIDR", "In", "x"),
                        "affinity term 0: field spec.podCIDR In [x]: node has no field spec.podCIDR"),
                arguments("unknown field NotIn matches", req("spec.podCIDR", "NotIn", "x"), null),
                arguments("unknown field reads as empty, so In [\"\"] matches", req("spec.podCIDR", "In", ""), null),
                arguments("In with two values is invalid", req("metadata.name", "In", "n1", "n2"),
                        "affinity term 0: invalid: operator In on field metadata.name needs exactly one value"),
                arguments("Exists is invalid on fields", req("metadata.name", "Exists"),
                        "affinity term 0: invalid: operator Exists is not supported for field metadata.name"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fieldRules")
    void matchFieldsSeeOnlyTheNodeName(String rule, NodeSelectorRequirement field, String reason) {
        NodeSelectorMatch result = NodeSelectorMatcher.match(specWithAffinity(fieldTerm(field)), node("n1"));

        assertThat(result.matches()).isEqualTo(reason == null);
        assertThat(result.reasons()).containsExactlyElementsOf(reason == null ? List.of() : List.of(reason));
    }

    static Stream<Arguments> termRules() {
        NodeSelectorTerm matching = term(req("zone", "In", "a"));
        NodeSelectorTerm failing = term(req("zone", "In", "b"));
        NodeSelectorTerm invalid = term(req("zone", "Gt", "x"));
        NodeSelectorTerm empty = new NodeSelectorTerm();
        return Stream.of(
                arguments("terms are ORed: a later term can match", List.of(failing, matching), List.of()),
                arguments("requirements in a term are ANDed", List.of(term(req("zone", "In", "a"), req("disktype", "In", "hdd"))),
                        List.of("affinity term 0: requirement disktype In [hdd]: node has disktype=ssd")),
                arguments("every failing requirement of a term is explained",
                        List.of(term(req("zone", "In", "b"), req("disktype", "In", "hdd"))),
                        List.of("affinity term 0: requirement zone In [b]: node has zone=a",
                                "affinity term 0: requirement disktype In [hdd]: node has disktype=ssd")),
                arguments("matchExpressions and matchFields are ANDed",
                        List.of(new io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder()
                                .withMatchExpressions(req("zone", "In", "a"))
                                .withMatchFields(req("metadata.name", "In", "n2")).build()),
                        List.of("affinity term 0: field metadata.name In [n2]: node has metadata.name=n1")),
                arguments("an empty term matches nothing", List.of(empty),
                        List.of("affinity term 0: empty term matches no node")),
                arguments("an empty term does not stop a later term", List.of(empty, matching), List.of()),
                arguments("no terms match nothing", List.of(),
                        List.of("affinity: required node affinity has no terms, matches no node")),
                arguments("an invalid term does not stop a valid term", List.of(invalid, matching), List.of()),
                arguments("an invalid term never matches", List.of(failing, invalid),
                        List.of("affinity term 0: requirement zone In [b]: node has zone=a",
                                "affinity term 1: invalid: operator Gt needs exactly one integer value")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("termRules")
    void requiredNodeAffinityTerms(String rule, List<NodeSelectorTerm> terms, List<String> reasons) {
        NodeSelectorMatch result = NodeSelectorMatcher.match(specWithAffinity(terms.toArray(NodeSelectorTerm[]::new)), SSD_NODE);

        assertThat(result.matches()).isEqualTo(reasons.isEmpty());
        assertThat(result.reasons()).containsExactlyElementsOf(reasons);
    }

    @Test
    void nodeWithoutNameSkipsFieldRequirementsLikeUpstream() {
        PodSpec spec = specWithAffinity(fieldTerm(req("metadata.name", "In", "n1")));

        assertThat(NodeSelectorMatcher.matches(spec, node(""))).isTrue();
    }

    @Test
    void nodeSelectorAndAffinityMustBothMatchAndBothAreExplained() {
        PodSpec spec = new PodSpecBuilder(specWithAffinity(term(req("zone", "In", "b"))))
                .withNodeSelector(labels("disktype", "hdd"))
                .build();

        NodeSelectorMatch result = NodeSelectorMatcher.match(spec, SSD_NODE);

        assertThat(result.matches()).isFalse();
        assertThat(result.reasons()).containsExactly(
                "nodeSelector disktype=hdd: node has disktype=ssd",
                "affinity term 0: requirement zone In [b]: node has zone=a");
    }

    @Test
    void matchingNodeSelectorDoesNotRescueFailingAffinity() {
        PodSpec spec = new PodSpecBuilder(specWithAffinity(term(req("zone", "In", "b"))))
                .withNodeSelector(labels("disktype", "ssd"))
                .build();

        assertThat(NodeSelectorMatcher.matches(spec, SSD_NODE)).isFalse();
    }

    @Test
    void preferredAffinityIsIgnored() {
        PodSpec spec = new PodSpecBuilder()
                .withNewAffinity().withNewNodeAffinity()
                .addNewPreferredDuringSchedulingIgnoredDuringExecution().withWeight(1)
                .withPreference(term(req("zone", "In", "b")))
                .endPreferredDuringSchedulingIgnoredDuringExecution()
                .endNodeAffinity().endAffinity()
                .build();

        assertThat(NodeSelectorMatcher.matches(spec, SSD_NODE)).isTrue();
    }

    @Test
    void specWithoutConstraintsMatchesEveryNode() {
        assertThat(NodeSelectorMatcher.match(new PodSpec(), node("bare")).matches()).isTrue();
    }
}
