package io.dsplane.daemonset.status;

import io.dsplane.contracts.event.DaemonSetNodeState;
import io.dsplane.contracts.event.EventCodec;
import io.dsplane.contracts.event.ResourceEvent;

/**
 * NodeStateRecords reads one record of dsplane.daemonset-node-states.v1 (key {@code namespace/name|node},
 * value a {@link DaemonSetNodeState} or a tombstone) into a change of the stored node states, or says
 * why the record cannot be used. Plain Java, table-tested.
 */
public final class NodeStateRecords {

    /** Parking cause: the value is not a readable DaemonSetNodeState. */
    public static final String MALFORMED_EVENT = "MalformedEvent";
    /** Parking cause: the key is not {@code namespace/name|node}. */
    public static final String MALFORMED_KEY = "MalformedKey";
    /** Parking cause: the key names another (DaemonSet, node) pair than the value. */
    public static final String KEY_MISMATCH = "KeyMismatch";

    private NodeStateRecords() {
    }

    /** Parsed is what one record means. */
    public sealed interface Parsed permits Change, Rejected {
    }

    /**
     * Change replaces the state of one (DaemonSet, node) pair; {@code state} null removes it (tombstone).
     *
     * @param daemonSetKey namespace/name
     */
    public record Change(String daemonSetKey, String nodeName, DaemonSetNodeState state) implements Parsed {

        public boolean removal() {
            return state == null;
        }
    }

    /** Rejected is a record to park, with a reason for a person and a cause for grouping. */
    public record Rejected(String reason, String cause) implements Parsed {
    }

    /** parse reads a record; it never throws. */
    public static Parsed parse(String key, byte[] value) {
        if (value == null) {
            return tombstone(key);
        }
        DaemonSetNodeState state;
        try {
            state = EventCodec.decode(value, DaemonSetNodeState.class);
        } catch (EventCodec.MalformedEventException e) {
            return new Rejected(e.getMessage(), MALFORMED_EVENT);
        }
        if (state == null) {
            return new Rejected("value is JSON null, not a DaemonSetNodeState (a removal is a tombstone)",
                    MALFORMED_EVENT);
        }
        if (state.schemaVersion() > ResourceEvent.SCHEMA_VERSION) {
            return new Rejected("schemaVersion " + state.schemaVersion() + " is newer than "
                    + ResourceEvent.SCHEMA_VERSION, MALFORMED_EVENT);
        }
        String missing = missingField(state);
        if (missing != null) {
            return new Rejected("node state needs " + missing, MALFORMED_EVENT);
        }
        if (!isDaemonSetKey(state.daemonSetKey())) {
            return new Rejected("daemonSetKey \"" + state.daemonSetKey() + "\" is not namespace/name",
                    MALFORMED_EVENT);
        }
        if (!isName(state.nodeName()) || containsNul(state.daemonSetUid()) || containsNul(state.revisionHash())
                || (state.oldestPod() != null && containsNul(state.oldestPod().name()))
                || state.revisionHashes().stream().anyMatch(NodeStateRecords::containsNul)) {
            return new Rejected("node state has a name with '|', a NUL or nothing in it", MALFORMED_EVENT);
        }
        if (state.pods() < 0) {
            return new Rejected("pods is " + state.pods() + "; a count cannot be negative", MALFORMED_EVENT);
        }
        String expected = DaemonSetNodeState.key(state.daemonSetKey(), state.nodeName());
        if (!expected.equals(key)) {
            return new Rejected("record key \"" + key + "\" differs from the value's \"" + expected + "\"",
                    KEY_MISMATCH);
        }
        return new Change(state.daemonSetKey(), state.nodeName(), state);
    }

    private static Parsed tombstone(String key) {
        int bar = key == null ? -1 : key.indexOf('|');
        if (bar < 0 || !isDaemonSetKey(key.substring(0, bar)) || !isName(key.substring(bar + 1))) {
            return new Rejected("tombstone key \"" + key + "\" is not namespace/name|node", MALFORMED_KEY);
        }
        return new Change(key.substring(0, bar), key.substring(bar + 1), null);
    }

    private static String missingField(DaemonSetNodeState state) {
        if (state.daemonSetKey() == null) {
            return "daemonSetKey";
        }
        if (state.daemonSetUid() == null || state.daemonSetUid().isEmpty()) {
            return "daemonSetUid";
        }
        if (state.nodeName() == null) {
            return "nodeName";
        }
        return null;
    }

    /** isDaemonSetKey: exactly {@code namespace/name}, both parts non-empty. */
    static boolean isDaemonSetKey(String key) {
        int slash = key.indexOf('/');
        return slash > 0 && slash < key.length() - 1 && key.indexOf('/', slash + 1) < 0 && isName(key);
    }

    /** isName: non-empty, without the key separator and without NUL (PostgreSQL text cannot hold it). */
    private static boolean isName(String s) {
        return s != null && !s.isEmpty() && s.indexOf('|') < 0 && !containsNul(s);
    }

    private static boolean containsNul(String s) {
        return s != null && s.indexOf('\0') >= 0;
    }
}
