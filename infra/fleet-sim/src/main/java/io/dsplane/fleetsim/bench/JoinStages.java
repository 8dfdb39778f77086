package io.dsplane.fleetsim.bench;

import java.util.HashMap;
import java.util.Map;

import org.HdrHistogram.Histogram;

/**
 * JoinStages splits M2's join latency at the hops the watcher can see, all on its clock (when a record
 * was read): registration sent → the node's event on dsplane.nodes.v1 (node-registry and its outbox),
 * → the D-th CREATE decision for the node, read committed (the scheduler, including its exactly-once
 * commits), → the D-th daemon pod (pod-service and its outbox). The three stages of one join add up to
 * its latency. Records of different topics read in one poll carry the same time, so a stage can be 0.
 * A join whose hops were not all seen (a CREATE repeated or missed) is left out of the split.
 */
final class JoinStages {

    /** One join in flight: when it was sent, and when each hop was seen (-1: not yet). */
    private static final class Open {
        final long sent;
        long nodeSeen = -1;
        int creates;
        long createsSeen = -1;
        long podsSeen = -1;

        Open(long sent) {
            this.sent = sent;
        }
    }

    private final int daemonSets;
    private final Map<String, Open> open = new HashMap<>();
    final Histogram toNodeEvent = new Histogram(3_600_000_000L, 3);
    final Histogram toCreates = new Histogram(3_600_000_000L, 3);
    final Histogram toPods = new Histogram(3_600_000_000L, 3);

    JoinStages(int daemonSets) {
        this.daemonSets = daemonSets;
    }

    synchronized void sent(String node, long nanos) {
        open.put(node, new Open(nanos));
    }

    synchronized void nodeEvent(String node, long nanos) {
        Open o = open.get(node);
        if (o != null && o.nodeSeen < 0) {
            o.nodeSeen = nanos;
            closeIfComplete(node, o);
        }
    }

    synchronized void create(String node, long nanos) {
        Open o = open.get(node);
        if (o != null && ++o.creates == daemonSets) {
            o.createsSeen = nanos;
            closeIfComplete(node, o);
        }
    }

    /** allPods notes that the join's D-th pod was seen at {@code nanos}. */
    synchronized void allPods(String node, long nanos) {
        Open o = open.get(node);
        if (o != null && o.podsSeen < 0) {
            o.podsSeen = nanos;
            closeIfComplete(node, o);
        }
    }

    /**
     * closeIfComplete records the three stages once every hop was seen. The watcher fetches the topics'
     * partitions independently, so a later hop can be read before an earlier one: a hop read late counts
     * as seen when the next one was (the stages still add up to the join's latency).
     */
    private void closeIfComplete(String node, Open o) {
        if (o.nodeSeen < 0 || o.createsSeen < 0 || o.podsSeen < 0) {
            return;
        }
        open.remove(node);
        long creates = Math.min(o.createsSeen, o.podsSeen);
        long nodeEvent = Math.min(o.nodeSeen, creates);
        toNodeEvent.recordValue(micros(nodeEvent - o.sent));
        toCreates.recordValue(micros(creates - nodeEvent));
        toPods.recordValue(micros(o.podsSeen - creates));
    }

    /** snapshot copies one of the three histograms, so that the caller can read it while joins still close. */
    synchronized Histogram snapshot(Histogram stage) {
        return stage.copy();
    }

    private static long micros(long nanos) {
        return Math.max(0, nanos / 1000);
    }
}
