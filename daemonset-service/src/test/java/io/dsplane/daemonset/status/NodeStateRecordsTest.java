package io.dsplane.daemonset.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.dsplane.contracts.event.DaemonSetNodeState;
import io.dsplane.contracts.event.EventCodec;
import io.dsplane.daemonset.status.NodeStateRecords.Change;
import io.dsplane.daemonset.status.NodeStateRecords.Rejected;

class NodeStateRecordsTest {

    private static final String KEY = "default/agent|node-1";

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] state(String dsKey, String uid, String node, int pods) {
        return EventCodec.encode(new DaemonSetNodeState(1, dsKey, uid, 3, "hash", node, true, true, pods,
                pods == 0 ? null : new DaemonSetNodeState.OldestPod("agent-x", true,
                        Instant.parse("2026-03-01T12:00:00Z"), true)));
    }

    @Test
    void stateWhoseKeyMatchesIsAChangeOfThatPair() {
        NodeStateRecords.Parsed parsed = NodeStateRecords.parse(KEY, state("default/agent", "u1", "node-1", 1));
        assertThat(parsed).isInstanceOfSatisfying(Change.class, c -> {
            assertThat(c.daemonSetKey()).isEqualTo("default/agent");
            assertThat(c.nodeName()).isEqualTo("node-1");
            assertThat(c.removal()).isFalse();
            assertThat(c.state().oldestPod().readySince()).isEqualTo(Instant.parse("2026-03-01T12:00:00Z"));
            assertThat(c.state().generation()).isEqualTo(3);
        });
    }

    private static byte[] withHashes(String... hashes) {
        return EventCodec.encode(new DaemonSetNodeState(1, "default/agent", "u1", 3, "h1", "node-1", true, true, 1,
                null, java.util.List.of(hashes)));
    }

    @Test
    void revisionHashesOfThePodsAreCarried() {
        assertThat(NodeStateRecords.parse(KEY, withHashes("h1", "h2"))).isInstanceOfSatisfying(Change.class,
                c -> assertThat(c.state().revisionHashes()).containsExactly("h1", "h2"));
    }

    @Test
    void stateWithoutRevisionHashesNamesNone() {
        byte[] old = bytes("{\"schemaVersion\":1,\"daemonSetKey\":\"default/agent\",\"daemonSetUid\":\"u\","
                + "\"nodeName\":\"node-1\",\"shouldRun\":true,\"pods\":0}");
        assertThat(NodeStateRecords.parse(KEY, old)).isInstanceOfSatisfying(Change.class,
                c -> assertThat(c.state().revisionHashes()).isEmpty());
    }

    @Test
    void tombstoneRemovesThePairNamedByItsKey() {
        assertThat(NodeStateRecords.parse(KEY, null)).isEqualTo(new Change("default/agent", "node-1", null));
    }

    static Stream<Arguments> unusable() {
        return Stream.of(
                Arguments.of("valueThatIsNotJsonIsMalformed", KEY, bytes("{not json"),
                        NodeStateRecords.MALFORMED_EVENT, "not valid JSON"),
                Arguments.of("emptyValueIsMalformed", KEY, new byte[0], NodeStateRecords.MALFORMED_EVENT, "empty"),
                Arguments.of("jsonNullIsMalformedNotATombstone", KEY, bytes("null"), NodeStateRecords.MALFORMED_EVENT,
                        "tombstone"),
                Arguments.of("wrongTypeOfAFieldIsMalformed", KEY,
                        bytes("{\"daemonSetKey\":\"default/agent\",\"nodeName\":\"node-1\",\"pods\":\"many\"}"),
                        NodeStateRecords.MALFORMED_EVENT, "not valid JSON"),
                Arguments.of("stateWithoutUidIsMalformed", KEY, state("default/agent", null, "node-1", 0),
                        NodeStateRecords.MALFORMED_EVENT, "daemonSetUid"),
                Arguments.of("stateWithoutNodeIsMalformed", KEY, state("default/agent", "u1", null, 0),
                        NodeStateRecords.MALFORMED_EVENT, "nodeName"),
                Arguments.of("daemonSetKeyWithoutNamespaceIsMalformed", "agent|node-1",
                        state("agent", "u1", "node-1", 0), NodeStateRecords.MALFORMED_EVENT, "namespace/name"),
                Arguments.of("negativePodCountIsMalformed", KEY, state("default/agent", "u1", "node-1", -1),
                        NodeStateRecords.MALFORMED_EVENT, "negative"),
                Arguments.of("newerSchemaVersionIsMalformed", KEY,
                        bytes("{\"schemaVersion\":99,\"daemonSetKey\":\"default/agent\",\"daemonSetUid\":\"u\","
                                + "\"nodeName\":\"node-1\"}"),
                        NodeStateRecords.MALFORMED_EVENT, "schemaVersion 99"),
                Arguments.of("nulCharacterInANameIsMalformed", "default/agent|node\u00001",
                        state("default/agent", "u1", "node\u00001", 0), NodeStateRecords.MALFORMED_EVENT, "NUL"),
                Arguments.of("nulCharacterInARevisionHashIsMalformed", KEY, withHashes("h1", "h\u00002"),
                        NodeStateRecords.MALFORMED_EVENT, "NUL"),
                Arguments.of("nullRevisionHashIsMalformed", KEY,
                        bytes("{\"schemaVersion\":1,\"daemonSetKey\":\"default/agent\",\"daemonSetUid\":\"u\","
                                + "\"nodeName\":\"node-1\",\"revisionHashes\":[\"h1\",null]}"),
                        NodeStateRecords.MALFORMED_EVENT, "not valid JSON"),
                Arguments.of("keyOfAnotherNodeIsAMismatch", "default/agent|node-2",
                        state("default/agent", "u1", "node-1", 1), NodeStateRecords.KEY_MISMATCH,
                        "differs from the value's \"default/agent|node-1\""),
                Arguments.of("keyOfAnotherDaemonSetIsAMismatch", "default/other|node-1",
                        state("default/agent", "u1", "node-1", 1), NodeStateRecords.KEY_MISMATCH, "differs"),
                Arguments.of("missingKeyIsAMismatch", null, state("default/agent", "u1", "node-1", 1),
                        NodeStateRecords.KEY_MISMATCH, "differs"),
                Arguments.of("tombstoneWithoutNodeIsAMalformedKey", "default/agent", null,
                        NodeStateRecords.MALFORMED_KEY, "namespace/name|node"),
                Arguments.of("tombstoneWithoutNamespaceIsAMalformedKey", "agent|node-1", null,
                        NodeStateRecords.MALFORMED_KEY, "namespace/name|node"),
                Arguments.of("tombstoneWithEmptyNodeIsAMalformedKey", "default/agent|", null,
                        NodeStateRecords.MALFORMED_KEY, "namespace/name|node"),
                Arguments.of("tombstoneWithoutKeyIsAMalformedKey", null, null, NodeStateRecords.MALFORMED_KEY,
                        "null"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unusable")
    void unusableRecordsAreRejectedWithAReason(String behaviour, String key, byte[] value, String cause,
            String reasonPart) {
        assertThat(NodeStateRecords.parse(key, value)).isInstanceOfSatisfying(Rejected.class, r -> {
            assertThat(r.cause()).isEqualTo(cause);
            assertThat(r.reason()).contains(reasonPart);
        });
    }
}
