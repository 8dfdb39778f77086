package io.dsplane.pod.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.dsplane.contracts.api.ApiException;
import io.dsplane.contracts.event.PlacementDecision;
import io.dsplane.contracts.registry.ObjectRegistry;
import io.dsplane.contracts.registry.ProcessedMessage;
import io.dsplane.pod.lifecycle.OwnerReferences;
import io.dsplane.pod.status.PodConditions;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * PlacementDecisions applies the scheduler's decisions to the pods, idempotently: each decision id is
 * recorded in processed_messages in the transaction that applies it, so a redelivered decision is
 * skipped, and a CREATE whose pod already exists changes nothing. A decision the registry rejects
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
        return QuarkusTransaction.requiringNew().call(() -> {
            List<Outcome> outcomes = new ArrayList<>(decisions.size());
            Instant now = Instant.now();
            for (PlacementDecision d : decisions) {
                outcomes.add(applyInTransaction(d, now));
            }
            return outcomes;
        });
    }

    /** applyOne applies one decision in its own new transaction. */
    public Outcome applyOne(PlacementDecision decision) {
        return QuarkusTransaction.requiringNew().call(() -> applyInTransaction(decision, Instant.now()));
    }

    private Outcome applyInTransaction(PlacementDecision d, Instant now) {
        if (!ProcessedMessage.firstTime(CONSUMER, d.decisionId())) {
            return Outcome.of(Result.DUPLICATE);
        }
        try {
            boolean changed = switch (d.action()) {
                case CREATE -> create(d);
                case DELETE -> delete(d, now);
                case EVICT -> evict(d, now);
                case BIND -> bind(d, now);
                case ADOPT -> adopt(d);
                case RELEASE -> release(d);
            };
            return Outcome.of(changed ? Result.APPLIED : Result.NOTHING_TO_DO);
        } catch (ApiException e) {
            // The registry validates before it writes, so nothing of this decision is stored.
            forget(d.decisionId());
            return new Outcome(Result.REJECTED, e.getMessage(), e.status().getReason());
        }
    }

    /**
     * create materializes the decision's pod under the decision's namespace/name unless it exists.
     * Derived names are short and can collide: when a different pod (another DaemonSet's, another
     * node's, a user's) holds the name, the pod is created under a generated name of the same prefix,
     * annotated with the requested name, and a repeat of the decision finds that pod by its annotation.
     */
    private boolean create(PlacementDecision d) {
        ObjectRegistry<Pod> registry = pods.internal();
        Optional<Pod> holder = registry.find(d.podNamespace(), d.podName());
        if (holder.isPresent() && isDecidedPod(d, holder.get())) {
            return false;
        }
        Pod pod = d.pod();
        ObjectMeta meta = pod.getMetadata() == null ? new ObjectMeta() : pod.getMetadata();
        meta.setNamespace(d.podNamespace());
        meta.setUid(null);
        meta.setResourceVersion(null);
        if (holder.isEmpty()) {
            meta.setName(d.podName());
            meta.setGenerateName(null);
        } else {
            boolean createdBefore = d.daemonSetUid() != null && registry.findByOwnerUid(d.daemonSetUid()).stream()
                    .anyMatch(p -> d.podName().equals(annotation(p, PlacementDecision.REQUESTED_NAME_ANNOTATION)));
            if (createdBefore) {
                return false;
            }
            Map<String, String> annotations = meta.getAnnotations() == null ? new HashMap<>()
                    : new HashMap<>(meta.getAnnotations());
            annotations.put(PlacementDecision.REQUESTED_NAME_ANNOTATION, d.podName());
            meta.setAnnotations(annotations);
            meta.setName(null);
            meta.setGenerateName(generatePrefix(d, pod));
        }
        pod.setMetadata(meta);
        registry.create(d.podNamespace(), pod);
        return true;
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

    /** generatePrefix is generateName's base for the pod: its controller's name and a dash (cut by the registry). */
    private static String generatePrefix(PlacementDecision d, Pod pod) {
        return pod.getMetadata().getOwnerReferences() == null ? d.podName() + "-"
                : pod.getMetadata().getOwnerReferences().stream().filter(r -> Boolean.TRUE.equals(r.getController()))
                        .map(r -> r.getName() + "-").findFirst().orElse(d.podName() + "-");
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

    private static void forget(String decisionId) {
        ProcessedMessage.getEntityManager()
                .createNativeQuery("DELETE FROM processed_messages WHERE consumer = ?1 AND message_id = ?2")
                .setParameter(1, CONSUMER).setParameter(2, decisionId).executeUpdate();
    }
}
