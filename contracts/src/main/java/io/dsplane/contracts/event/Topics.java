package io.dsplane.contracts.event;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.kafka.common.utils.Utils;

/**
 * Topics names every topic that crosses a service boundary, with its retention policy.
 *
 * <p>State topics are keyed and log-compacted so that any consumer can rebuild the current state of
 * every object from the topic alone. Command-like topics (placement decisions, agent reports, parked
 * records) use time retention: they describe things to do, not state. The {@code .v1} suffix is the
 * schema generation; a breaking change of a value gets a new topic.
 */
public final class Topics {

    /** v1 Node state; key = node name; writer node-registry-service. */
    public static final String NODES = "dsplane.nodes.v1";
    /** apps/v1 DaemonSet state; key = namespace/name; writer daemonset-service. */
    public static final String DAEMONSETS = "dsplane.daemonsets.v1";
    /**
     * v1 Pod state; key = namespace/name, partitioned by the pod's node (see {@link PodPartitioning});
     * writer pod-service.
     */
    public static final String PODS = "dsplane.pods.v1";
    /** Placement decisions; key = node name, so all decisions for one node stay in order; writer scheduler-service. */
    public static final String PLACEMENT_DECISIONS = "dsplane.placement-decisions.v1";
    /** Inbound from node agents: node registration, heartbeats and status; key = node name. */
    public static final String NODE_STATUS = "dsplane.node-status.v1";
    /** Inbound from node agents: pod phase and conditions; key = namespace/name of the pod. */
    public static final String POD_STATUS = "dsplane.pod-status.v1";
    /**
     * What the scheduler sees per (DaemonSet, node): the predicate's verdict and the oldest daemon pod
     * there; key = namespace/name|node; writer scheduler-service; reader daemonset-service (status).
     */
    public static final String DAEMONSET_NODE_STATES = "dsplane.daemonset-node-states.v1";
    /** Records no consumer could read, with the reason in headers (see {@link Parking}). */
    public static final String PARKED = "dsplane.parked.v1";

    /** TopicSpec says how a topic is created: compacted state or time-retained stream. */
    public record TopicSpec(String name, boolean compacted) {
    }

    private Topics() {
    }

    /**
     * partitionOf is the partition of a record keyed {@code key} (or, on the pods topic, of a pod of
     * that node) out of {@code partitions}: murmur2 of the UTF-8 bytes, as the default partitioner.
     */
    public static int partitionOf(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /** All topics of the product, in the order they are documented. */
    public static List<TopicSpec> all() {
        return List.of(
                new TopicSpec(NODES, true),
                new TopicSpec(DAEMONSETS, true),
                new TopicSpec(PODS, true),
                new TopicSpec(PLACEMENT_DECISIONS, false),
                new TopicSpec(DAEMONSET_NODE_STATES, true),
                new TopicSpec(NODE_STATUS, false),
                new TopicSpec(POD_STATUS, false),
                new TopicSpec(PARKED, false));
    }
}
