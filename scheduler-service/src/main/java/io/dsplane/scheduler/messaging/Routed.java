package io.dsplane.scheduler.messaging;

/**
 * Routed is an input record after reading: either a {@link WorkItem} (with its routing key already
 * set on the record) or the reason it cannot be read, with where it came from, for parking. A work
 * item read in place by a task that does not own its node is {@code elsewhere}: it must be
 * re-partitioned to reach the task that does.
 */
public record Routed(WorkItem item, String error, byte[] original, String topic, int partition, long offset,
        boolean elsewhere) {

    public static Routed ok(WorkItem item) {
        return new Routed(item, null, null, null, -1, -1, false);
    }

    /** elsewhere is an item for another task's node. */
    public static Routed elsewhere(WorkItem item) {
        return new Routed(item, null, null, null, -1, -1, true);
    }

    /** unreadable is a record that cannot be read, with the reason and where it came from. */
    public static Routed unreadable(String reason, byte[] original, String topic, int partition, long offset) {
        return new Routed(null, reason, original, topic, partition, offset, false);
    }

    public boolean isError() {
        return error != null;
    }
}
