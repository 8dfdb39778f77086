package io.dsplane.contracts.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * JSON merge patch (RFC 7386). The table is the kind of example the RFC's appendix lists, derived from
 * its rules: objects merge member by member, null deletes a member, anything else (arrays included)
 * replaces the target, and a patch that is not an object replaces the whole document.
 */
class MergePatchTest {

    static JsonNode json(String s) {
        try {
            return KubeJson.json().readTree(s);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(s, e);
        }
    }

    static Stream<Arguments> rfc7386() {
        return Stream.of(
                arguments("memberIsReplaced", "{\"a\":\"b\"}", "{\"a\":\"c\"}", "{\"a\":\"c\"}"),
                arguments("memberIsAdded", "{\"a\":\"b\"}", "{\"b\":\"c\"}", "{\"a\":\"b\",\"b\":\"c\"}"),
                arguments("nullRemovesTheOnlyMember", "{\"a\":\"b\"}", "{\"a\":null}", "{}"),
                arguments("nullRemovesOneMemberAndKeepsOthers", "{\"a\":\"b\",\"b\":\"c\"}", "{\"a\":null}",
                        "{\"b\":\"c\"}"),
                arguments("scalarReplacesArray", "{\"a\":[\"b\"]}", "{\"a\":\"c\"}", "{\"a\":\"c\"}"),
                arguments("arrayReplacesScalar", "{\"a\":\"c\"}", "{\"a\":[\"b\"]}", "{\"a\":[\"b\"]}"),
                arguments("nestedObjectsMergeAndNestedNullRemoves", "{\"a\":{\"b\":\"c\"}}",
                        "{\"a\":{\"b\":\"d\",\"c\":null}}", "{\"a\":{\"b\":\"d\"}}"),
                arguments("arraysAreReplacedNotMerged", "{\"a\":[{\"b\":\"c\"}]}", "{\"a\":[1]}", "{\"a\":[1]}"),
                arguments("arrayPatchReplacesArrayDocument", "[\"a\",\"b\"]", "[\"c\",\"d\"]", "[\"c\",\"d\"]"),
                arguments("arrayPatchReplacesObjectDocument", "{\"a\":\"b\"}", "[\"c\"]", "[\"c\"]"),
                arguments("nullPatchReplacesTheDocumentWithNull", "{\"a\":\"foo\"}", "null", "null"),
                arguments("stringPatchReplacesTheDocument", "{\"a\":\"foo\"}", "\"bar\"", "\"bar\""),
                arguments("nullAlreadyInTheTargetIsKept", "{\"e\":null}", "{\"a\":1}", "{\"e\":null,\"a\":1}"),
                arguments("objectPatchOnArrayStartsFromAnEmptyObject", "[1,2]", "{\"a\":\"b\",\"c\":null}",
                        "{\"a\":\"b\"}"),
                arguments("nullsInsideANewObjectAreDropped", "{}", "{\"a\":{\"bb\":{\"ccc\":null}}}",
                        "{\"a\":{\"bb\":{}}}"),
                arguments("emptyPatchChangesNothing", "{\"a\":{\"b\":[1]}}", "{}", "{\"a\":{\"b\":[1]}}"),
                arguments("objectPatchReplacesAScalarMember", "{\"a\":1}", "{\"a\":{\"b\":null,\"c\":2}}",
                        "{\"a\":{\"c\":2}}"),
                arguments("removingAMissingMemberIsANoOp", "{\"a\":1}", "{\"z\":null}", "{\"a\":1}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rfc7386")
    void applyFollowsRfc7386(String behaviour, String target, String patch, String expected) {
        assertThat(MergePatch.apply(json(target), json(patch))).isEqualTo(json(expected));
    }

    @Test
    void targetAndPatchAreLeftUnchanged() {
        JsonNode target = json("{\"a\":{\"b\":\"c\",\"d\":[1]}}");
        JsonNode patch = json("{\"a\":{\"b\":null,\"e\":{\"f\":1}}}");

        JsonNode result = MergePatch.apply(target, patch);
        ((com.fasterxml.jackson.databind.node.ObjectNode) result.get("a")).put("mutated", true);

        assertThat(target).isEqualTo(json("{\"a\":{\"b\":\"c\",\"d\":[1]}}"));
        assertThat(patch).isEqualTo(json("{\"a\":{\"b\":null,\"e\":{\"f\":1}}}"));
    }

    @Test
    void missingTargetIsPatchedAsAnEmptyObject() {
        assertThat(MergePatch.apply(null, json("{\"a\":{\"b\":null,\"c\":1}}"))).isEqualTo(json("{\"a\":{\"c\":1}}"));
    }

    @Test
    void kubernetesStyleLabelPatchAddsChangesAndRemovesLabels() {
        JsonNode node = json("{\"metadata\":{\"name\":\"n1\",\"labels\":{\"a\":\"1\",\"b\":\"1\"}},"
                + "\"spec\":{\"taints\":[{\"key\":\"k\",\"effect\":\"NoSchedule\"}]}}");

        JsonNode patched = MergePatch.apply(node, json("{\"metadata\":{\"labels\":{\"a\":\"2\",\"b\":null,\"c\":\"3\"}},"
                + "\"spec\":{\"unschedulable\":true}}"));

        assertThat(patched).isEqualTo(json("{\"metadata\":{\"name\":\"n1\",\"labels\":{\"a\":\"2\",\"c\":\"3\"}},"
                + "\"spec\":{\"taints\":[{\"key\":\"k\",\"effect\":\"NoSchedule\"}],\"unschedulable\":true}}"));
    }
}
