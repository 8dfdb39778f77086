package io.dsplane.contracts.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.dsplane.contracts.event.EventCodec.MalformedEventException;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;

/** The one codec of the product: events survive a round trip, and bad bytes fail with a reason to park. */
class EventCodecTest {

    static Node node() {
        return new NodeBuilder().withApiVersion("v1").withKind("Node")
                .withNewMetadata().withName("n1").withUid("u-1").withResourceVersion("42").addToLabels("zone", "a")
                .endMetadata()
                .withNewSpec().withUnschedulable(true).addNewTaint().withKey("node.kubernetes.io/unschedulable")
                .withEffect("NoSchedule").withTimeAdded("2026-03-01T12:00:00Z").endTaint().endSpec()
                .withNewStatus().addNewCondition().withType("Ready").withStatus("True").endCondition()
                .addToAllocatable("cpu", new io.fabric8.kubernetes.api.model.Quantity("4")).endStatus()
                .build();
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void resourceEventOfANodeSurvivesARoundTrip() {
        ResourceEvent<Node> event = new ResourceEvent<>(ResourceEvent.SCHEMA_VERSION, "e-1", EventType.MODIFIED, "42",
                Instant.parse("2026-03-01T12:00:00.123456Z"), node());

        ResourceEvent<Node> back = EventCodec.decodeResourceEvent(EventCodec.encode(event), Node.class);

        assertThat(back).isEqualTo(event);
        assertThat(back.object()).isInstanceOf(Node.class);
    }

    @Test
    void timestampIsWrittenAsIsoTextAndNullsAreLeftOut() {
        String json = new String(EventCodec.encode(new ResourceEvent<>(1, "e-1", EventType.ADDED, "1",
                Instant.parse("2026-03-01T12:00:00Z"), new NodeBuilder().withNewMetadata().withName("n1").endMetadata()
                        .build())), StandardCharsets.UTF_8);

        assertThat(json).contains("\"timestamp\":\"2026-03-01T12:00:00Z\"").contains("\"type\":\"ADDED\"")
                .doesNotContain("null");
    }

    @Test
    void unknownFieldsFromANewerWriterAreIgnored() {
        ResourceEvent<Node> event = EventCodec.decodeResourceEvent(bytes("""
                {"schemaVersion":1,"eventId":"e","type":"DELETED","resourceVersion":"7","future":{"x":1},
                 "object":{"metadata":{"name":"n1"},"futureField":true}}
                """), Node.class);

        assertThat(event.type()).isEqualTo(EventType.DELETED);
        assertThat(event.object().getMetadata().getName()).isEqualTo("n1");
        assertThat(event.object().getAdditionalProperties()).containsEntry("futureField", true);
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                arguments("notJson", "{this is not json", "not valid JSON for ResourceEvent"),
                arguments("truncated", "{\"type\":\"ADDED\",\"object\":{\"metadata\":", "not valid JSON for ResourceEvent"),
                arguments("arrayInsteadOfObject", "[1,2]", "not valid JSON for ResourceEvent"),
                arguments("unknownEventType", "{\"type\":\"PATCHED\",\"object\":{\"metadata\":{\"name\":\"n\"}}}",
                        "not valid JSON for ResourceEvent"),
                arguments("objectOfTheWrongShape", "{\"type\":\"ADDED\",\"object\":{\"metadata\":\"n\"}}",
                        "not valid JSON for ResourceEvent"),
                arguments("emptyValue", "", "empty value"),
                arguments("missingType", "{\"object\":{\"metadata\":{\"name\":\"n\"}}}",
                        "event needs type, object and object.metadata.name"),
                arguments("missingObject", "{\"type\":\"ADDED\"}", "event needs type, object and object.metadata.name"),
                arguments("missingMetadata", "{\"type\":\"ADDED\",\"object\":{}}",
                        "event needs type, object and object.metadata.name"),
                arguments("missingName", "{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"uid\":\"u\"}}}",
                        "event needs type, object and object.metadata.name"),
                arguments("newerSchemaVersion",
                        "{\"schemaVersion\":2,\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"n\"}}}",
                        "schemaVersion 2 is newer than 1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedEventsThrowWithAReason(String behaviour, String value, String reason) {
        assertThatThrownBy(() -> EventCodec.decodeResourceEvent(bytes(value), Node.class))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining(reason);
    }

    @Test
    void nullBytesAreAnEmptyValue() {
        assertThatThrownBy(() -> EventCodec.decodeResourceEvent(null, Node.class))
                .isInstanceOf(MalformedEventException.class).hasMessage("empty value");
    }

    @Test
    void plainDecodeNamesTheTargetType() {
        assertThatThrownBy(() -> EventCodec.decode(bytes("{\"metadata\":[]}"), Node.class))
                .isInstanceOf(MalformedEventException.class).hasMessageStartingWith("not valid JSON for Node: ");
        assertThat(EventCodec.decode(bytes("{\"metadata\":{\"name\":\"n1\"}}"), Node.class).getMetadata().getName())
                .isEqualTo("n1");
    }

    @Test
    void placementDecisionsNeedTheirIdentifyingFields() {
        assertThatThrownBy(() -> EventCodec.decodeDecision(bytes("{\"action\":\"CREATE\"}")))
                .isInstanceOf(MalformedEventException.class)
                .hasMessage("decision needs decisionId, action, podNamespace and podName");
    }
}
