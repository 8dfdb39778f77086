package io.dsplane.contracts.event;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Derived names: generateName's shape, the same name for the same inputs, and stable across releases. */
class DerivedNamesTest {

    @Test
    void theSuffixIsFiveCharactersOfTheAlphabetAndTheSameForTheSameInputs() {
        String suffix = DerivedNames.suffix("uid-1", "node-1", "h", "0");
        assertThat(suffix).hasSize(DerivedNames.SUFFIX_LENGTH)
                .matches("[" + DerivedNames.SUFFIX_ALPHABET + "]{5}");
        assertThat(DerivedNames.suffix("uid-1", "node-1", "h", "0")).isEqualTo(suffix);
        assertThat(DerivedNames.suffix("uid-1", "node-2", "h", "0")).isNotEqualTo(suffix);
    }

    /**
     * Pinned values (SHA-256 of the inputs, one per line, first 8 bytes as an unsigned number in base
     * 27): pods already stored carry these names, so a change would make repeated decisions miss them.
     */
    @Test
    void suffixesDoNotChangeBetweenReleases() {
        assertThat(DerivedNames.suffix("uid-1", "node-1", "h", "0")).isEqualTo("6phg6");
        assertThat(DerivedNames.suffix("fallback", "uid-1", "n1", "ds-abcde", "1")).isEqualTo("ks9l5");
        assertThat(DerivedNames.suffix((Object) null)).isEqualTo(DerivedNames.suffix("null"));
    }

    @Test
    void thePrefixIsTheBaseAndADashCutTo58Characters() {
        assertThat(DerivedNames.prefix("log-agent")).isEqualTo("log-agent-");
        assertThat(DerivedNames.prefix("a".repeat(57))).isEqualTo("a".repeat(57) + "-");
        assertThat(DerivedNames.prefix("a".repeat(70))).isEqualTo("a".repeat(58));
        assertThat(DerivedNames.prefix(null)).isEqualTo("-");
    }
}
