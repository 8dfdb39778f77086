package io.dsplane.contracts.event;

/**
 * Parking names the headers of a record moved to {@link Topics#PARKED} because no consumer could read
 * it. The names are those SmallRye Reactive Messaging uses for its dead-letter queue, so records parked
 * by the messaging layer and by our own consumers look the same to an operator.
 */
public final class Parking {

    /** Why the record was parked, for a person to read. */
    public static final String REASON = "dead-letter-reason";
    /** The exception class or error kind. */
    public static final String CAUSE = "dead-letter-cause";
    /** Where the record came from. */
    public static final String TOPIC = "dead-letter-topic";
    public static final String PARTITION = "dead-letter-partition";
    public static final String OFFSET = "dead-letter-offset";
    /** Which consumer parked it. */
    public static final String CONSUMER = "dsplane-consumer";

    private Parking() {
    }
}
