package io.dsplane.noderegistry.service;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * StatusDigest is a 128-bit fingerprint of a node status as JSON tree, without the conditions'
 * {@code lastHeartbeatTime}s: two statuses have the same digest exactly when they differ in heartbeat
 * times at most, which is the test that decides whether an agent report is a write or only a
 * heartbeat. Keeping a digest instead of the status lets the registry remember the last stored status
 * of every node at a few dozen bytes each.
 *
 * <p>The digest follows JSON tree equality: object fields count in any order (PostgreSQL's jsonb and
 * the agent order them differently), array elements in their order, and a value's JSON type counts
 * along with its text, so {@code 1}, {@code 1.0} and {@code "1"} differ. It is SHA-256 over an
 * unambiguous rendering (a type tag per value, a length before every string), cut to 128 bits: an
 * accidental match is as unlikely as guessing a random 128-bit key.
 */
public record StatusDigest(long high, long low) {

    /** The field of a node condition that changes with every heartbeat and is left out. */
    static final String HEARTBEAT_TIME = "lastHeartbeatTime";

    /** of digests a status tree; null and a JSON null (no status at all) give the same digest. */
    public static StatusDigest of(JsonNode status) {
        Writer w = new Writer();
        if (status == null || status.isNull() || status.isMissingNode()) {
            w.tag('n');
        } else if (status.isObject()) {
            w.object(status, true, null);
        } else {
            w.value(status);
        }
        MessageDigest sha = sha256();
        sha.update(w.buffer, 0, w.length);
        ByteBuffer hash = ByteBuffer.wrap(sha.digest());
        return new StatusDigest(hash.getLong(), hash.getLong());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /**
     * Writer renders a tree canonically into a buffer, which is hashed in one go: a tag byte per
     * value, and every string as its length and its UTF-16 code units.
     */
    private static final class Writer {

        byte[] buffer = new byte[2048];
        int length;

        private void room(int n) {
            if (length + n > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + n));
            }
        }

        void tag(char tag) {
            room(1);
            buffer[length++] = (byte) tag;
        }

        void text(String s) {
            int n = s.length();
            room(4 + 2 * n);
            buffer[length++] = (byte) (n >>> 24);
            buffer[length++] = (byte) (n >>> 16);
            buffer[length++] = (byte) (n >>> 8);
            buffer[length++] = (byte) n;
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                buffer[length++] = (byte) (c >>> 8);
                buffer[length++] = (byte) c;
            }
        }

        /**
         * object renders the fields sorted by name, leaving out {@code skip} (null: none). In the status
         * itself ({@code top}) the conditions are rendered without their heartbeat times, as the
         * registry's comparison always left them out.
         */
        void object(JsonNode node, boolean top, String skip) {
            tag('{');
            List<String> names = new ArrayList<>(node.size());
            for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
                String name = it.next();
                if (!name.equals(skip)) {
                    names.add(name);
                }
            }
            names.sort(null);
            for (String name : names) {
                JsonNode child = node.get(name);
                text(name);
                if (top && "conditions".equals(name) && child.isArray()) {
                    conditions(child);
                } else {
                    value(child);
                }
            }
            tag('}');
        }

        void conditions(JsonNode conditions) {
            tag('[');
            for (JsonNode c : conditions) {
                if (c.isObject()) {
                    object(c, false, HEARTBEAT_TIME);
                } else {
                    value(c);
                }
            }
            tag(']');
        }

        void value(JsonNode node) {
            switch (node.getNodeType()) {
                case OBJECT -> object(node, false, null);
                case ARRAY -> {
                    tag('[');
                    node.forEach(this::value);
                    tag(']');
                }
                case STRING -> {
                    tag('s');
                    text(node.textValue());
                }
                case NUMBER -> {
                    // The number's kind counts (as IntNode and DoubleNode never equal), then its text.
                    tag('#');
                    text(node.numberType().name());
                    text(node.asText());
                }
                case BOOLEAN -> tag(node.booleanValue() ? 't' : 'f');
                case NULL -> tag('n');
                default -> {
                    // Binary, POJO or missing nodes do not come out of a parsed status; render them by
                    // class and text so that they still compare as values, never as equal to others.
                    tag('?');
                    text(node.getClass().getName());
                    text(node.toString());
                }
            }
        }
    }
}
