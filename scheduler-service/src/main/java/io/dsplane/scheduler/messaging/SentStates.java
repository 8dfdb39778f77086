package io.dsplane.scheduler.messaging;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Map;

/**
 * SentStates remembers, per (DaemonSet, node), a digest of the state last forwarded for the pair, so
 * that a state goes out only when it changed. It lives in memory only and starts empty whenever the
 * placement processor is initialised (a restart, a rebalance, a transaction that was aborted); the
 * first resync after that evaluates every pair and forwards each state once more. That repeat changes
 * nothing downstream, since the receivers keep the last state per key (a compacted topic read into
 * upserts, and the rollout coordinator's store). Kept in a state store instead, as before, every
 * change cost a store write and a changelog record, about three records per pod.
 *
 * <p>A digest is the first 64 bits of SHA-256 of the bytes; two different states of one pair would
 * have to collide in those for a change to go unsent. The inner keys are the node names the caller
 * passes (the strings its node objects hold), so an entry costs a map node and a Long.
 */
final class SentStates {

    private final Map<String, Map<String, Long>> byDaemonSet = new HashMap<>();
    private final MessageDigest sha = sha256();

    /** changed records the state as sent and tells whether it differs from the one sent before. */
    boolean changed(String daemonSetKey, String nodeName, byte[] state) {
        long digest = digest(state);
        Long before = byDaemonSet.computeIfAbsent(daemonSetKey, k -> new HashMap<>()).put(nodeName, digest);
        return before == null || before != digest;
    }

    /** forget drops what was sent for the pair (its tombstone goes out whether or not it was known). */
    void forget(String daemonSetKey, String nodeName) {
        Map<String, Long> nodes = byDaemonSet.get(daemonSetKey);
        if (nodes != null && nodes.remove(nodeName) != null && nodes.isEmpty()) {
            byDaemonSet.remove(daemonSetKey);
        }
    }

    /** forgetDaemonSet drops what was sent for every node of the DaemonSet. */
    void forgetDaemonSet(String daemonSetKey) {
        byDaemonSet.remove(daemonSetKey);
    }

    /** size is the number of pairs remembered. */
    int size() {
        return byDaemonSet.values().stream().mapToInt(Map::size).sum();
    }

    private long digest(byte[] state) {
        sha.reset();
        return ByteBuffer.wrap(sha.digest(state)).getLong();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
