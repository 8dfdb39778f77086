package io.dsplane.scheduler.messaging;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

import io.dsplane.contracts.event.EventCodec;
import io.dsplane.contracts.event.EventType;
import io.dsplane.contracts.event.ResourceEvent;
import io.dsplane.contracts.event.Topics;
import io.dsplane.scheduler.placement.DaemonPods;
import io.dsplane.scheduler.rollout.RolloutGrant;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;

/**
 * RouteProcessor reads one state-topic record and re-keys it for the placement processor: node
 * events by node name, pod events by the node the pod is bound or pinned to, DaemonSet events by
 * their own key (they are broadcast). Pods are read in place, since the pods topic is partitioned by
 * node ({@code PodPartitioning}); the decoded event travels with the item. A pod found on a partition
 * that is not its node's (an older record, or a topic with another partition count) is marked to be
 * re-partitioned instead, so it still reaches the one task that decides for its node. A record that is not a valid event, or whose key does not name
 * its object, is passed on as an error to be parked; it never stops the stream.
 *
 * <p>DaemonSet events that change nothing placement reads (status counters) are dropped here, before
 * the broadcast; see {@link DaemonSetChangeFilter}. So are node events that change nothing placement
 * reads (heartbeats, conditions, resources it ignores); see {@link NodeChangeFilter}. The DaemonSet
 * router therefore needs the {@link #DAEMONSET_PLACEMENT_PARTS} store, the node router the
 * {@link #NODE_PLACEMENT_VIEWS} store.
 */
public class RouteProcessor implements Processor<String, byte[], String, Routed> {

    /** Store of the DaemonSet router: per DaemonSet key, what placement reads of the last event passed. */
    public static final String DAEMONSET_PLACEMENT_PARTS = "daemonset-placement-parts";
    /** Store of the node router: per node name, the placement view of the last event passed. */
    public static final String NODE_PLACEMENT_VIEWS = "node-placement-views";

    private final WorkItem.Kind kind;
    private final int partitions;
    private ProcessorContext<String, Routed> context;
    private DaemonSetChangeFilter daemonSetChanges;
    private NodeChangeFilter nodeChanges;

    /** A router of nodes, DaemonSets or grants, which need not know the partition count. */
    public RouteProcessor(WorkItem.Kind kind) {
        this(kind, 0);
    }

    /**
     * @param partitions the placement tasks' partition count, required for pods: a pod read in place
     *                   whose node is not this task's ({@code Topics.partitionOf}) is passed on as
     *                   {@link Routed#elsewhere}
     */
    public RouteProcessor(WorkItem.Kind kind, int partitions) {
        if (kind == WorkItem.Kind.POD && partitions < 1) {
            throw new IllegalArgumentException("the pod router needs the placement tasks' partition count");
        }
        this.kind = kind;
        this.partitions = partitions;
    }

    @Override
    public void init(ProcessorContext<String, Routed> context) {
        this.context = context;
        if (kind == WorkItem.Kind.DAEMONSET) {
            KeyValueStore<String, byte[]> parts = context.getStateStore(DAEMONSET_PLACEMENT_PARTS);
            this.daemonSetChanges = new DaemonSetChangeFilter(parts);
        } else if (kind == WorkItem.Kind.NODE) {
            KeyValueStore<String, byte[]> views = context.getStateStore(NODE_PLACEMENT_VIEWS);
            this.nodeChanges = new NodeChangeFilter(views);
        }
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String key = record.key();
        byte[] value = record.value();
        if (key == null) {
            park(record, "record without key");
            return;
        }
        if (value == null) {
            if (kind != WorkItem.Kind.POD) {
                // Tombstones of nodes and DaemonSets carry their key, which is all a delete needs. A pod
                // tombstone cannot be routed (no node in it) and always follows a DELETED event: skip it.
                if (kind == WorkItem.Kind.DAEMONSET) {
                    daemonSetChanges.deleted(key);
                } else if (kind == WorkItem.Kind.NODE) {
                    nodeChanges.deleted(key);
                }
                context.forward(record.withValue(Routed.ok(new WorkItem(kind, null))));
            }
            return;
        }
        try {
            switch (kind) {
                case NODE -> {
                    ResourceEvent<Node> e = EventCodec.decodeResourceEvent(value, Node.class);
                    requireKey(key, e.object().getMetadata().getName());
                    if (e.type() == EventType.DELETED) {
                        nodeChanges.deleted(key);
                    } else if (!nodeChanges.passes(key, e.object())) {
                        return;
                    }
                    context.forward(record.withValue(Routed.ok(new WorkItem(kind, value, e))));
                }
                case DAEMONSET -> {
                    ResourceEvent<DaemonSet> e = EventCodec.decodeResourceEvent(value, DaemonSet.class);
                    requireKey(key, e.object().getMetadata().getNamespace() + "/" + e.object().getMetadata().getName());
                    if (e.type() == EventType.DELETED) {
                        daemonSetChanges.deleted(key);
                    } else if (!daemonSetChanges.passes(key, e.object())) {
                        return;
                    }
                    context.forward(record.withValue(Routed.ok(new WorkItem(kind, value))));
                }
                case GRANT -> {
                    RolloutGrant g = EventCodec.decode(value, RolloutGrant.class);
                    requireKey(key, g.nodeName());
                    context.forward(record.withValue(Routed.ok(new WorkItem(kind, value))));
                }
                case POD -> {
                    ResourceEvent<Pod> e = EventCodec.decodeResourceEvent(value, Pod.class);
                    requireKey(key, e.object().getMetadata().getNamespace() + "/" + e.object().getMetadata().getName());
                    String node = DaemonPods.getTargetNodeName(e.object());
                    if (node == null) {
                        return;
                    }
                    if (Topics.partitionOf(node, partitions) == context.taskId().partition()) {
                        context.forward(record.withKey(node).withValue(Routed.ok(new WorkItem(kind, value, e))));
                    } else {
                        // Written before pods were partitioned by node, or to a topic of another size.
                        context.forward(record.withKey(node).withValue(Routed.elsewhere(new WorkItem(kind, value))));
                    }
                }
            }
        } catch (EventCodec.MalformedEventException | IllegalArgumentException e) {
            park(record, e.getMessage());
        }
    }

    private static void requireKey(String key, String expected) {
        if (!key.equals(expected)) {
            throw new IllegalArgumentException("record key \"" + key + "\" does not name its object \"" + expected + "\"");
        }
    }

    private void park(Record<String, byte[]> record, String reason) {
        RecordMetadata m = context.recordMetadata().orElse(null);
        context.forward(record.withValue(Routed.unreadable(reason, record.value(), m == null ? "" : m.topic(),
                m == null ? -1 : m.partition(), m == null ? -1 : m.offset())));
    }
}
