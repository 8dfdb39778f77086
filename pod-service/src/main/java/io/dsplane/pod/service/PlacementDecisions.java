package io.dsplane.pod.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.dsplane.contracts.api.ApiException;
import io.dsplane.contracts.api.Statuses;
import io.dsplane.contracts.event.DerivedNames;
import io.dsplane.contracts.event.PlacementDecision;
import io.dsplane.contracts.registry.ObjectRegistry;
import io.dsplane.contracts.registry.RegistryRows;
import io.dsplane.pod.lifecycle.OwnerReferences;
import io.dsplane.pod.status.PodConditions;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * PlacementDecisions applies the scheduler's decisions to the pods, idempotently: each decision id is
 * recorded in processed_messages in the transaction that applies it, so a redelivered decision is
 * skipped, and a CREATE whose pod already exists changes nothing. A batch costs a constant number of
 * statements for its CREATEs (the bulk of a cold start or a new DaemonSet), whatever its size. A decision the registry rejects
 * (e.g. an invalid pod) is reported as {@link Result#REJECTED} with the Status message and its id is
 * forgotten again, so that the same decision can be applied once it has been fixed and replayed.
 */
@ApplicationScoped
public class PlacementDecisions {

    /** The consumer name under which applied decision ids are recorded. */
    public static final String CONSUMER = "pod-service/decisions";

    /** Result says what applying one decision did. */
    public enum Result {
        /** The pods changed. */
        APPLIED,
        /**
         * Nothing to do: the pod exists already (CREATE), is gone, terminating or another incarnation
         * (every other action), or already is as the decision wants it.
         */
        NOTHING_TO_DO,
        /** The decision id was applied before. */
        DUPLICATE,
        /** The registry refused the change; the reason is the Status message. */
        REJECTED,
        /** Applying the decision failed for a reason other than the registry's. */
        FAILED
    }

    /** Outcome of one decision; {@code reason} and {@code cause} are set for REJECTED and FAILED. */
    public record Outcome(Result result, String reason, String cause) {
        static Outcome of(Result result) {
            return new Outcome(result, null, null);
        }

        public static Outcome failed(String reason, String cause) {
            return new Outcome(Result.FAILED, reason, cause);
        }

        public boolean parked() {
            return result == Result.REJECTED || result == Result.FAILED;
        }
    }

    @Inject
    PodRegistry pods;

    @Inject
    TerminatingPods termination;

    /**
     * applyAll applies the decisions in order in ONE new transaction and returns one outcome per
     * decision. Throws (having rolled everything back) when the transaction cannot complete.
     */
    public List<Outcome> applyAll(List<PlacementDecision> decisions) {
        return QuarkusTransaction.requiringNew().call(() -> applyInTransaction(decisions, Instant.now()));
    }

    /** applyOne applies one decision in its own new transaction. */
    public Outcome applyOne(PlacementDecision decision) {
        return applyAll(List.of(decision)).get(0);
    }

    /**
     * applyInTransaction records the batch's decision ids in one statement, then applies the decisions
     * in order. Consecutive CREATEs are gathered and stored together ({@link Creates}): one lookup of the
     * names, one block of resourceVersions, one batch of rows and events. A CREATE of a name the group
     * already holds, or any other action, first stores the group, so every decision sees the effect of
     * the ones before it.
     */
    private List<Outcome> applyInTransaction(List<PlacementDecision> decisions, Instant now) {
        Set<String> fresh = RegistryRows.firstTimeAll(CONSUMER, decisions.stream().map(PlacementDecision::decisionId)
                .toList());
        Outcome[] outcomes = new Outcome[decisions.size()];
        List<String> refused = new ArrayList<>();
        Creates creates = new Creates(outcomes, refused);
        for (int i = 0; i < decisions.size(); i++) {
            PlacementDecision d = decisions.get(i);
            if (!fresh.remove(d.decisionId())) {
                outcomes[i] = Outcome.of(Result.DUPLICATE);
            } else if (d.action() == PlacementDecision.Action.CREATE) {
                creates.add(i, d);
            } else {
                creates.store();
                outcomes[i] = applyOther(d, now, refused);
            }
        }
        creates.store();
        // A refused decision is forgotten again, so that it can be applied once it has been fixed and replayed.
        RegistryRows.forget(CONSUMER, refused);
        return List.of(outcomes);
    }

    private Outcome applyOther(PlacementDecision d, Instant now, List<String> refused) {
        try {
            boolean changed = switch (d.action()) {
                case CREATE -> throw new IllegalArgumentException("CREATE decisions are applied in groups");
                case DELETE -> delete(d, now);
                case EVICT -> evict(d, now);
                case BIND -> bind(d, now);
                case ADOPT -> adopt(d);
                case RELEASE -> release(d);
            };
            return Outcome.of(changed ? Result.APPLIED : Result.NOTHING_TO_DO);
        } catch (ApiException e) {
            // The registry validates before it writes, so nothing of this decision is stored.
            refused.add(d.decisionId());
            return rejected(e);
        }
    }

    private static Outcome rejected(ApiException e) {
        return new Outcome(Result.REJECTED, e.getMessage(), e.status().getReason());
    }

    /**
     * Creates is a group of CREATE decisions waiting to be stored together. Each materializes the
     * decision's pod under the decision's namespace/name unless it exists. Derived names are short and
     * can collide: when a different pod (another DaemonSet's, another node's, a user's) holds the name,
     * the pod is created under a generated name of the same prefix, annotated with the requested name,
     * and a repeat of the decision finds that pod by its annotation.
     */
    private final class Creates {
        private final Outcome[] outcomes;
        private final List<String> refused;
        private final List<Integer> indexes = new ArrayList<>();
        private final List<PlacementDecision> pending = new ArrayList<>();
        private final Set<String> names = new HashSet<>();

        Creates(Outcome[] outcomes, List<String> refused) {
            this.outcomes = outcomes;
            this.refused = refused;
        }

        void add(int index, PlacementDecision d) {
            if (!names.add(pods.internal().key(d.podNamespace(), d.podName()))) {
                store(); // the same name twice: the second must see the first
                names.add(pods.internal().key(d.podNamespace(), d.podName()));
            }
            indexes.add(index);
            pending.add(d);
        }

        void store() {
            if (pending.isEmpty()) {
                return;
            }
            ObjectRegistry<Pod> registry = pods.internal();
            Map<String, Pod> holders = registry.findAll(pending.stream()
                    .map(d -> new String[] {d.podNamespace(), d.podName()}).toList());
            List<Integer> toCreate = new ArrayList<>();
            List<PlacementDecision> toCreateDecisions = new ArrayList<>();
            List<Pod> newPods = new ArrayList<>();
            for (int j = 0; j < pending.size(); j++) {
                PlacementDecision d = pending.get(j);
                int index = indexes.get(j);
                Pod holder = holders.get(registry.key(d.podNamespace(), d.podName()));
                if (holder == null) {
                    toCreate.add(index);
                    toCreateDecisions.add(d);
                    newPods.add(podOf(d, d.podName(), null));
                } else if (isDecidedPod(d, holder)) {
                    outcomes[index] = Outcome.of(Result.NOTHING_TO_DO);
                } else {
                    outcomes[index] = createUnderGeneratedName(d);
                }
            }
            List<ObjectRegistry.Created<Pod>> created = registry.createAll(newPods);
            for (int j = 0; j < created.size(); j++) {
                int index = toCreate.get(j);
                ApiException error = created.get(j).error();
                if (error == null) {
                    outcomes[index] = Outcome.of(Result.APPLIED);
                } else if (Statuses.ALREADY_EXISTS.equals(error.status().getReason())) {
                    outcomes[index] = takenMeanwhile(toCreateDecisions.get(j));
                } else {
                    refused.add(toCreateDecisions.get(j).decisionId());
                    outcomes[index] = rejected(error);
                }
            }
            indexes.clear();
            pending.clear();
            names.clear();
        }

        /**
         * takenMeanwhile answers a decision whose name was free at the lookup and taken when its insert
         * ran (a client's create committed in between): as when the holder had been seen at the lookup.
         */
        private Outcome takenMeanwhile(PlacementDecision d) {
            Optional<Pod> holder = pods.internal().find(d.podNamespace(), d.podName());
            if (holder.isPresent() && isDecidedPod(d, holder.get())) {
                return Outcome.of(Result.NOTHING_TO_DO);
            }
            return createUnderGeneratedName(d);
        }

        /**
         * createUnderGeneratedName is the collision path: rare, so one pod at a time. The pod goes under
         * the first of {@link #fallbackName}'s names that is free or already holds it; each is one
         * lookup by name, and a repeat of the decision walks the same names and finds the pod it made.
         */
        private Outcome createUnderGeneratedName(PlacementDecision d) {
            ObjectRegistry<Pod> registry = pods.internal();
            for (int attempt = 1; attempt <= MAX_FALLBACK_NAMES; attempt++) {
                String name = fallbackName(d, attempt);
                Optional<Pod> holder = registry.find(d.podNamespace(), name);
                if (holder.isEmpty()) {
                    try {
                        registry.create(d.podNamespace(), podOf(d, name, d.podName()));
                        return Outcome.of(Result.APPLIED);
                    } catch (ApiException e) {
                        if (!Statuses.ALREADY_EXISTS.equals(e.status().getReason())) {
                            refused.add(d.decisionId());
                            return rejected(e);
                        }
                        holder = registry.find(d.podNamespace(), name); // taken meanwhile: by whom?
                    }
                }
                if (holder.isPresent() && isDecidedPod(d, holder.get())
                        && d.podName().equals(annotation(holder.get(), PlacementDecision.REQUESTED_NAME_ANNOTATION))) {
                    return Outcome.of(Result.NOTHING_TO_DO);
                }
            }
            refused.add(d.decisionId());
            return rejected(Statuses.alreadyExists("", "pods", d.podName() + " (and its " + MAX_FALLBACK_NAMES
                    + " fallback names)"));
        }
    }

    /** 8: fallback names tried for one decision; other pods holding all of them is beyond chance. */
    static final int MAX_FALLBACK_NAMES = 8;

    /**
     * fallbackName is the name a decision's pod takes when another pod holds the decided name: the
     * controller's name (as generateName would use it) with a suffix derived from the decision's
     * DaemonSet, node, decided name and the attempt. Deterministic, so a repeat finds the pod by name.
     */
    public static String fallbackName(PlacementDecision d, int attempt) {
        return DerivedNames.prefix(controllerName(d)) + DerivedNames.suffix("fallback", d.daemonSetUid(),
                d.nodeName(), d.podName(), Integer.toString(attempt));
    }

    /**
     * podOf is the decision's pod, to be created in its namespace under {@code name}; when that is not
     * the decided name, it is annotated with the decided one ({@code requestedName}).
     */
    private static Pod podOf(PlacementDecision d, String name, String requestedName) {
        Pod pod = d.pod();
        ObjectMeta meta = pod.getMetadata() == null ? new ObjectMeta() : pod.getMetadata();
        meta.setNamespace(d.podNamespace());
        meta.setUid(null);
        meta.setResourceVersion(null);
        meta.setName(name);
        meta.setGenerateName(null);
        if (requestedName != null) {
            Map<String, String> annotations = meta.getAnnotations() == null ? new HashMap<>()
                    : new HashMap<>(meta.getAnnotations());
            annotations.put(PlacementDecision.REQUESTED_NAME_ANNOTATION, requestedName);
            meta.setAnnotations(annotations);
        }
        pod.setMetadata(meta);
        return pod;
    }

    /**
     * isDecidedPod is true when {@code existing} is the pod this CREATE asks for (made by an earlier
     * delivery of it): same controller and same node. Anything else holding the name is a collision.
     */
    private static boolean isDecidedPod(PlacementDecision d, Pod existing) {
        return d.daemonSetUid() != null && d.daemonSetUid().equals(OwnerReferences.controllerUid(existing))
                && d.nodeName() != null && d.nodeName().equals(targetNode(existing));
    }

    /** targetNode is the node a pod is bound to, or pinned to by its matchFields metadata.name term. */
    private static String targetNode(Pod pod) {
        if (pod.getSpec() == null) {
            return null;
        }
        if (pod.getSpec().getNodeName() != null && !pod.getSpec().getNodeName().isEmpty()) {
            return pod.getSpec().getNodeName();
        }
        var required = Optional.ofNullable(pod.getSpec().getAffinity()).map(a -> a.getNodeAffinity())
                .map(n -> n.getRequiredDuringSchedulingIgnoredDuringExecution());
        for (var term : required.map(r -> r.getNodeSelectorTerms()).orElse(List.of())) {
            for (var field : Optional.ofNullable(term.getMatchFields()).orElse(List.of())) {
                if ("metadata.name".equals(field.getKey()) && "In".equals(field.getOperator())
                        && field.getValues() != null && field.getValues().size() == 1) {
                    return field.getValues().get(0);
                }
            }
        }
        return null;
    }

    /** controllerName is the name of the decided pod's controller, or the decided name without one. */
    private static String controllerName(PlacementDecision d) {
        Pod pod = d.pod();
        return pod == null || pod.getMetadata() == null || pod.getMetadata().getOwnerReferences() == null ? d.podName()
                : pod.getMetadata().getOwnerReferences().stream().filter(r -> Boolean.TRUE.equals(r.getController()))
                        .map(r -> r.getName()).findFirst().orElse(d.podName());
    }

    private static String annotation(Pod pod, String key) {
        return pod.getMetadata().getAnnotations() == null ? null : pod.getMetadata().getAnnotations().get(key);
    }

    /**
     * delete removes the pod, or starts its graceful deletion ({@link TerminatingPods#delete}); a pod
     * that is already terminating is left to finish. Only the incarnation the decision names is touched.
     */
    private boolean delete(PlacementDecision d, Instant now) {
        Optional<Pod> current = pods.internal().find(d.podNamespace(), d.podName());
        if (current.isEmpty() || !sameIncarnation(d, current.get()) || isTerminating(current.get())) {
            return false;
        }
        return termination.delete(d.podNamespace(), d.podName(), current.get().getMetadata().getUid(), null,
                PlacementDecision.REASON_NODE_DELETED.equals(d.reason()), now).isPresent();
    }

    /**
     * evict marks the pod DisruptionTarget=True (one MODIFIED event, so watchers learn why the pod goes
     * away) and then deletes it as {@link #delete} does, in the same transaction.
     */
    private boolean evict(PlacementDecision d, Instant now) {
        ObjectRegistry<Pod> registry = pods.internal();
        Optional<Pod> current = registry.find(d.podNamespace(), d.podName());
        if (current.isEmpty() || !sameIncarnation(d, current.get()) || isTerminating(current.get())) {
            return false;
        }
        String uid = current.get().getMetadata().getUid();
        registry.modify(d.podNamespace(), d.podName(), pod -> {
            PodStatus status = pod.getStatus() == null ? new PodStatus() : pod.getStatus();
            status.setConditions(PodConditions.setCondition(status.getConditions(),
                    PodConditions.disruptionTarget(d.reason(), d.message()), now));
            pod.setStatus(status);
            return pod;
        });
        return termination.delete(d.podNamespace(), d.podName(), uid, null, false, now).isPresent();
    }

    /** bind sets spec.nodeName of a pending, unbound pod and marks it PodScheduled=True. */
    private boolean bind(PlacementDecision d, Instant now) {
        return changed(d, pod -> {
            if (pod.getSpec() == null || (pod.getSpec().getNodeName() != null && !pod.getSpec().getNodeName().isEmpty())) {
                return null; // bound already: a binding is never moved
            }
            pod.getSpec().setNodeName(d.nodeName());
            PodStatus status = pod.getStatus() == null ? new PodStatus() : pod.getStatus();
            status.setConditions(PodConditions.setCondition(status.getConditions(),
                    PodConditions.scheduled(), now));
            pod.setStatus(status);
            return pod;
        });
    }

    /** adopt makes the decision's DaemonSet the controller of a pod that has no controller. */
    private boolean adopt(PlacementDecision d) {
        return changed(d, pod -> OwnerReferences.adopt(pod, d.daemonSetUid(), d.message()) ? pod : null);
    }

    /** release removes the decision's DaemonSet from the owner references of a pod. */
    private boolean release(PlacementDecision d) {
        return changed(d, pod -> OwnerReferences.release(pod, d.daemonSetUid()) ? pod : null);
    }

    /** changed applies {@code change} to the named incarnation of a live pod; true if something was stored. */
    private boolean changed(PlacementDecision d, java.util.function.UnaryOperator<Pod> change) {
        ObjectRegistry<Pod> registry = pods.internal();
        Optional<Pod> current = registry.find(d.podNamespace(), d.podName());
        if (current.isEmpty() || !sameIncarnation(d, current.get()) || isTerminating(current.get())) {
            return false;
        }
        String before = current.get().getMetadata().getResourceVersion();
        return registry.modify(d.podNamespace(), d.podName(), change)
                .map(p -> !before.equals(p.getMetadata().getResourceVersion())).orElse(false);
    }

    private static boolean sameIncarnation(PlacementDecision d, Pod pod) {
        return d.podUid() == null || d.podUid().equals(pod.getMetadata().getUid());
    }

    private static boolean isTerminating(Pod pod) {
        return pod.getMetadata().getDeletionTimestamp() != null;
    }
}
