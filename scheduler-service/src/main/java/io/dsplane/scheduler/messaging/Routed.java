package io.dsplane.scheduler.messaging;

/**
 * Routed is an input record after reading: either a {@link WorkItem} (with its routing key already
 * set on the record) or the reason it cannot be read, with where it came from, for parking.
 */
public record Routed(WorkItem item, String error, byte[] original, String topic, int partition, long offset) {

    public static Routed ok(WorkItem item) {
        return new Routed(item, null, null, null, -1, -1);
    }

    public boolean isError() {
        return error != null;
    }
}
