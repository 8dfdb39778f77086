package io.dsplane.contracts.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.dsplane.contracts.api.Requirement.Operator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Laws of label selectors over generated keys, values and label sets. */
class LabelSelectorPropertiesTest {

    private static final String ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    /** A name part or label value: alphanumeric at both ends, '-', '_' or '.' inside, at most 63. */
    static Arbitrary<String> namePart() {
        Arbitrary<String> edge = Arbitraries.strings().withChars(ALNUM).ofLength(1);
        Arbitrary<String> middle = Arbitraries.strings().withChars(ALNUM + "-_.").ofMaxLength(20);
        return Arbitraries.oneOf(edge, Combinators.combine(edge, middle, edge).as((a, m, b) -> a + m + b));
    }

    /** A DNS-1123 subdomain prefix such as example.com. */
    static Arbitrary<String> prefix() {
        Arbitrary<String> label = Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789").ofMinLength(1)
                .ofMaxLength(10);
        return label.list().ofMinSize(1).ofMaxSize(3).map(l -> String.join(".", l));
    }

    @Provide
    Arbitrary<String> keys() {
        return Arbitraries.oneOf(namePart(), Combinators.combine(prefix(), namePart()).as((p, n) -> p + "/" + n));
    }

    @Provide
    Arbitrary<String> values() {
        return Arbitraries.oneOf(namePart(), Arbitraries.just(""));
    }

    @Provide
    Arbitrary<Set<String>> valueSets() {
        return values().set().ofMinSize(1).ofMaxSize(4);
    }

    @Provide
    Arbitrary<Map<String, String>> labelSets() {
        return Arbitraries.maps(Arbitraries.oneOf(keys(), Arbitraries.of("env", "tier")), values()).ofMaxSize(5);
    }

    @Provide
    Arbitrary<List<Requirement>> requirementLists() {
        return requirements().list().ofMaxSize(5);
    }

    Arbitrary<Requirement> requirements() {
        Arbitrary<Requirement> single = Combinators.combine(keys(), Arbitraries.of(Operator.EQUALS, Operator.NOT_EQUALS),
                values()).as((k, op, v) -> LabelSelector.requirement(k, op, List.of(v)));
        Arbitrary<Requirement> set = Combinators.combine(keys(), Arbitraries.of(Operator.IN, Operator.NOT_IN),
                valueSets()).as((k, op, vs) -> LabelSelector.requirement(k, op, new ArrayList<>(vs)));
        Arbitrary<Requirement> existence = Combinators.combine(keys(),
                Arbitraries.of(Operator.EXISTS, Operator.DOES_NOT_EXIST)).as((k, op) -> LabelSelector.requirement(k, op,
                        List.of()));
        Arbitrary<Requirement> numeric = Combinators.combine(keys(), Arbitraries.of(Operator.GT, Operator.LT),
                Arbitraries.longs()).as((k, op, n) -> LabelSelector.requirement(k, op, List.of(Long.toString(n))));
        return Arbitraries.oneOf(single, set, existence, numeric);
    }

    @Property
    void notInIsTheNegationOfInWhenTheKeyIsPresent(@ForAll("keys") String key, @ForAll("valueSets") Set<String> values,
            @ForAll("values") String value, @ForAll("labelSets") Map<String, String> others) {
        Map<String, String> labels = new HashMap<>(others);
        labels.put(key, value);
        Requirement in = LabelSelector.requirement(key, Operator.IN, new ArrayList<>(values));
        Requirement notIn = LabelSelector.requirement(key, Operator.NOT_IN, new ArrayList<>(values));

        assertThat(notIn.matches(labels)).isEqualTo(!in.matches(labels));
    }

    @Property
    void notInAndInBothExcludeNothingForAnAbsentKeyButOnlyNotInMatches(@ForAll("keys") String key,
            @ForAll("valueSets") Set<String> values, @ForAll("labelSets") Map<String, String> labels) {
        Map<String, String> without = new HashMap<>(labels);
        without.remove(key);

        assertThat(LabelSelector.requirement(key, Operator.NOT_IN, new ArrayList<>(values)).matches(without)).isTrue();
        assertThat(LabelSelector.requirement(key, Operator.IN, new ArrayList<>(values)).matches(without)).isFalse();
    }

    @Property
    void existsAndDoesNotExistAreComplementary(@ForAll("keys") String key,
            @ForAll("labelSets") Map<String, String> labels) {
        boolean exists = LabelSelector.parse(key).matches(labels);
        boolean absent = LabelSelector.parse("!" + key).matches(labels);

        assertThat(exists).isNotEqualTo(absent);
        assertThat(exists).isEqualTo(labels.containsKey(key));
    }

    @Property
    void equalsAndNotEqualsAreComplementaryWhenTheKeyIsPresent(@ForAll("keys") String key,
            @ForAll("values") String wanted, @ForAll("values") String actual) {
        Map<String, String> labels = Map.of(key, actual);

        assertThat(LabelSelector.parse(key + "!=" + wanted).matches(labels))
                .isEqualTo(!LabelSelector.parse(key + "=" + wanted).matches(labels));
    }

    @Property
    void parsingTheRenderedSelectorGivesItBack(@ForAll("requirementLists") List<Requirement> requirements) {
        LabelSelector selector = LabelSelector.of(requirements);

        LabelSelector reparsed = LabelSelector.parse(selector.toString());

        assertThat(reparsed.requirements()).isEqualTo(selector.requirements());
        assertThat(reparsed.toString()).isEqualTo(selector.toString());
    }

    @Property
    void aSelectorMatchesExactlyWhenEveryRequirementMatches(@ForAll("requirementLists") List<Requirement> requirements,
            @ForAll("labelSets") Map<String, String> labels) {
        assertThat(LabelSelector.of(requirements).matches(labels))
                .isEqualTo(requirements.stream().allMatch(r -> r.matches(labels)));
    }
}
