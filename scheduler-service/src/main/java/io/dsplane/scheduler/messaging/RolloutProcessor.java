package io.dsplane.scheduler.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import io.dsplane.contracts.event.EventCodec;
import io.dsplane.scheduler.rollout.RolloutGrant;
import io.dsplane.scheduler.rollout.RolloutNodeState;
import io.dsplane.scheduler.rollout.RollingUpdate;

/**
 * RolloutProcessor coordinates the rolling update of each DaemonSet across all its nodes. Its input
 * is keyed by DaemonSet, so one task sees every node of a DaemonSet and the budget (maxUnavailable,
 * maxSurge) holds exactly however many scheduler instances run. It grants nodes their next step;
 * the task owning each node carries it out. Grants in flight count against the budget until the
 * node's state shows them done (or they expire).
 */
public class RolloutProcessor implements Processor<String, byte[], String, byte[]> {

    public static final String STATES = "rollout-states";
    public static final String GRANTS = "rollout-grants";

    /** 200 ms: how often dirty DaemonSets are re-planned; bounds the work during a burst of state changes. */
    private static final Duration PLAN_INTERVAL = Duration.ofMillis(200);
    /** 1 s: how often every DaemonSet is re-planned, so minReadySeconds passing alone moves a rollout on. */
    private static final Duration TICK_INTERVAL = Duration.ofSeconds(1);

    private final Duration grantTimeout;
    private final Set<String> dirty = new LinkedHashSet<>();
    /**
     * Per DaemonSet, the keys of the node states that still report pods of an old template. Almost
     * always empty: then a plan has nothing to roll and returns without decoding the DaemonSet's node
     * states (5,000 of them, once a second, for each DaemonSet of a large fleet). Rebuilt from the
     * store whenever the processor is initialised.
     */
    private final Map<String, Set<String>> withOldPods = new HashMap<>();
    private ProcessorContext<String, byte[]> context;
    private KeyValueStore<String, byte[]> states;
    private KeyValueStore<String, byte[]> grants;

    /** Issued is a grant with the time it was issued, as stored. */
    public record Issued(RolloutGrant grant, Instant at) {
    }

    public RolloutProcessor(Duration grantTimeout) {
        this.grantTimeout = grantTimeout;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.states = context.getStateStore(STATES);
        this.grants = context.getStateStore(GRANTS);
        withOldPods.clear();
        try (KeyValueIterator<String, byte[]> it = states.all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                noteOldPods(kv.key, EventCodec.decode(kv.value, RolloutNodeState.class));
            }
        }
        context.schedule(PLAN_INTERVAL, PunctuationType.WALL_CLOCK_TIME, ts -> planDirty());
        context.schedule(TICK_INTERVAL, PunctuationType.WALL_CLOCK_TIME, ts -> markAllDirty());
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String key = record.key();
        String dsKey = key.substring(0, key.lastIndexOf('|'));
        if (record.value() == null) {
            states.delete(key);
            grants.delete(key);
            noteOldPods(key, null);
        } else {
            RolloutNodeState s = EventCodec.decode(record.value(), RolloutNodeState.class);
            states.put(key, record.value());
            noteOldPods(key, s);
            byte[] g = grants.get(key);
            if (g != null && done(EventCodec.decode(g, Issued.class).grant(), s)) {
                grants.delete(key);
            }
        }
        dirty.add(dsKey);
    }

    private void noteOldPods(String key, RolloutNodeState s) {
        String dsKey = key.substring(0, key.lastIndexOf('|'));
        if (s != null && s.oldPods() > 0) {
            withOldPods.computeIfAbsent(dsKey, k -> new HashSet<>()).add(key);
            return;
        }
        Set<String> keys = withOldPods.get(dsKey);
        if (keys != null && keys.remove(key) && keys.isEmpty()) {
            withOldPods.remove(dsKey);
        }
    }

    private static boolean done(RolloutGrant g, RolloutNodeState s) {
        if (!g.hash().equals(s.hash()) || !g.daemonSetUid().equals(s.daemonSetUid())) {
            return true; // superseded by a newer template
        }
        return g.action() == RolloutGrant.Action.DELETE_OLD ? s.oldPods() == 0 : s.newPods() >= 1;
    }

    /**
     * markAllDirty has every DaemonSet under way planned again by the next round (time alone moves a
     * rollout: minReadySeconds passing, grants expiring). Only DaemonSets with pods of an old template
     * are ever planned ({@link #plan}), so those are the ones marked: walking the whole store for its
     * DaemonSet keys read 100,000 entries a second at 5,000 x 20 (6 % of the scheduler under churn).
     */
    private void markAllDirty() {
        dirty.addAll(withOldPods.keySet());
    }

    private void planDirty() {
        List<String> keys = new ArrayList<>(dirty);
        dirty.clear();
        for (String dsKey : keys) {
            plan(dsKey);
        }
    }

    private void plan(String dsKey) {
        if (!withOldPods.containsKey(dsKey)) {
            return; // no node has pods of an old template: nothing to roll (see the check below)
        }
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        List<RolloutNodeState> all = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = states.prefixScan(dsKey + "|", new StringSerializer())) {
            while (it.hasNext()) {
                all.add(EventCodec.decode(it.next().value, RolloutNodeState.class));
            }
        }
        if (all.isEmpty()) {
            return;
        }
        RolloutNodeState newest = all.stream().max(Comparator.comparingLong(RolloutNodeState::generation)).get();
        List<RolloutNodeState> current = all.stream().filter(s -> s.daemonSetUid().equals(newest.daemonSetUid()))
                .toList();
        if (current.stream().anyMatch(s -> s.generation() != newest.generation())) {
            return; // some node's task has not acted on the newest template yet
        }
        if (current.stream().noneMatch(s -> s.oldPods() > 0)) {
            return; // nothing to roll
        }
        Set<String> pendingDelete = new HashSet<>();
        Set<String> pendingCreate = new HashSet<>();
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = grants.prefixScan(dsKey + "|", new StringSerializer())) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                Issued issued = EventCodec.decode(kv.value, Issued.class);
                if (issued.at().plus(grantTimeout).isBefore(now)) {
                    expired.add(kv.key);
                } else if (issued.grant().action() == RolloutGrant.Action.DELETE_OLD) {
                    pendingDelete.add(issued.grant().nodeName());
                } else {
                    pendingCreate.add(issued.grant().nodeName());
                }
            }
        }
        expired.forEach(grants::delete);
        for (RolloutGrant g : RollingUpdate.rollingUpdate(newest.strategy(), current, pendingDelete, pendingCreate,
                now)) {
            grants.put(dsKey + "|" + g.nodeName(), EventCodec.encode(new Issued(g, now)));
            context.forward(new Record<>(g.nodeName(), EventCodec.encode(g), context.currentSystemTimeMs()));
        }
    }
}
