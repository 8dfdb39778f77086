package io.dsplane.contracts.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** controller-revision-hash: deterministic per template, different across templates and collision counts. */
class TemplateHashTest {

    static PodTemplateSpecBuilder template(String image) {
        return new PodTemplateSpecBuilder().withNewMetadata().addToLabels("app", "agent").endMetadata()
                .withNewSpec().addNewContainer().withName("agent").withImage(image).endContainer().endSpec();
    }

    @Test
    void sameTemplateGivesTheSameHashEveryTime() {
        String first = TemplateHash.computeHash(template("agent:1").build(), null);

        assertThat(TemplateHash.computeHash(template("agent:1").build(), null)).isEqualTo(first);
        assertThat(TemplateHash.computeHash(template("agent:1").build(), null)).isEqualTo(first);
    }

    @Test
    void differentTemplatesGiveDifferentHashes() {
        Set<String> hashes = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            hashes.add(TemplateHash.computeHash(template("agent:" + i).build(), null));
        }
        hashes.add(TemplateHash.computeHash(template("agent:1").editMetadata().addToLabels("tier", "node")
                .endMetadata().build(), null));
        hashes.add(TemplateHash.computeHash(template("agent:1").editSpec().withHostNetwork(true).endSpec().build(),
                null));

        assertThat(hashes).hasSize(202);
    }

    @Test
    void collisionCountChangesTheHash() {
        PodTemplateSpec t = template("agent:1").build();

        List<String> hashes = List.of(TemplateHash.computeHash(t, null), TemplateHash.computeHash(t, 0),
                TemplateHash.computeHash(t, 1), TemplateHash.computeHash(t, 2), TemplateHash.computeHash(t, 256));

        assertThat(hashes).doesNotHaveDuplicates();
        assertThat(TemplateHash.computeHash(t, 1)).isEqualTo(TemplateHash.computeHash(template("agent:1").build(), 1));
    }

    @Test
    void mapKeyOrderDoesNotMatter() {
        Map<String, String> ab = new LinkedHashMap<>();
        ab.put("a", "1");
        ab.put("b", "2");
        Map<String, String> ba = new LinkedHashMap<>();
        ba.put("b", "2");
        ba.put("a", "1");

        String one = TemplateHash.computeHash(new PodTemplateSpecBuilder().withNewMetadata().withLabels(ab)
                .withAnnotations(ba).endMetadata().withNewSpec().withNodeSelector(ab).endSpec().build(), null);
        String other = TemplateHash.computeHash(new PodTemplateSpecBuilder().withNewMetadata().withLabels(ba)
                .withAnnotations(ab).endMetadata().withNewSpec().withNodeSelector(ba).endSpec().build(), null);

        assertThat(one).isEqualTo(other);
    }

    @Test
    void hashUsesOnlyTheSafeAlphabet() {
        assertThat(TemplateHash.computeHash(template("agent:1").build(), 7)).matches("[bcdfghjklmnpqrstvwxz2456789]{1,10}");
    }

    @Test
    void missingTemplateHashesLikeAnEmptyOne() {
        assertThat(TemplateHash.computeHash(null, null)).isEqualTo(TemplateHash.computeHash(new PodTemplateSpec(), null));
    }

    @Test
    void safeEncodeMapsEachDigitToOneSafeCharacter() {
        assertThat(TemplateHash.safeEncode("0123456789")).hasSize(10).matches("[bcdfghjklmnpqrstvwxz2456789]+");
        assertThat(TemplateHash.safeEncode("0")).isEqualTo(TemplateHash.safeEncode("0"));
    }

    @Provide
    Arbitrary<Map<String, String>> labelMaps() {
        return Arbitraries.maps(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8),
                Arbitraries.strings().alpha().ofMaxLength(8)).ofMaxSize(8);
    }

    @Property
    void insertionOrderOfLabelsNeverChangesTheHash(@ForAll("labelMaps") Map<String, String> labels) {
        Map<String, String> forwards = new LinkedHashMap<>(labels);
        Map<String, String> backwards = new LinkedHashMap<>();
        List<String> keys = List.copyOf(labels.keySet());
        for (int i = keys.size() - 1; i >= 0; i--) {
            backwards.put(keys.get(i), labels.get(keys.get(i)));
        }

        assertThat(TemplateHash.computeHash(new PodTemplateSpecBuilder().withNewMetadata().withLabels(forwards)
                .endMetadata().build(), null))
                .isEqualTo(TemplateHash.computeHash(new PodTemplateSpecBuilder().withNewMetadata()
                        .withLabels(backwards).endMetadata().build(), null));
    }
}
