package io.dsplane.scheduler.placement;

import static io.dsplane.scheduler.placement.Fixtures.req;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** Properties of selector requirement matching over random labels and values. */
class SelectorRequirementPropertiesTest {

    private static final List<String> KEYS = List.of("zone", "disktype", "example.com/tier", "cores");

    @Provide
    Arbitrary<String> keys() {
        return Arbitraries.of(KEYS);
    }

    /** Small value space so that "value in set" happens often. */
    @Provide
    Arbitrary<String> values() {
        return Arbitraries.of("a", "b", "c", "ssd", "hdd", "1", "2", "10");
    }

    @Provide
    Arbitrary<Map<String, String>> nodeLabels() {
        return Arbitraries.maps(keys(), values()).ofMaxSize(KEYS.size());
    }

    @Property
    void notInIsNegatedInWhenKeyPresent(@ForAll("keys") String key, @ForAll @Size(min = 1, max = 3) List<@From("values") String> set,
                                        @ForAll("nodeLabels") Map<String, String> labels, @ForAll("values") String value) {
        Map<String, String> withKey = new HashMap<>(labels);
        withKey.put(key, value);

        boolean in = matches(req(key, "In", set.toArray(String[]::new)), withKey);
        boolean notIn = matches(req(key, "NotIn", set.toArray(String[]::new)), withKey);

        assertThat(notIn).isEqualTo(!in);
        assertThat(in).isEqualTo(set.contains(value));
    }

    @Property
    void inAndNotInAgreeThatAbsentKeyIsNotInTheSet(@ForAll("keys") String key,
                                                   @ForAll @Size(min = 1, max = 3) List<@From("values") String> set,
                                                   @ForAll("nodeLabels") Map<String, String> labels) {
        Map<String, String> withoutKey = new HashMap<>(labels);
        withoutKey.remove(key);

        assertThat(matches(req(key, "In", set.toArray(String[]::new)), withoutKey)).isFalse();
        assertThat(matches(req(key, "NotIn", set.toArray(String[]::new)), withoutKey)).isTrue();
    }

    @Property
    void existsAndDoesNotExistAreComplementary(@ForAll("keys") String key, @ForAll("nodeLabels") Map<String, String> labels) {
        boolean exists = matches(req(key, "Exists"), labels);
        boolean doesNotExist = matches(req(key, "DoesNotExist"), labels);

        assertThat(exists).isNotEqualTo(doesNotExist);
        assertThat(exists).isEqualTo(labels.containsKey(key));
    }

    @Property
    void gtAndLtCompareIntegersAndNeverBothHold(@ForAll("keys") String key, @ForAll long nodeValue, @ForAll long bound) {
        // Negative bounds are not valid label values; the property covers the valid ones.
        long validBound = bound == Long.MIN_VALUE ? 0 : Math.abs(bound);
        Map<String, String> labels = Map.of(key, Long.toString(nodeValue));

        boolean gt = matches(req(key, "Gt", Long.toString(validBound)), labels);
        boolean lt = matches(req(key, "Lt", Long.toString(validBound)), labels);

        assertThat(gt).isEqualTo(nodeValue > validBound);
        assertThat(lt).isEqualTo(nodeValue < validBound);
        assertThat(gt && lt).isFalse();
    }

    @Property
    void mismatchIsExplainedExactlyWhenTheRequirementFails(@ForAll("keys") String key,
                                                          @ForAll("operators") String operator,
                                                          @ForAll("values") String value,
                                                          @ForAll("nodeLabels") Map<String, String> labels) {
        String[] values = operator.equals("Exists") || operator.equals("DoesNotExist") ? new String[0] : new String[]{value};
        SelectorRequirement.Parsed parsed = SelectorRequirement.parseLabelRequirement(req(key, operator, values));
        if (!parsed.isValid()) {
            return; // Gt/Lt with a non-integer value: covered by the table tests.
        }
        SelectorRequirement requirement = parsed.requirement().orElseThrow();

        assertThat(requirement.mismatch(labels).isEmpty()).isEqualTo(requirement.matches(labels));
        requirement.mismatch(labels).ifPresent(reason -> assertThat(reason).contains(key));
    }

    @Provide
    Arbitrary<String> operators() {
        return Arbitraries.of("In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt");
    }

    private static boolean matches(NodeSelectorRequirement requirement, Map<String, String> labels) {
        SelectorRequirement.Parsed parsed = SelectorRequirement.parseLabelRequirement(requirement);
        assertThat(parsed.errors()).isEmpty();
        return parsed.requirement().orElseThrow().matches(labels);
    }
}
