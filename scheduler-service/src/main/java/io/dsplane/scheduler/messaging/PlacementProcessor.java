package io.dsplane.scheduler.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import io.dsplane.contracts.event.EventCodec;
import io.dsplane.contracts.event.EventType;
import io.dsplane.contracts.event.PlacementDecision;
import io.dsplane.contracts.event.ResourceEvent;
import io.dsplane.contracts.event.TemplateHash;
import io.dsplane.scheduler.placement.DaemonPods;
import io.dsplane.scheduler.placement.FailedPodBackoff;
import io.dsplane.scheduler.placement.FitResult;
import io.dsplane.scheduler.placement.NewDaemonPod;
import io.dsplane.scheduler.placement.NodeActions;
import io.dsplane.scheduler.placement.NodeShouldRunDaemonPod;
import io.dsplane.scheduler.placement.PodsShouldBeOnNode;
import io.dsplane.scheduler.placement.Preemption;
import io.dsplane.scheduler.placement.ResourceFit;
import io.dsplane.scheduler.placement.Verdict;
import io.dsplane.scheduler.rollout.RolloutMath;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;

/**
 * PlacementProcessor is the DaemonSet controller and binder for the nodes of one partition. It keeps
 * the nodes, every DaemonSet, and the pods of its nodes in state stores, and on each change
 * re-evaluates the affected (node, DaemonSet) pairs with the pure placement rules, emitting
 * {@link PlacementDecision}s keyed by node.
 *
 * <p>Expectations: a pod it asked for is written to its pod store at once (marked expected), and a
 * pod it asked to delete is marked terminating, so a second trigger before pod-service answers never
 * doubles the work. Store writes and emitted decisions commit together (exactly-once), so a crash
 * can neither lose a decision nor repeat one. Expectations pod-service never confirms expire.
 */
public class PlacementProcessor implements Processor<String, WorkItem, String, byte[]> {

    public static final String NODES = "nodes";
    public static final String DAEMONSETS = "daemonsets";
    public static final String PODS = "pods";
    public static final String ATTEMPTS = "attempts";

    /** Marks a pod in the store that was requested but not yet seen on the pod topic (epoch millis). */
    public static final String EXPECTED_ANNOTATION = "placement.dsplane.io/expected-at";
    /** Marks a pod whose deletion was requested but not yet seen (epoch millis). */
    public static final String DELETE_REQUESTED_ANNOTATION = "placement.dsplane.io/delete-requested-at";

    public static final String REASON_NODE_DELETED = "NodeDeleted";
    public static final String REASON_DAEMONSET_DELETED = "DaemonSetDeleted";
    public static final String REASON_NOT_SCHEDULABLE_HERE = "NodeShouldNotRunDaemonPod";

    private final Duration resyncInterval;
    private final Duration expectationTimeout;
    private final FailedPodBackoff backoff = new FailedPodBackoff();

    private ProcessorContext<String, byte[]> context;
    private KeyValueStore<String, byte[]> nodes;
    private KeyValueStore<String, byte[]> daemonSets;
    private KeyValueStore<String, byte[]> pods;
    private KeyValueStore<String, byte[]> attempts;

    public PlacementProcessor(Duration resyncInterval, Duration expectationTimeout) {
        this.resyncInterval = resyncInterval;
        this.expectationTimeout = expectationTimeout;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.nodes = context.getStateStore(NODES);
        this.daemonSets = context.getStateStore(DAEMONSETS);
        this.pods = context.getStateStore(PODS);
        this.attempts = context.getStateStore(ATTEMPTS);
        context.schedule(resyncInterval, PunctuationType.WALL_CLOCK_TIME, ts -> resync());
    }

    @Override
    public void process(Record<String, WorkItem> record) {
        WorkItem item = record.value();
        switch (item.kind()) {
            case NODE -> onNode(record.key(), item);
            case DAEMONSET -> onDaemonSet(record.key(), item);
            case POD -> onPod(record.key(), item);
        }
    }

    // ------------------------------------------------------------------ inputs

    private void onNode(String nodeName, WorkItem item) {
        ResourceEvent<Node> event = item.isTombstone() ? null : EventCodec.decodeResourceEvent(item.value(), Node.class);
        if (event == null || event.type() == EventType.DELETED) {
            if (nodes.get(nodeName) == null) {
                return;
            }
            nodes.delete(nodeName);
            // The product removes every pod of a deleted node itself, daemon and workload pods alike.
            for (Pod pod : podsOnNode(nodeName)) {
                requestDelete(nodeName, pod, REASON_NODE_DELETED, "node " + nodeName + " was deleted");
            }
            return;
        }
        Node node = event.object();
        nodes.put(nodeName, EventCodec.encode(node));
        for (DaemonSet ds : allDaemonSets()) {
            reconcile(node, ds);
        }
    }

    private void onDaemonSet(String key, WorkItem item) {
        ResourceEvent<DaemonSet> event = item.isTombstone() ? null
                : EventCodec.decodeResourceEvent(item.value(), DaemonSet.class);
        DaemonSet previous = decode(daemonSets.get(key), DaemonSet.class);
        if (event == null || event.type() == EventType.DELETED) {
            if (previous != null) {
                daemonSets.delete(key);
                deletePodsOwnedBy(previous.getMetadata().getUid(), key);
            }
            return;
        }
        DaemonSet ds = event.object();
        if (previous != null && !previous.getMetadata().getUid().equals(ds.getMetadata().getUid())) {
            deletePodsOwnedBy(previous.getMetadata().getUid(), key);
        }
        daemonSets.put(key, EventCodec.encode(ds));
        try (KeyValueIterator<String, byte[]> it = nodes.all()) {
            while (it.hasNext()) {
                reconcile(decode(it.next().value, Node.class), ds);
            }
        }
    }

    private void onPod(String nodeName, WorkItem item) {
        ResourceEvent<Pod> event = EventCodec.decodeResourceEvent(item.value(), Pod.class);
        Pod pod = event.object();
        String storeKey = podKey(nodeName, pod);
        if (event.type() == EventType.DELETED) {
            pods.delete(storeKey);
        } else {
            pods.put(storeKey, EventCodec.encode(pod));
        }
        Node node = decode(nodes.get(nodeName), Node.class);
        String owner = DaemonPods.controllerRefUid(pod);
        if (node == null || owner == null) {
            return;
        }
        for (DaemonSet ds : allDaemonSets()) {
            if (owner.equals(ds.getMetadata().getUid())) {
                reconcile(node, ds);
            }
        }
    }

    // ------------------------------------------------------------------ decisions

    /** reconcile applies podsShouldBeOnNode for one node and DaemonSet and emits what it decides. */
    private void reconcile(Node node, DaemonSet ds) {
        if (ds.getMetadata().getDeletionTimestamp() != null || ds.getSpec() == null
                || ds.getSpec().getSelector() == null) {
            return;
        }
        String nodeName = node.getMetadata().getName();
        String dsUid = ds.getMetadata().getUid();
        List<Pod> onNode = podsOnNode(nodeName);
        List<Pod> daemonPods = onNode.stream().filter(p -> dsUid.equals(DaemonPods.controllerRefUid(p))).toList();
        Verdict verdict = NodeShouldRunDaemonPod.nodeShouldRunDaemonPod(node, ds);
        String hash = TemplateHash.computeHash(ds.getSpec().getTemplate(),
                ds.getStatus() == null ? null : ds.getStatus().getCollisionCount());
        Instant now = now();
        int minReady = ds.getSpec().getMinReadySeconds() == null ? 0 : ds.getSpec().getMinReadySeconds();
        String backoffKey = FailedPodBackoff.failedPodsBackoffKey(ds, nodeName);
        NodeActions actions = PodsShouldBeOnNode.podsShouldBeOnNode(nodeName, verdict, daemonPods, hash,
                RolloutMath.allowsSurge(ds), minReady, backoff, backoffKey, now);
        for (Pod victim : actions.podsToDelete()) {
            requestDelete(nodeName, victim, verdict.shouldContinueRunning() ? "DaemonPodReplaced"
                    : REASON_NOT_SCHEDULABLE_HERE, String.join("; ", verdict.reasons()));
        }
        if (actions.createPod()) {
            create(node, ds, hash, onNode, now);
        }
    }

    private void create(Node node, DaemonSet ds, String hash, List<Pod> onNode, Instant now) {
        String nodeName = node.getMetadata().getName();
        String attemptKey = ds.getMetadata().getUid() + "|" + nodeName;
        byte[] stored = attempts.get(attemptKey);
        int attempt = stored == null ? 0 : Integer.parseInt(new String(stored, java.nio.charset.StandardCharsets.UTF_8));
        Pod pod;
        do {
            attempt++;
            pod = NewDaemonPod.newPod(ds, nodeName, hash, attempt, now);
        } while (pods.get(podKey(nodeName, pod)) != null);
        attempts.put(attemptKey, Integer.toString(attempt).getBytes(java.nio.charset.StandardCharsets.UTF_8));

        List<Pod> bound = onNode.stream().filter(p -> !DaemonPods.isTerminating(p) && !DaemonPods.isTerminal(p)
                && nodeName.equals(p.getSpec() == null ? null : p.getSpec().getNodeName())).toList();
        FitResult fit = ResourceFit.fits(node, bound, pod);
        if (!fit.fits()) {
            var victims = Preemption.selectVictims(node, bound, pod);
            if (victims.isPresent()) {
                for (Pod victim : victims.get()) {
                    emit(nodeName, victim, PlacementDecision.Action.EVICT, null, Preemption.REASON_PREEMPTION_BY_SCHEDULER,
                            String.format(Preemption.PREEMPTION_MESSAGE, pod.getMetadata().getNamespace(),
                                    pod.getMetadata().getName()));
                    markDeleteRequested(nodeName, victim, now);
                }
            } else {
                pod = NewDaemonPod.markUnschedulable(pod, fit.shortages().stream().map(io.dsplane.scheduler.placement.Shortage::message)
                        .reduce((a, b) -> a + "; " + b).orElse("does not fit"), now);
            }
        }
        emit(nodeName, pod, PlacementDecision.Action.CREATE, hash, "SuccessfulCreate",
                "Created pod: " + pod.getMetadata().getName());
        Pod expected = withAnnotation(pod, EXPECTED_ANNOTATION, now);
        pods.put(podKey(nodeName, pod), EventCodec.encode(expected));
    }

    private void requestDelete(String nodeName, Pod pod, String reason, String message) {
        if (DaemonPods.isTerminating(pod)) {
            return;
        }
        emit(nodeName, pod, PlacementDecision.Action.DELETE, null, reason, message);
        markDeleteRequested(nodeName, pod, now());
    }

    private void markDeleteRequested(String nodeName, Pod pod, Instant now) {
        Pod marked = withAnnotation(pod, DELETE_REQUESTED_ANNOTATION, now);
        marked.getMetadata().setDeletionTimestamp(now.toString());
        pods.put(podKey(nodeName, pod), EventCodec.encode(marked));
    }

    private void emit(String nodeName, Pod pod, PlacementDecision.Action action, String hash, String reason,
            String message) {
        String owner = DaemonPods.controllerRefUid(pod);
        PlacementDecision d = new PlacementDecision(ResourceEvent.SCHEMA_VERSION, UUID.randomUUID().toString(),
                action, nodeName, pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
                action == PlacementDecision.Action.CREATE ? null : pod.getMetadata().getUid(), owner, hash, reason,
                message, action == PlacementDecision.Action.CREATE ? pod : null);
        context.forward(new Record<>(nodeName, EventCodec.encode(d), context.currentSystemTimeMs()));
    }

    private void deletePodsOwnedBy(String dsUid, String dsKey) {
        List<KeyValue<String, Pod>> owned = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = pods.all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                Pod p = decode(kv.value, Pod.class);
                if (dsUid.equals(DaemonPods.controllerRefUid(p))) {
                    owned.add(KeyValue.pair(kv.key, p));
                }
            }
        }
        for (KeyValue<String, Pod> kv : owned) {
            String node = kv.key.substring(0, kv.key.indexOf('|'));
            requestDelete(node, kv.value, REASON_DAEMONSET_DELETED, "DaemonSet " + dsKey + " was deleted");
        }
    }

    // ------------------------------------------------------------------ resync

    /**
     * resync forgets expectations pod-service never confirmed and re-evaluates every pair, which also
     * retries nodes whose failed-pod backoff has passed.
     */
    private void resync() {
        Instant now = now();
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = pods.all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                Map<String, String> ann = decode(kv.value, Pod.class).getMetadata().getAnnotations();
                if (ann == null) {
                    continue;
                }
                for (String marker : List.of(EXPECTED_ANNOTATION, DELETE_REQUESTED_ANNOTATION)) {
                    String at = ann.get(marker);
                    if (at != null && Instant.parse(at).plus(expectationTimeout).isBefore(now)) {
                        expired.add(kv.key);
                    }
                }
            }
        }
        expired.forEach(pods::delete);
        backoff.gc(now);
        List<DaemonSet> all = allDaemonSets();
        try (KeyValueIterator<String, byte[]> it = nodes.all()) {
            while (it.hasNext()) {
                Node node = decode(it.next().value, Node.class);
                for (DaemonSet ds : all) {
                    reconcile(node, ds);
                }
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    private List<DaemonSet> allDaemonSets() {
        List<DaemonSet> out = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = daemonSets.all()) {
            while (it.hasNext()) {
                out.add(decode(it.next().value, DaemonSet.class));
            }
        }
        return out;
    }

    private List<Pod> podsOnNode(String nodeName) {
        List<Pod> out = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = pods.prefixScan(nodeName + "|", new StringSerializer())) {
            while (it.hasNext()) {
                out.add(decode(it.next().value, Pod.class));
            }
        }
        return out;
    }

    static String podKey(String nodeName, Pod pod) {
        return nodeName + "|" + pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    }

    private static Pod withAnnotation(Pod pod, String key, Instant at) {
        Pod copy = EventCodec.decode(EventCodec.encode(pod), Pod.class);
        Map<String, String> ann = copy.getMetadata().getAnnotations() == null ? new HashMap<>()
                : new HashMap<>(copy.getMetadata().getAnnotations());
        ann.put(key, at.toString());
        copy.getMetadata().setAnnotations(ann);
        return copy;
    }

    private static <T> T decode(byte[] bytes, Class<T> type) {
        return bytes == null ? null : EventCodec.decode(bytes, type);
    }

    private Instant now() {
        return Instant.ofEpochMilli(context.currentSystemTimeMs());
    }
}
