package io.dsplane.contracts.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.StatusCause;

/** apimachinery's name, key and value syntax (util/validation) and ValidateObjectMeta. */
class NameValidationTest {

    static final String LABEL_63 = "a".repeat(63);
    static final String SUBDOMAIN_253 = (LABEL_63 + ".").repeat(3) + "a".repeat(61);

    // ---------------------------------------------------------------- DNS-1123 subdomain

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"a", "0", "node-1", "a.b", "a-b.c-d.e", "1.2.3.4", "example.com", "a--b"})
    void validSubdomains(String value) {
        assertThat(NameValidation.isDNS1123Subdomain(value)).isEmpty();
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "A", "Node-1", "-a", "a-", ".a", "a.", "a..b", "a_b", "a b", "a/b", "a.-b"})
    void invalidSubdomainsSayWhatASubdomainIs(String value) {
        assertThat(NameValidation.isDNS1123Subdomain(value)).singleElement().asString()
                .startsWith("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters")
                .contains("regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*'");
    }

    @Test
    void subdomainMayHave253CharactersButNotMore() {
        assertThat(SUBDOMAIN_253).hasSize(253);
        assertThat(NameValidation.isDNS1123Subdomain(SUBDOMAIN_253)).isEmpty();
        assertThat(NameValidation.isDNS1123Subdomain(SUBDOMAIN_253 + "a"))
                .containsExactly("must be no more than 253 characters");
    }

    // ---------------------------------------------------------------- DNS-1123 label

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"a", "my-name", "123-abc", "0", "kube-system"})
    void validLabels(String value) {
        assertThat(NameValidation.isDNS1123Label(value)).isEmpty();
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "a.b", "My-name", "-a", "a-", "a_b"})
    void invalidLabelsSayWhatALabelIs(String value) {
        assertThat(NameValidation.isDNS1123Label(value)).singleElement().asString()
                .startsWith("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-'");
    }

    @Test
    void labelMayHave63CharactersButNotMore() {
        assertThat(NameValidation.isDNS1123Label(LABEL_63)).isEmpty();
        assertThat(NameValidation.isDNS1123Label(LABEL_63 + "a")).containsExactly("must be no more than 63 characters");
    }

    // ---------------------------------------------------------------- qualified names (label and annotation keys)

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"MyName", "my.name", "123-abc", "a_b", "a", "example.com/MyName", "kubernetes.io/os",
            "node.kubernetes.io/not-ready", "a/b"})
    void validQualifiedNames(String value) {
        assertThat(NameValidation.isQualifiedName(value)).isEmpty();
    }

    @Test
    void qualifiedNameParts() {
        assertThat(NameValidation.isQualifiedName("")).containsExactly("name part must be non-empty");
        assertThat(NameValidation.isQualifiedName("/a")).containsExactly("prefix part must be non-empty");
        assertThat(NameValidation.isQualifiedName("a/")).containsExactly("name part must be non-empty");
        assertThat(NameValidation.isQualifiedName("a/b/c")).singleElement().asString()
                .startsWith("a qualified name must consist of alphanumeric characters")
                .endsWith("with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
        assertThat(NameValidation.isQualifiedName("Example.com/a")).singleElement().asString()
                .startsWith("prefix part a lowercase RFC 1123 subdomain must consist of");
        assertThat(NameValidation.isQualifiedName(LABEL_63)).isEmpty();
        assertThat(NameValidation.isQualifiedName(LABEL_63 + "a"))
                .containsExactly("name part must be no more than 63 characters");
        assertThat(NameValidation.isQualifiedName(SUBDOMAIN_253 + "/a")).isEmpty();
        assertThat(NameValidation.isQualifiedName(SUBDOMAIN_253 + "a/a"))
                .containsExactly("prefix part must be no more than 253 characters");
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"-a", "a-", "_a", "a.", "a b", "a:b", "a@b", "example.com/-a"})
    void nameWithBadCharactersOrEndsIsRejected(String value) {
        assertThat(NameValidation.isQualifiedName(value)).singleElement().asString()
                .startsWith("name part must consist of alphanumeric characters, '-', '_' or '.'");
    }

    // ---------------------------------------------------------------- label values

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "a", "MyValue", "my_value", "12345", "v1.2-3", "a.b_c-D"})
    void validLabelValues(String value) {
        assertThat(NameValidation.isValidLabelValue(value)).isEmpty();
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"-a", "a-", ".a", "a b", "a/b", "a=b", "a,b", "ä"})
    void invalidLabelValuesSayWhatAValueIs(String value) {
        assertThat(NameValidation.isValidLabelValue(value)).singleElement().asString()
                .startsWith("a valid label must be an empty string or consist of alphanumeric characters");
    }

    @Test
    void labelValueMayHave63CharactersButNotMore() {
        assertThat(NameValidation.isValidLabelValue(LABEL_63)).isEmpty();
        assertThat(NameValidation.isValidLabelValue(LABEL_63 + "a"))
                .containsExactly("must be no more than 63 characters");
    }

    // ---------------------------------------------------------------- validateObjectMeta

    static FieldErrors validate(ObjectMeta meta, boolean namespaced) {
        FieldErrors errors = new FieldErrors();
        NameValidation.validateObjectMeta(meta, namespaced, errors);
        return errors;
    }

    @Test
    void validNamespacedAndClusterScopedMetadataHasNoCauses() {
        assertThat(validate(new ObjectMetaBuilder().withName("web").withNamespace("default")
                .addToLabels("app", "web").addToAnnotations("Example.com/Note", "anything goes: here").build(), true)
                .isEmpty()).isTrue();
        assertThat(validate(new ObjectMetaBuilder().withName("node-1.example.com").build(), false).isEmpty()).isTrue();
    }

    @Test
    void missingMetadataOrNameIsRequired() {
        assertThat(validate(null, false).causes()).extracting(StatusCause::getField, StatusCause::getReason,
                StatusCause::getMessage).containsExactly(tuple("metadata.name", FieldErrors.REQUIRED,
                        "Required value: name or generateName is required"));
        assertThat(validate(new ObjectMeta(), false).causes()).extracting(StatusCause::getField)
                .containsExactly("metadata.name");
    }

    @Test
    void invalidNameIsReportedWithValueAndRule() {
        assertThat(validate(new ObjectMetaBuilder().withName("Bad_Name").build(), false).causes()).singleElement()
                .satisfies(c -> {
                    assertThat(c.getField()).isEqualTo("metadata.name");
                    assertThat(c.getReason()).isEqualTo(FieldErrors.INVALID);
                    assertThat(c.getMessage()).startsWith("Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain");
                });
    }

    @Test
    void namespaceIsRequiredExactlyForNamespacedKinds() {
        assertThat(validate(new ObjectMetaBuilder().withName("a").build(), true).causes())
                .extracting(StatusCause::getField, StatusCause::getReason)
                .containsExactly(tuple("metadata.namespace", FieldErrors.REQUIRED));
        assertThat(validate(new ObjectMetaBuilder().withName("a").withNamespace("Bad.NS").build(), true).causes())
                .extracting(StatusCause::getField, StatusCause::getReason)
                .containsExactly(tuple("metadata.namespace", FieldErrors.INVALID));
        assertThat(validate(new ObjectMetaBuilder().withName("a").withNamespace("default").build(), false).causes())
                .extracting(StatusCause::getField, StatusCause::getReason, StatusCause::getMessage)
                .containsExactly(tuple("metadata.namespace", FieldErrors.FORBIDDEN, "Forbidden: not allowed on this type"));
    }

    @Test
    void everyBadLabelKeyAndValueGetsItsOwnCause() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("in valid", "ok");
        labels.put("ok", "bad value");
        labels.put("example.com/fine", "fine");

        FieldErrors errors = validate(new ObjectMetaBuilder().withName("a").withLabels(labels).build(), false);

        assertThat(errors.causes()).hasSize(2)
                .allSatisfy(c -> assertThat(c.getField()).isEqualTo("metadata.labels"));
        assertThat(errors.causes().get(0).getMessage())
                .startsWith("Invalid value: \"in valid\": name part must consist of alphanumeric characters");
        assertThat(errors.causes().get(1).getMessage())
                .startsWith("Invalid value: \"bad value\": a valid label must be an empty string");
    }

    @Test
    void annotationsAreLimitedTo256KiBInTotal() {
        FieldErrors ok = validate(new ObjectMetaBuilder().withName("a")
                .addToAnnotations("k", "v".repeat(256 * 1024 - 1)).build(), false);
        FieldErrors tooBig = validate(new ObjectMetaBuilder().withName("a")
                .addToAnnotations("k", "v".repeat(256 * 1024)).build(), false);

        assertThat(ok.isEmpty()).isTrue();
        assertThat(tooBig.causes()).extracting(StatusCause::getField, StatusCause::getReason, StatusCause::getMessage)
                .containsExactly(tuple("metadata.annotations", FieldErrors.TOO_LONG,
                        "Too long: may not be more than 262144 bytes"));
    }

    @Test
    void badAnnotationKeyIsInvalid() {
        assertThat(validate(new ObjectMetaBuilder().withName("a").addToAnnotations("a b", "x").build(), false).causes())
                .extracting(StatusCause::getField, StatusCause::getReason)
                .containsExactly(tuple("metadata.annotations", FieldErrors.INVALID));
    }

    @Test
    void allProblemsOfOneObjectAreReportedTogether() {
        FieldErrors errors = validate(new ObjectMetaBuilder().withName("-x-").withNamespace("-ns-")
                .addToLabels("k", "-v-").build(), true);

        assertThat(errors.causes()).extracting(StatusCause::getField)
                .containsExactly("metadata.name", "metadata.namespace", "metadata.labels");
    }
}
