package io.dsplane.scheduler.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import io.dsplane.contracts.api.LabelSelector;
import io.dsplane.contracts.event.DaemonSetNodeState;
import io.dsplane.contracts.event.EventCodec;
import io.dsplane.contracts.event.EventType;
import io.dsplane.contracts.event.PlacementDecision;
import io.dsplane.contracts.event.ResourceEvent;
import io.dsplane.contracts.event.Topics;
import io.dsplane.scheduler.placement.DaemonPods;
import io.dsplane.scheduler.placement.DaemonSetInterest;
import io.dsplane.scheduler.placement.FailedPodBackoff;
import io.dsplane.scheduler.placement.FitFootprint;
import io.dsplane.scheduler.placement.FitResult;
import io.dsplane.scheduler.placement.NewDaemonPod;
import io.dsplane.scheduler.placement.NodeActions;
import io.dsplane.scheduler.placement.NodePlacementView;
import io.dsplane.scheduler.placement.NodeShouldRunDaemonPod;
import io.dsplane.scheduler.placement.NodeStateSummary;
import io.dsplane.scheduler.placement.PlacementFields;
import io.dsplane.scheduler.placement.PodsShouldBeOnNode;
import io.dsplane.scheduler.placement.Preemption;
import io.dsplane.scheduler.placement.SharedValues;
import io.dsplane.scheduler.placement.ResourceFit;
import io.dsplane.scheduler.placement.ResourceVersions;
import io.dsplane.scheduler.placement.Shortage;
import io.dsplane.scheduler.placement.Verdict;
import io.dsplane.scheduler.rollout.RolloutGrant;
import io.dsplane.scheduler.rollout.RolloutMath;
import io.dsplane.scheduler.rollout.RolloutNodeState;
import io.dsplane.scheduler.rollout.RolloutStates;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;

/**
 * PlacementProcessor is the DaemonSet controller and binder for the nodes of one partition. It keeps
 * the nodes, every DaemonSet, and the pods of its nodes in state stores, and on each change
 * re-evaluates the affected (node, DaemonSet) pairs with the pure placement rules, emitting
 * {@link PlacementDecision}s keyed by node and, when it changes, the {@link DaemonSetNodeState} that
 * daemonset-service turns into status.
 *
 * <p>Expectations: a pod it asked for is written to its pod store at once (marked expected), a pod
 * it asked to delete is marked terminating, a pod it asked to bind, adopt or release is stored as it
 * will be; so a second trigger before pod-service answers never doubles the work. Store writes and
 * emitted records commit together (exactly-once), so a crash can neither lose a decision nor repeat
 * one. Expectations pod-service never confirms expire ({@link #overdue}): once it has answered later
 * decisions, or after a much longer limit.
 *
 * <p>Cost: the node, DaemonSet and pod stores are read through {@link DecodedStore}, which decodes a
 * value once per write instead of once per read, and each input re-evaluates only the pairs it can
 * change: a node update only when {@link NodePlacementView} changed, a pod update only for the
 * DaemonSets that control or could adopt it unless its {@link FitFootprint} changed, a resync only the
 * pairs that read the time. The stores stay the source of truth; the decoded views are rebuilt from
 * them whenever the processor is initialised.
 *
 * <p>Memory: the pods are held as {@link PlacementFields#compactView} (what the rules read, with what
 * pods hold alike held once), which is what lets one instance hold a hundred thousand pods. The pod
 * store keeps {@link PlacementFields#placementView}s, the pods of unconfirmed CREATEs included (a
 * CREATE repeated after its timeout is built again from its DaemonSet, {@link #podToCreateAgain}), and
 * every path that writes a pod back starts from the stored pod ({@link DecodedStore#stored}), never
 * from the view in memory.
 */
public class PlacementProcessor implements Processor<String, WorkItem, String, Output> {

    public static final String NODES = "nodes";
    public static final String DAEMONSETS = "daemonsets";
    public static final String PODS = "pods";
    /**
     * Per (DaemonSet uid, node): the highest attempt among the pair's pods that have left the pod
     * store, see {@link #rememberAttempt}.
     */
    public static final String ATTEMPTS = "attempts";
    /**
     * 64: how many attempts past the stored one a leaving pod's name is looked for. A pair's pods in
     * the store at one time are few (one, or two around a replacement), and each took the first
     * attempt whose name the store did not hold.
     */
    static final int ATTEMPT_SEARCH = 64;
    public static final String BACKOFFS = "failed-pod-backoffs";
    /** Marks outputs that go to the rollout coordinator instead of a topic. */
    public static final String ROLLOUT = "rollout";
    public static final String REASON_ROLLING_UPDATE = "RollingUpdate";

    /** Marks a pod in the store that was requested but not yet seen on the pod topic (an instant). */
    public static final String EXPECTED_ANNOTATION = "placement.dsplane.io/expected-at";
    /** Marks a pod whose deletion was requested but not yet seen (an instant). */
    public static final String DELETE_REQUESTED_ANNOTATION = "placement.dsplane.io/delete-requested-at";

    public static final String REASON_NODE_DELETED = PlacementDecision.REASON_NODE_DELETED;
    public static final String REASON_DAEMONSET_DELETED = "DaemonSetDeleted";
    public static final String REASON_NOT_SCHEDULABLE_HERE = "NodeShouldNotRunDaemonPod";
    public static final String REASON_DUPLICATE = "DuplicateDaemonPod";
    public static final String REASON_CREATED = "SuccessfulCreate";
    public static final String REASON_BOUND = "Scheduled";
    public static final String REASON_ADOPTED = "Adopted";
    public static final String REASON_RELEASED = "Released";

    private final Duration resyncInterval;
    private final Duration expectationTimeout;
    /** The failed-pod backoff, restored from its store on every (re)initialisation. */
    private PersistedBackoff backoff;
    /** What the pods in memory hold alike, held once (see {@link PlacementFields#compactView}). */
    private final SharedValues shared = new SharedValues();

    private ProcessorContext<String, Output> context;
    private DecodedStore<Node> nodes;
    private DecodedStore<DaemonSet> daemonSets;
    private DecodedStore<Pod> pods;
    private TemplateHashes hashes;
    private KeyValueStore<String, byte[]> attempts;
    /** What was sent to daemonset-service and to the rollout coordinator; memory only, see {@link SentStates}. */
    private SentStates states;
    private SentStates rolloutSent;
    /** Set when a decision asks a pod that held room on its node to go; see {@link #onPod}. */
    private boolean roomFreed;
    /**
     * 6: every sixth resync (a minute at the default 10 s) still re-evaluates every pair. Changes are
     * acted on when they arrive and targeted resyncs catch what time alone changes; this slow sweep is
     * the safety net that makes any missed trigger heal on its own.
     */
    static final int FULL_RESYNC_EVERY = 6;

    /**
     * 5: an expectation older than five expectation timeouts is repeated even when pod-service has
     * confirmed nothing newer (a decision it refused, or one it never answers), see {@link #overdue}.
     */
    static final int STALLED_EXPECTATION_FACTOR = 5;

    /**
     * When the newest decision pod-service has answered was made (kept in memory only; after a restart
     * only the stalled limit applies until pod-service answers again).
     */
    private Instant newestAnswered = Instant.MIN;

    /**
     * Counts the (node, DaemonSet) pairs re-evaluated, as the Kafka Streams metric
     * {@value #RECONCILE_OPERATION}-total/-rate in group stream-{@value #METRICS_SCOPE}-metrics: how
     * much work each input costs is what the skips in {@link #onNode} and {@link #onPod} are about.
     */
    private Sensor reconciled;
    static final String METRICS_SCOPE = "dsplane-placement";
    static final String RECONCILE_OPERATION = "reconcile";

    /** The first resync after (re)initialisation looks at every pair; later ones only where needed. */
    private boolean everyPairDue;
    private int resyncs;

    /**
     * 100 ms: how long one step of a sweep over every pair may run. With exactly-once, everything a
     * stream thread does between two commits is one transaction, which the broker aborts once it
     * outlives the transaction timeout; the thread is then fenced, its tasks are closed and restored,
     * and their first resync sweeps every pair again. A sweep of 100,000 pairs run at once outlived
     * Kafka Streams' default of 10 s on two loaded cores, so a sweep goes in steps with commits between.
     */
    static final Duration SWEEP_STEP_BUDGET = Duration.ofMillis(100);
    /** 10 ms: how soon the next step of a sweep runs (the stream thread commits in between). */
    static final Duration SWEEP_STEP_INTERVAL = Duration.ofMillis(10);

    private final Duration sweepStepBudget;
    /** The steps of the sweep in progress, or null when none is. */
    private Cancellable sweepSteps;
    /** The last node the sweep in progress has re-evaluated; null: it starts at the first. */
    private String sweptThrough;

    public PlacementProcessor(Duration resyncInterval, Duration expectationTimeout) {
        this(resyncInterval, expectationTimeout, SWEEP_STEP_BUDGET);
    }

    PlacementProcessor(Duration resyncInterval, Duration expectationTimeout, Duration sweepStepBudget) {
        this.resyncInterval = resyncInterval;
        this.expectationTimeout = expectationTimeout;
        this.sweepStepBudget = sweepStepBudget;
    }

    @Override
    public void init(ProcessorContext<String, Output> context) {
        this.context = context;
        // Fresh views on every (re)initialisation: they fill from the stores as restored now.
        this.nodes = new DecodedStore<>(context.getStateStore(NODES), Node.class);
        this.daemonSets = new DecodedStore<>(context.getStateStore(DAEMONSETS), DaemonSet.class);
        this.pods = new DecodedStore<>(context.getStateStore(PODS), Pod.class,
                pod -> PlacementFields.compactView(pod, shared), PlacementProcessor::nodeOfPodKey);
        nodes.load();
        daemonSets.load();
        pods.load();
        this.hashes = new TemplateHashes();
        this.everyPairDue = true;
        if (sweepSteps != null) {
            sweepSteps.cancel(); // a sweep of the views before; the first resync starts a new one
            sweepSteps = null;
        }
        this.attempts = context.getStateStore(ATTEMPTS);
        this.backoff = PersistedBackoff.restore(context.getStateStore(BACKOFFS));
        this.states = new SentStates();
        this.rolloutSent = new SentStates();
        this.reconciled = context.metrics().addRateTotalSensor(METRICS_SCOPE, context.taskId().toString(),
                RECONCILE_OPERATION, Sensor.RecordingLevel.INFO);
        context.schedule(resyncInterval, PunctuationType.WALL_CLOCK_TIME, ts -> resync());
    }

    @Override
    public void close() {
        if (reconciled != null) {
            context.metrics().removeSensor(reconciled);
            reconciled = null;
        }
    }

    @Override
    public void process(Record<String, WorkItem> record) {
        WorkItem item = record.value();
        switch (item.kind()) {
            case NODE -> onNode(record.key(), item);
            case DAEMONSET -> onDaemonSet(record.key(), item);
            case POD -> onPod(record.key(), item);
            case GRANT -> onGrant(record.key(), item);
        }
    }

    // ------------------------------------------------------------------ inputs

    /** decoded is the item's event: as its router decoded it when read in place, else from its bytes. */
    @SuppressWarnings("unchecked")
    private static <T extends HasMetadata> ResourceEvent<T> decoded(WorkItem item, Class<T> type) {
        if (item.decoded() != null && type.isInstance(item.decoded().object())) {
            return (ResourceEvent<T>) item.decoded();
        }
        return EventCodec.decodeResourceEvent(item.value(), type);
    }

    private void onNode(String nodeName, WorkItem item) {
        ResourceEvent<Node> event = item.isTombstone() ? null : decoded(item, Node.class);
        if (event == null || event.type() == EventType.DELETED) {
            if (nodes.get(nodeName) == null) {
                return;
            }
            nodes.delete(nodeName);
            // The product removes every pod of a deleted node itself, daemon and workload pods alike.
            for (Pod pod : podsOnNode(nodeName)) {
                requestDelete(nodeName, pod, REASON_NODE_DELETED, "node " + nodeName + " was deleted");
            }
            for (DaemonSet ds : daemonSets.values()) {
                forget(states, Topics.DAEMONSET_NODE_STATES, daemonSetKey(ds), nodeName);
                forget(rolloutSent, ROLLOUT, daemonSetKey(ds), nodeName);
            }
            return;
        }
        Node previous = nodes.get(nodeName);
        Node node = nodes.put(nodeName, event.object());
        if (previous != null && NodePlacementView.of(previous).equals(NodePlacementView.of(node))) {
            // The router drops node events that change nothing placement reads (NodeChangeFilter);
            // one that still gets here (maps in another order, a router whose store started afresh)
            // is stored and decides nothing.
            return;
        }
        for (DaemonSet ds : daemonSets.values()) {
            reconcile(node, ds);
        }
    }

    private void onDaemonSet(String key, WorkItem item) {
        ResourceEvent<DaemonSet> event = item.isTombstone() ? null
                : EventCodec.decodeResourceEvent(item.value(), DaemonSet.class);
        DaemonSet previous = daemonSets.get(key);
        if (event == null || event.type() == EventType.DELETED) {
            if (previous != null) {
                daemonSets.delete(key);
                hashes.forget(previous.getMetadata().getUid());
                deletePodsOwnedBy(previous.getMetadata().getUid(), key);
                forgetStates(key);
                forgetAttempts(previous.getMetadata().getUid());
            }
            return;
        }
        DaemonSet ds = daemonSets.put(key, event.object());
        if (previous != null && !previous.getMetadata().getUid().equals(ds.getMetadata().getUid())) {
            hashes.forget(previous.getMetadata().getUid());
            deletePodsOwnedBy(previous.getMetadata().getUid(), key);
            forgetStates(key);
            forgetAttempts(previous.getMetadata().getUid());
        } else if (previous != null && !placementChanged(previous, ds)) {
            // A status write (the most frequent DaemonSet event) changes nothing placement depends on.
            return;
        }
        for (Node node : nodes.values()) {
            reconcile(node, ds);
        }
    }

    /** placementChanged is false when only what placement ignores changed (status counters, labels). */
    private static boolean placementChanged(DaemonSet a, DaemonSet b) {
        return !Objects.equals(a.getMetadata().getGeneration(), b.getMetadata().getGeneration())
                || !Objects.equals(a.getMetadata().getDeletionTimestamp(), b.getMetadata().getDeletionTimestamp())
                || !Objects.equals(a.getMetadata().getAnnotations(), b.getMetadata().getAnnotations())
                || !Objects.equals(collisionCount(a), collisionCount(b))
                || !Objects.equals(a.getSpec(), b.getSpec());
    }

    private static Integer collisionCount(DaemonSet ds) {
        return ds.getStatus() == null ? null : ds.getStatus().getCollisionCount();
    }

    /**
     * onPod stores the pod and re-evaluates the DaemonSets the change can matter to: those that
     * control the pod or could adopt it (before or after the change), and every DaemonSet of the node
     * when the pod's {@link FitFootprint} changed (room freed or taken lets another DaemonSet's
     * pending pod bind or changes whom it would preempt). Confirming a deletion this processor asked
     * for counts as such a change, since the room was counted free at the request; so does a
     * decision made while handling this event that frees room, for the DaemonSets after it.
     */
    private void onPod(String nodeName, WorkItem item) {
        ResourceEvent<Pod> event = decoded(item, Pod.class);
        Pod pod = event.object();
        String storeKey = podKey(nodeName, pod);
        Pod previous = pods.get(storeKey);
        if (ResourceVersions.isOlder(pod, previous)) {
            return;
        }
        noteAnswered(previous, event);
        Pod current = null;
        if (event.type() == EventType.DELETED) {
            pods.delete(storeKey);
            rememberAttempt(nodeName, pod);
        } else {
            // Only what placement reads is kept: most of a pod's bytes are of no use here.
            current = pods.put(storeKey, PlacementFields.placementView(pod));
            confirmRenamed(nodeName, pod);
        }
        Node node = nodes.get(nodeName);
        if (node == null) {
            return;
        }
        boolean roomChanged = isDeleteRequested(previous)
                || !FitFootprint.of(previous, nodeName).equals(FitFootprint.of(current, nodeName));
        Set<String> settled = null;
        roomFreed = false;
        for (DaemonSet ds : daemonSets.values()) {
            boolean interested = DaemonSetInterest.isInterested(ds, previous) || DaemonSetInterest.isInterested(ds, current);
            if (!interested && roomChanged && settled == null) {
                settled = settledDaemonSets(nodeName);
            }
            if (interested || (roomChanged && !settled.contains(ds.getMetadata().getUid()))) {
                reconcile(node, ds);
                roomChanged |= roomFreed;
            }
        }
    }

    /**
     * settledDaemonSets are the DaemonSets (uids) whose pods on the node are all bound and none is
     * terminating: what the node's room is taken up by cannot change their decisions (room decides only
     * whether a pod is created bound, bound later, or makes room by preemption). So a pod that takes or
     * frees room re-evaluates only the other DaemonSets of the node. Under churn of workload pods, every
     * pod event re-evaluated every DaemonSet of its node: half the scheduler's time at 5,000 x 20.
     */
    private Set<String> settledDaemonSets(String nodeName) {
        Set<String> settled = new HashSet<>();
        Set<String> unsettled = new HashSet<>();
        for (Pod p : podsOnNode(nodeName)) {
            String owner = DaemonPods.controllerRefUid(p);
            if (owner == null) {
                continue;
            }
            if (isUnbound(p) || DaemonPods.isTerminating(p)) {
                unsettled.add(owner);
            } else {
                settled.add(owner);
            }
        }
        settled.removeAll(unsettled);
        return settled;
    }

    /**
     * noteAnswered records when the decision was made that this pod event answers: the pod of an
     * expected CREATE appearing, or a pod asked to go being deleted or marked terminating.
     */
    private void noteAnswered(Pod previous, ResourceEvent<Pod> event) {
        Map<String, String> ann = previous == null ? null : previous.getMetadata().getAnnotations();
        if (ann == null) {
            return;
        }
        String created = ann.get(EXPECTED_ANNOTATION);
        String deleted = ann.get(DELETE_REQUESTED_ANNOTATION);
        String at = null;
        if (created != null && previous.getMetadata().getUid() == null && event.object().getMetadata().getUid() != null) {
            at = created;
        } else if (deleted != null && (event.type() == EventType.DELETED
                || event.object().getMetadata().getDeletionTimestamp() != null)) {
            at = deleted;
        }
        if (at != null) {
            Instant made = Instant.parse(at);
            if (made.isAfter(newestAnswered)) {
                newestAnswered = made;
            }
        }
    }

    /**
     * overdue is true when an expectation made at {@code at} should be given up and the decision
     * repeated: it is older than the expectation timeout AND pod-service has since answered a decision
     * made more than one timeout after it (so it is not merely queued behind the others), or it is
     * older than {@link #STALLED_EXPECTATION_FACTOR} timeouts. Without the second condition a
     * pod-service that falls more than one timeout behind would be sent every pending decision again,
     * the repeats queueing behind the originals and making it fall further behind.
     *
     * <p>Why a whole timeout later and not just later: pod-service applies a partition's decisions in
     * order, but its answers (pod events) reach this processor through several partitions of the pod
     * topic, so the answer to a later decision can overtake the answer to an earlier one. A pod-service
     * minutes behind answers every decision after its timeout, so with "later" alone such overtakes
     * were taken for lost decisions (a 5,000 x 20 run sent 237,000 CREATEs for 100,000 pods). The skew
     * between partitions is far shorter than a timeout.
     */
    boolean overdue(Instant at, Instant now) {
        if (!at.plus(expectationTimeout).isBefore(now)) {
            return false;
        }
        return at.plus(expectationTimeout).isBefore(newestAnswered)
                || at.plus(expectationTimeout.multipliedBy(STALLED_EXPECTATION_FACTOR)).isBefore(now);
    }

    /**
     * confirmRenamed drops the expectation of a pod that pod-service created under another name
     * (its requested name was held by a different pod): the pod now stands in the store under its real
     * name, and the placeholder under the requested name must not count as a second pod nor be repeated.
     */
    private void confirmRenamed(String nodeName, Pod pod) {
        Map<String, String> ann = pod.getMetadata().getAnnotations();
        String requested = ann == null ? null : ann.get(PlacementDecision.REQUESTED_NAME_ANNOTATION);
        if (requested == null || requested.equals(pod.getMetadata().getName())) {
            return;
        }
        String placeholderKey = nodeName + "|" + pod.getMetadata().getNamespace() + "/" + requested;
        Pod placeholder = pods.get(placeholderKey);
        if (placeholder != null && placeholder.getMetadata().getUid() == null && isExpected(placeholder)) {
            pods.delete(placeholderKey);
            rememberAttempt(nodeName, placeholder);
        }
    }

    // ------------------------------------------------------------------ decisions

    /** reconcile applies the per-node rules for one node and DaemonSet and emits what they decide. */
    private void reconcile(Node node, DaemonSet ds) {
        if (ds.getSpec() == null || ds.getSpec().getSelector() == null) {
            return;
        }
        reconciled.record();
        String nodeName = node.getMetadata().getName();
        String dsUid = ds.getMetadata().getUid();
        Instant now = now();
        String hash = hashes.hash(ds);
        Verdict verdict = NodeShouldRunDaemonPod.nodeShouldRunDaemonPod(node, ds);
        if (ds.getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        adoptAndRelease(nodeName, ds, now);

        List<Pod> onNode = podsOnNode(nodeName);
        List<Pod> daemonPods = onNode.stream().filter(p -> dsUid.equals(DaemonPods.controllerRefUid(p))).toList();
        int minReady = ds.getSpec().getMinReadySeconds() == null ? 0 : ds.getSpec().getMinReadySeconds();
        String backoffKey = FailedPodBackoff.failedPodsBackoffKey(ds, nodeName);
        Optional<FailedPodBackoff.Entry> backoffBefore = backoff.entry(backoffKey);
        NodeActions actions = PodsShouldBeOnNode.podsShouldBeOnNode(nodeName, verdict, daemonPods, hash,
                RolloutMath.allowsSurge(ds), minReady, backoff.backoff(), backoffKey, now);
        backoff.saveIfChanged(backoffKey, backoffBefore);
        for (Pod victim : actions.podsToDelete()) {
            String reason = !verdict.shouldContinueRunning() ? REASON_NOT_SCHEDULABLE_HERE
                    : DaemonPods.isTerminal(victim) ? DaemonPods.phase(victim) + "DaemonPod" : REASON_DUPLICATE;
            requestDelete(nodeName, victim, reason, verdict.reasons().isEmpty()
                    ? "replacing pod " + victim.getMetadata().getName() : String.join("; ", verdict.reasons()));
        }
        if (actions.createPod()) {
            create(node, ds, hash, podsOnNode(nodeName), now);
        }
        for (Pod pending : daemonPods) {
            if (isUnbound(pending) && !DaemonPods.isTerminating(pending) && !isExpected(pending)) {
                tryBind(node, pending, podsOnNode(nodeName), now);
            }
        }
        publishState(ds, nodeName, verdict, hash);
    }

    /**
     * onGrant carries out a rollout step the coordinator granted for this node: delete the old pod
     * (the manage pass creates the new one once it is gone) or, with surge, create the new pod now.
     * A grant for another uid or template than the current one is stale and ignored.
     */
    private void onGrant(String nodeName, WorkItem item) {
        RolloutGrant grant = EventCodec.decode(item.value(), RolloutGrant.class);
        DaemonSet ds = daemonSets.get(grant.daemonSetKey());
        Node node = nodes.get(nodeName);
        if (ds == null || node == null || !ds.getMetadata().getUid().equals(grant.daemonSetUid())
                || !grant.hash().equals(hashes.hash(ds))) {
            return;
        }
        List<Pod> mine = podsOnNode(nodeName).stream()
                .filter(p -> grant.daemonSetUid().equals(DaemonPods.controllerRefUid(p)) && !DaemonPods.isTerminating(p))
                .toList();
        Instant now = now();
        switch (grant.action()) {
            case DELETE_OLD -> mine.stream().filter(p -> !grant.hash().equals(DaemonPods.revisionHash(p)))
                    .forEach(p -> requestDelete(nodeName, p, REASON_ROLLING_UPDATE,
                            "replacing pod " + p.getMetadata().getName() + " with revision " + grant.hash()));
            case CREATE_NEW -> {
                if (mine.stream().noneMatch(p -> grant.hash().equals(DaemonPods.revisionHash(p)))) {
                    create(node, ds, grant.hash(), podsOnNode(nodeName), now);
                }
            }
        }
        reconcile(node, ds);
    }

    private void publishRollout(DaemonSet ds, String nodeName, Verdict verdict, String hash, List<Pod> daemonPods) {
        RolloutNodeState state = RolloutStates.of(ds, nodeName, verdict, daemonPods, hash);
        publishIfChanged(rolloutSent, ROLLOUT, daemonSetKey(ds), nodeName, EventCodec.encode(state));
    }

    /** adoptAndRelease claims orphans matching the selector and lets go of owned pods that stopped matching. */
    private void adoptAndRelease(String nodeName, DaemonSet ds, Instant now) {
        LabelSelector selector;
        try {
            selector = LabelSelector.fromObject(ds.getSpec().getSelector());
        } catch (IllegalArgumentException e) {
            return;
        }
        if (selector.isEmpty()) {
            return; // an empty selector would select every pod: upstream refuses to act on it
        }
        String dsUid = ds.getMetadata().getUid();
        for (Pod p : podsOnNode(nodeName)) {
            if (!ds.getMetadata().getNamespace().equals(p.getMetadata().getNamespace()) || DaemonPods.isTerminating(p)) {
                continue;
            }
            String owner = DaemonPods.controllerRefUid(p);
            boolean matches = selector.matches(p.getMetadata().getLabels());
            if (owner == null && matches) {
                emit(nodeName, p, PlacementDecision.Action.ADOPT, dsUid, null, REASON_ADOPTED,
                        ds.getMetadata().getName());
                Pod adopted = pods.stored(podKey(nodeName, p));
                List<OwnerReference> refs = new ArrayList<>(Optional.ofNullable(adopted.getMetadata()
                        .getOwnerReferences()).orElse(List.of()));
                refs.add(new OwnerReferenceBuilder().withApiVersion(NewDaemonPod.DAEMON_SET_API_VERSION)
                        .withKind(NewDaemonPod.DAEMON_SET_KIND).withName(ds.getMetadata().getName()).withUid(dsUid)
                        .withController(true).withBlockOwnerDeletion(true).build());
                adopted.getMetadata().setOwnerReferences(refs);
                pods.put(podKey(nodeName, p), adopted);
            } else if (dsUid.equals(owner) && !matches) {
                emit(nodeName, p, PlacementDecision.Action.RELEASE, dsUid, null, REASON_RELEASED,
                        ds.getMetadata().getName());
                Pod released = pods.stored(podKey(nodeName, p));
                released.getMetadata().setOwnerReferences(released.getMetadata().getOwnerReferences().stream()
                        .filter(r -> !dsUid.equals(r.getUid())).toList());
                pods.put(podKey(nodeName, p), released);
            }
        }
    }

    private void create(Node node, DaemonSet ds, String hash, List<Pod> onNode, Instant now) {
        String nodeName = node.getMetadata().getName();
        // The first attempt past those of the pair's pods that have left the store, whose name no pod
        // in the store holds: never the name of an earlier pod of the pair. Nothing is written here;
        // the pod's attempt is remembered when it leaves the store (rememberAttempt).
        int attempt = storedAttempt(attemptKey(ds.getMetadata().getUid(), nodeName));
        Pod pod;
        do {
            attempt++;
            pod = NewDaemonPod.newPod(ds, nodeName, hash, attempt, now);
        } while (pods.containsKey(podKey(nodeName, pod)));

        Optional<String> unschedulable = makeRoom(node, pod, boundPods(nodeName, onNode), now);
        if (unschedulable.isPresent()) {
            pod = NewDaemonPod.markUnschedulable(pod, unschedulable.get(), now);
        }
        emit(nodeName, pod, PlacementDecision.Action.CREATE, ds.getMetadata().getUid(), hash, REASON_CREATED,
                "Created pod: " + pod.getMetadata().getName());
        // The pod was built here and emit has encoded it already: annotate it in place, no copy needed.
        // Only its placement view is stored: a repeat of the CREATE builds the pod again.
        annotate(pod, EXPECTED_ANNOTATION, now);
        pods.put(podKey(nodeName, pod), PlacementFields.placementView(pod));
    }

    /**
     * podToCreateAgain builds the pod of an unconfirmed CREATE again, as {@link #create} built it: the
     * store keeps only its placement view, which holds what differs from one build to the next (the
     * node binding, the conditions with their times). The name gives the attempt back. Null when the
     * DaemonSet is gone or its current template is not the pod's (its hash differs), or the name is
     * not one {@link #create} gives: then nothing is repeated.
     */
    private Pod podToCreateAgain(String nodeName, Pod expected) {
        DaemonSet ds = controllerWithRevision(expected);
        String hash = DaemonPods.revisionHash(expected);
        if (ds == null || !hash.equals(hashes.hash(ds))) {
            return null;
        }
        OptionalInt attempt = attemptPastStored(expected.getMetadata().getName(), ds, nodeName, hash);
        if (attempt.isEmpty()) {
            return null;
        }
        Pod again = NewDaemonPod.newPod(ds, nodeName, hash, attempt.getAsInt(), null);
        again.getSpec().setNodeName(expected.getSpec() == null ? null : expected.getSpec().getNodeName());
        if (expected.getStatus() != null) {
            PodStatus status = new PodStatus();
            status.setPhase(expected.getStatus().getPhase());
            status.setConditions(expected.getStatus().getConditions() == null ? null
                    : new ArrayList<>(expected.getStatus().getConditions()));
            again.setStatus(status);
        }
        return again;
    }

    /**
     * rememberAttempt keeps, per (DaemonSet, node), the highest attempt of the pair's pods that have
     * left the pod store, so that no later pod of the pair is given the name of an earlier one (a late
     * report of an agent about the earlier pod must never land on its successor). Pods still in the
     * store need no record, since {@link #create} skips every name the store holds: a cold start
     * writes no attempt at all (no changelog record per new pod), and each pod that goes writes at
     * most one. The attempt is found again from the name (the requested one for a pod created
     * under a fallback name). Pods of a DaemonSet that is gone are not remembered: its attempts were
     * dropped with it ({@link #forgetAttempts}).
     */
    private void rememberAttempt(String nodeName, Pod pod) {
        DaemonSet ds = controllerWithRevision(pod);
        if (ds == null) {
            return;
        }
        Map<String, String> ann = pod.getMetadata().getAnnotations();
        String requested = ann == null ? null : ann.get(PlacementDecision.REQUESTED_NAME_ANNOTATION);
        String name = requested != null ? requested : pod.getMetadata().getName();
        attemptPastStored(name, ds, nodeName, DaemonPods.revisionHash(pod)).ifPresent(a -> attempts.put(
                attemptKey(ds.getMetadata().getUid(), nodeName), Integer.toString(a).getBytes(StandardCharsets.UTF_8)));
    }

    /** controllerWithRevision is the DaemonSet controlling the pod, when the pod carries a revision hash; or null. */
    private DaemonSet controllerWithRevision(Pod pod) {
        String dsUid = DaemonPods.controllerRefUid(pod);
        return dsUid == null || DaemonPods.revisionHash(pod) == null ? null : daemonSetWithUid(dsUid);
    }

    /**
     * attemptPastStored is the attempt the name was given among the {@value #ATTEMPT_SEARCH} after the
     * pair's stored one (where {@link #create} looks for a free name), or empty.
     */
    private OptionalInt attemptPastStored(String name, DaemonSet ds, String nodeName, String hash) {
        String dsUid = ds.getMetadata().getUid();
        int stored = storedAttempt(attemptKey(dsUid, nodeName));
        return NewDaemonPod.attemptOf(name, ds.getMetadata().getName(), dsUid, nodeName, hash, stored + 1,
                stored + ATTEMPT_SEARCH);
    }

    /** forgetAttempts drops the attempts of a DaemonSet that is gone (its uid is never used again). */
    private void forgetAttempts(String dsUid) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = attempts.prefixScan(dsUid + "|", new StringSerializer())) {
            it.forEachRemaining(kv -> keys.add(kv.key));
        }
        keys.forEach(attempts::delete);
    }

    private int storedAttempt(String key) {
        byte[] stored = attempts.get(key);
        return stored == null ? 0 : Integer.parseInt(new String(stored, StandardCharsets.UTF_8));
    }

    private static String attemptKey(String dsUid, String nodeName) {
        return dsUid + "|" + nodeName;
    }

    private DaemonSet daemonSetWithUid(String uid) {
        for (DaemonSet ds : daemonSets.values()) {
            if (uid.equals(ds.getMetadata().getUid())) {
                return ds;
            }
        }
        return null;
    }

    /** tryBind binds a pending daemon pod once it fits (evicting lower-priority pods if that is what it takes). */
    private void tryBind(Node node, Pod pending, List<Pod> onNode, Instant now) {
        String nodeName = node.getMetadata().getName();
        if (makeRoom(node, pending, boundPods(nodeName, onNode), now).isPresent()) {
            return;
        }
        emit(nodeName, pending, PlacementDecision.Action.BIND, DaemonPods.controllerRefUid(pending), null,
                REASON_BOUND, "Successfully assigned " + pending.getMetadata().getNamespace() + "/"
                        + pending.getMetadata().getName() + " to " + nodeName);
        Pod bound = pods.stored(podKey(nodeName, pending));
        bound.getSpec().setNodeName(nodeName);
        if (bound.getStatus() != null && bound.getStatus().getConditions() != null) {
            bound.getStatus().setConditions(bound.getStatus().getConditions().stream()
                    .filter(c -> !DaemonPods.CONDITION_POD_SCHEDULED.equals(c.getType())).toList());
        }
        pods.put(podKey(nodeName, pending), bound);
    }

    /**
     * makeRoom checks the pod fits the node; if not, and evicting strictly lower-priority pods would
     * make it fit, it evicts them (lowest first, no more than needed). Returns the reason it still
     * cannot be placed, or empty when it can be bound now.
     */
    private Optional<String> makeRoom(Node node, Pod pod, List<Pod> bound, Instant now) {
        FitResult fit = ResourceFit.fits(node, bound, pod);
        if (fit.fits()) {
            return Optional.empty();
        }
        String nodeName = node.getMetadata().getName();
        Optional<List<Pod>> victims = Preemption.selectVictims(node, bound, pod);
        if (victims.isEmpty()) {
            return Optional.of(String.join("; ", fit.shortages().stream().map(Shortage::message).toList()));
        }
        for (Pod victim : victims.get()) {
            emit(nodeName, victim, PlacementDecision.Action.EVICT, DaemonPods.controllerRefUid(victim), null,
                    Preemption.REASON_PREEMPTION_BY_SCHEDULER, String.format(Preemption.PREEMPTION_MESSAGE,
                            pod.getMetadata().getNamespace(), pod.getMetadata().getName()));
            markDeleteRequested(nodeName, victim, now);
        }
        return Optional.empty();
    }

    private static List<Pod> boundPods(String nodeName, List<Pod> onNode) {
        return onNode.stream().filter(p -> FitFootprint.holdsRoom(p, nodeName)).toList();
    }

    private static boolean isUnbound(Pod p) {
        return p.getSpec() == null || p.getSpec().getNodeName() == null || p.getSpec().getNodeName().isEmpty();
    }

    private static boolean isExpected(Pod p) {
        return p.getMetadata().getAnnotations() != null
                && p.getMetadata().getAnnotations().containsKey(EXPECTED_ANNOTATION);
    }

    private static boolean isDeleteRequested(Pod p) {
        return p != null && p.getMetadata().getAnnotations() != null
                && p.getMetadata().getAnnotations().containsKey(DELETE_REQUESTED_ANNOTATION);
    }

    private void requestDelete(String nodeName, Pod pod, String reason, String message) {
        if (DaemonPods.isTerminating(pod)) {
            return;
        }
        emit(nodeName, pod, PlacementDecision.Action.DELETE, DaemonPods.controllerRefUid(pod), null, reason, message);
        markDeleteRequested(nodeName, pod, now());
    }

    private void markDeleteRequested(String nodeName, Pod pod, Instant now) {
        roomFreed |= FitFootprint.holdsRoom(pod, nodeName);
        Pod marked = annotate(pods.stored(podKey(nodeName, pod)), DELETE_REQUESTED_ANNOTATION, now);
        marked.getMetadata().setDeletionTimestamp(now.toString());
        pods.put(podKey(nodeName, pod), marked);
    }

    private void emit(String nodeName, Pod pod, PlacementDecision.Action action, String dsUid, String hash,
            String reason, String message) {
        boolean create = action == PlacementDecision.Action.CREATE;
        PlacementDecision d = new PlacementDecision(ResourceEvent.SCHEMA_VERSION, UUID.randomUUID().toString(),
                action, nodeName, pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
                create ? null : pod.getMetadata().getUid(), dsUid, hash, reason, message, create ? pod : null);
        context.forward(new Record<>(nodeName, new Output(Topics.PLACEMENT_DECISIONS, EventCodec.encode(d)),
                context.currentSystemTimeMs()));
    }

    private void deletePodsOwnedBy(String dsUid, String dsKey) {
        for (Map.Entry<String, Pod> kv : pods.entries()) {
            if (dsUid.equals(DaemonPods.controllerRefUid(kv.getValue()))) {
                String node = nodeOfPodKey(kv.getKey());
                requestDelete(node, kv.getValue(), REASON_DAEMONSET_DELETED, "DaemonSet " + dsKey + " was deleted");
            }
        }
    }

    // ------------------------------------------------------------------ node states (for status)

    private void publishState(DaemonSet ds, String nodeName, Verdict verdict, String hash) {
        String dsUid = ds.getMetadata().getUid();
        List<Pod> owned = podsOnNode(nodeName).stream().filter(p -> dsUid.equals(DaemonPods.controllerRefUid(p)))
                .toList();
        List<Pod> daemonPods = owned.stream().filter(p -> !isExpected(p)).toList();
        DaemonSetNodeState state = NodeStateSummary.summarize(ds, nodeName, verdict, daemonPods, hash);
        publishIfChanged(states, Topics.DAEMONSET_NODE_STATES, daemonSetKey(ds), nodeName, EventCodec.encode(state));
        publishRollout(ds, nodeName, verdict, hash, owned);
    }

    /** publishIfChanged emits a state only when it differs from the last one emitted for the pair. */
    private void publishIfChanged(SentStates sent, String topic, String dsKey, String nodeName, byte[] bytes) {
        if (sent.changed(dsKey, nodeName, bytes)) {
            context.forward(new Record<>(DaemonSetNodeState.key(dsKey, nodeName), new Output(topic, bytes),
                    context.currentSystemTimeMs()));
        }
    }

    /**
     * forget emits a tombstone for the pair's state. It goes out even when memory does not know of a
     * state sent (one sent before the processor was initialised again); a tombstone for a key the
     * receivers never had changes nothing.
     */
    private void forget(SentStates sent, String topic, String dsKey, String nodeName) {
        sent.forget(dsKey, nodeName);
        context.forward(new Record<>(DaemonSetNodeState.key(dsKey, nodeName), new Output(topic, null),
                context.currentSystemTimeMs()));
    }

    /** forgetStates tombstones the DaemonSet's states on every node of this processor. */
    private void forgetStates(String dsKey) {
        for (Node node : nodes.values()) {
            forget(states, Topics.DAEMONSET_NODE_STATES, dsKey, node.getMetadata().getName());
            forget(rolloutSent, ROLLOUT, dsKey, node.getMetadata().getName());
        }
        states.forgetDaemonSet(dsKey);
        rolloutSent.forgetDaemonSet(dsKey);
    }

    private static String daemonSetKey(DaemonSet ds) {
        return ds.getMetadata().getNamespace() + "/" + ds.getMetadata().getName();
    }

    // ------------------------------------------------------------------ resync

    /**
     * resync repeats decisions pod-service has not confirmed in time ({@link #overdue}; the same pod
     * name, so a repeat can never double a pod: pod-service creates by name only once), and
     * re-evaluates the pairs whose decision can change without new input, which also retries nodes
     * whose failed-pod backoff has passed.
     *
     * <p>Every input re-evaluates the pairs it can change (see {@link #onNode}, {@link #onDaemonSet},
     * {@link #onPod}), and a pair's decision is a function of the node, the DaemonSet, the node's
     * pods, the failed-pod backoff and the time. So between inputs only the pairs that read the time
     * can change ({@link PodsShouldBeOnNode#changesWithTime}), plus the nodes whose pods this resync
     * changed. The first resync after (re)initialisation re-evaluates every pair: it covers anything
     * decided before under other rules, and what memory held of the pairs is gone. So does every
     * {@value #FULL_RESYNC_EVERY}th, as a safety net; such a sweep runs in steps, see {@link #sweepStep}.
     */
    private void resync() {
        Instant now = now();
        Set<String> touched = new HashSet<>();
        List<KeyValue<String, Pod>> overdue = new ArrayList<>();
        for (Map.Entry<String, Pod> kv : pods.entries()) {
            Pod p = kv.getValue();
            Map<String, String> ann = p.getMetadata().getAnnotations();
            if (ann == null) {
                continue;
            }
            for (String marker : List.of(EXPECTED_ANNOTATION, DELETE_REQUESTED_ANNOTATION)) {
                String at = ann.get(marker);
                if (at != null && overdue(Instant.parse(at), now)) {
                    overdue.add(KeyValue.pair(kv.getKey(), p));
                }
            }
        }
        for (KeyValue<String, Pod> kv : overdue) {
            String nodeName = nodeOfPodKey(kv.key);
            touched.add(nodeName);
            Pod p = kv.value;
            Map<String, String> ann = new HashMap<>(p.getMetadata().getAnnotations());
            if (ann.containsKey(EXPECTED_ANNOTATION)) {
                ann.remove(EXPECTED_ANNOTATION);
                Pod again = podToCreateAgain(nodeName, p);
                if (again == null) {
                    // Its DaemonSet is gone or has another template now: the pair is decided anew.
                    pods.delete(kv.key);
                    rememberAttempt(nodeName, p);
                    continue;
                }
                again.getMetadata().setAnnotations(ann.isEmpty() ? null : ann);
                emit(nodeName, again, PlacementDecision.Action.CREATE, DaemonPods.controllerRefUid(p),
                        DaemonPods.revisionHash(p), REASON_CREATED, "Created pod: " + p.getMetadata().getName());
                pods.put(kv.key, PlacementFields.placementView(annotate(again, EXPECTED_ANNOTATION, now)));
            } else if (p.getMetadata().getUid() == null) {
                pods.delete(kv.key); // asked for and deleted before pod-service ever confirmed it: nothing left
                rememberAttempt(nodeName, p);
            } else {
                emit(nodeName, p, PlacementDecision.Action.DELETE, DaemonPods.controllerRefUid(p), null,
                        "DeleteRepeated", "repeating the deletion of " + p.getMetadata().getName());
                pods.put(kv.key, annotate(pods.stored(kv.key), DELETE_REQUESTED_ANNOTATION, now));
            }
        }
        backoff.gc(now);
        boolean everyPair = fullResyncDue(everyPairDue, ++resyncs);
        everyPairDue = false;
        List<DaemonSet> all = daemonSets.values();
        for (Node node : nodes.values()) {
            String nodeName = node.getMetadata().getName();
            boolean wholeNode = touched.contains(nodeName);
            Map<String, List<Pod>> byOwner = wholeNode ? Map.of() : podsByOwner(podsOnNode(nodeName));
            for (DaemonSet ds : all) {
                if (wholeNode || PodsShouldBeOnNode.changesWithTime(
                        byOwner.getOrDefault(ds.getMetadata().getUid(), List.of()))) {
                    reconcile(node, ds);
                }
            }
        }
        if (everyPair && sweepSteps == null) {
            // A sweep still in progress when the next one is due goes on: restarting it would keep
            // the nodes at the end of the key order waiting whenever a sweep takes longer than a minute.
            sweptThrough = null;
            sweepSteps = context.schedule(SWEEP_STEP_INTERVAL, PunctuationType.WALL_CLOCK_TIME, ts -> sweepStep());
            sweepStep();
        }
    }

    /**
     * sweepStep re-evaluates every pair of the nodes after the last one swept, in key order, until
     * the step has run for its budget (at least one node per step); the next step goes on from there.
     * Nodes that join during the sweep are swept when their key comes after the cursor, and decided by
     * their own event either way; nodes that leave are skipped.
     */
    private void sweepStep() {
        if (sweepSteps == null) {
            return;
        }
        long deadline = System.nanoTime() + sweepStepBudget.toNanos();
        List<DaemonSet> all = daemonSets.values();
        String next = nodes.keyAfter(sweptThrough);
        while (next != null) {
            Node node = nodes.get(next);
            for (DaemonSet ds : all) {
                reconcile(node, ds);
            }
            sweptThrough = next;
            next = nodes.keyAfter(next);
            if (next != null && System.nanoTime() - deadline >= 0) {
                return;
            }
        }
        sweepSteps.cancel();
        sweepSteps = null;
        sweptThrough = null;
    }

    /** fullResyncDue: the first resync after (re)initialisation, and every {@link #FULL_RESYNC_EVERY}th. */
    static boolean fullResyncDue(boolean firstAfterInit, int resyncNumber) {
        return firstAfterInit || resyncNumber % FULL_RESYNC_EVERY == 0;
    }

    private static Map<String, List<Pod>> podsByOwner(List<Pod> onNode) {
        Map<String, List<Pod>> out = new HashMap<>();
        for (Pod p : onNode) {
            String owner = DaemonPods.controllerRefUid(p);
            if (owner != null) {
                out.computeIfAbsent(owner, k -> new ArrayList<>()).add(p);
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ helpers

    /** podsOnNode is the node's pods as stored now (decisions taken so far included). */
    private List<Pod> podsOnNode(String nodeName) {
        return pods.inGroup(nodeName);
    }

    static String podKey(String nodeName, Pod pod) {
        return nodeName + "|" + pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    }

    /** nodeOfPodKey is the node name of a {@link #podKey}: the pod store's groups are its nodes. */
    static String nodeOfPodKey(String podKey) {
        return podKey.substring(0, podKey.indexOf('|'));
    }

    private static Pod annotate(Pod pod, String key, Instant at) {
        Map<String, String> ann = pod.getMetadata().getAnnotations() == null ? new HashMap<>()
                : new HashMap<>(pod.getMetadata().getAnnotations());
        ann.put(key, at.toString());
        pod.getMetadata().setAnnotations(ann);
        return pod;
    }

    private Instant now() {
        return Instant.ofEpochMilli(context.currentSystemTimeMs());
    }
}
