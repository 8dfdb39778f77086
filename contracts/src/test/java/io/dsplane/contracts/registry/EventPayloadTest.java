package io.dsplane.contracts.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.dsplane.contracts.api.KubeBodies;
import io.dsplane.contracts.api.KubeJson;
import io.dsplane.contracts.event.EventCodec;
import io.dsplane.contracts.event.EventType;
import io.dsplane.contracts.event.ResourceEvent;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;

/**
 * The registry serializes an object once and embeds that text in its event: the payload must be the
 * same JSON a serialized {@link ResourceEvent} would be, and read back to the same event.
 */
class EventPayloadTest {

    private static final Instant AT = Instant.parse("2026-12-01T10:15:30.123456Z");

    private static Pod pod() {
        return new PodBuilder().withNewMetadata().withNamespace("ns").withName("p").withUid("u-1")
                .withResourceVersion("42").addToLabels("app", "x").endMetadata()
                .withNewSpec().withNodeName("node-1").addNewContainer().withName("c").withImage("i").endContainer()
                .endSpec().build();
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void payloadIsTheSerializedEvent(EventType type) throws Exception {
        Pod pod = pod();
        String payload = ObjectRegistry.eventPayload(type, "42", AT, KubeBodies.write(pod));
        ObjectNode expected = (ObjectNode) KubeBodies.toTree(
                new ResourceEvent<>(ResourceEvent.SCHEMA_VERSION, "id", type, "42", AT, pod));
        ObjectNode actual = (ObjectNode) KubeJson.json().readTree(payload);
        assertThat(actual.get("eventId").asText()).isNotBlank().isNotEqualTo("id");
        expected.remove("eventId");
        actual.remove("eventId");
        assertThat(actual).isEqualTo(expected);
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void payloadDecodesToTheEvent(EventType type) {
        Pod pod = pod();
        String payload = ObjectRegistry.eventPayload(type, "42", AT, KubeBodies.write(pod));
        ResourceEvent<Pod> event = EventCodec.decodeResourceEvent(payload.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                Pod.class);
        assertThat(event.type()).isEqualTo(type);
        assertThat(event.resourceVersion()).isEqualTo("42");
        assertThat(event.timestamp()).isEqualTo(AT);
        JsonNode object = KubeBodies.toTree(event.object());
        assertThat(object).isEqualTo(KubeBodies.toTree(pod));
    }
}
