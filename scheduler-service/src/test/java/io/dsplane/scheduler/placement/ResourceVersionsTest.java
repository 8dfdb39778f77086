package io.dsplane.scheduler.placement;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;

class ResourceVersionsTest {

    private static Pod pod(String uid, String version) {
        return new PodBuilder().withNewMetadata().withName("p").withUid(uid).withResourceVersion(version)
                .endMetadata().build();
    }

    @ParameterizedTest(name = "{0}@{1} against {2}@{3}: older={4}")
    @CsvSource(nullValues = "null", value = {
            "a, 5,    a, 7,    true",
            "a, 7,    a, 7,    false",
            "a, 9,    a, 7,    false",
            // Versions are numbers, not strings: "10" is newer than "9".
            "a, 9,    a, 10,   true",
            "a, 10,   a, 9,    false",
            // Another object under the same name (deleted and created again) is never older.
            "b, 5,    a, 7,    false",
            "null, 5, a, 7,    false",
            "a, 5,    null, 7, false",
            // What cannot be compared is applied.
            "a, null, a, 7,    false",
            "a, 5,    a, null, false",
            "a, x,    a, 7,    false",
            "a, 5,    a, '',   false",
    })
    void isOlder(String uid, String version, String knownUid, String knownVersion, boolean older) {
        assertThat(ResourceVersions.isOlder(pod(uid, version), pod(knownUid, knownVersion))).isEqualTo(older);
    }
}
