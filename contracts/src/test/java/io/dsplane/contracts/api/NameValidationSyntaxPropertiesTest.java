package io.dsplane.contracts.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * NameValidation scans characters instead of matching apimachinery's regular expressions; over strings
 * drawn from the characters that matter (both cases, digits, '-', '_', '.', '/', and one that is never
 * allowed), it accepts exactly what those expressions accept.
 */
class NameValidationSyntaxPropertiesTest {

    private static final String LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private static final Pattern DNS1123_LABEL = Pattern.compile(LABEL);
    private static final Pattern DNS1123_SUBDOMAIN = Pattern.compile(LABEL + "(\\." + LABEL + ")*");
    private static final Pattern QUALIFIED_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");

    @Provide
    Arbitrary<String> candidates() {
        return Arbitraries.strings().withChars("aZ09-_./ ").ofMaxLength(12);
    }

    @Property(tries = 3000)
    void dnsLabelsAsTheExpression(@ForAll("candidates") String s) {
        assertThat(NameValidation.isDNS1123Label(s).isEmpty()).isEqualTo(DNS1123_LABEL.matcher(s).matches());
    }

    @Property(tries = 3000)
    void dnsSubdomainsAsTheExpression(@ForAll("candidates") String s) {
        assertThat(NameValidation.isDNS1123Subdomain(s).isEmpty()).isEqualTo(DNS1123_SUBDOMAIN.matcher(s).matches());
    }

    @Property(tries = 3000)
    void labelValuesAsTheExpression(@ForAll("candidates") String s) {
        assertThat(NameValidation.isValidLabelValue(s).isEmpty())
                .isEqualTo(s.isEmpty() || QUALIFIED_NAME.matcher(s).matches());
    }

    @Property(tries = 3000)
    void qualifiedNamesAsTheExpressions(@ForAll("candidates") String s) {
        String[] parts = s.split("/", -1);
        boolean expected = parts.length == 1 ? QUALIFIED_NAME.matcher(s).matches()
                : parts.length == 2 && DNS1123_SUBDOMAIN.matcher(parts[0]).matches()
                        && QUALIFIED_NAME.matcher(parts[1]).matches();
        assertThat(NameValidation.isQualifiedName(s).isEmpty()).isEqualTo(expected);
    }
}
