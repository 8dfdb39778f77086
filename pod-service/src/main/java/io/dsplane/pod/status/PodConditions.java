package io.dsplane.pod.status;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;

/**
 * PodConditions edits the condition list of a pod status the way kubelet and the controllers do:
 * one condition per type, and lastTransitionTime moves only when the status of a condition changes,
 * so a report that repeats what is already known changes nothing (and emits no event).
 */
public final class PodConditions {

    /** Condition set on a pod that is about to be deleted by a disruption (eviction, preemption). */
    public static final String DISRUPTION_TARGET = "DisruptionTarget";
    /** Reason used on DisruptionTarget when an EVICT decision names none: the scheduler preempts. */
    public static final String PREEMPTION_BY_SCHEDULER = "PreemptionByScheduler";
    /** Condition the scheduler sets when it binds (or fails to bind) a pod. */
    public static final String POD_SCHEDULED = "PodScheduled";
    /** Condition an agent sets when every container passes its readiness probe. */
    public static final String READY = "Ready";
    public static final String TRUE = "True";
    public static final String FALSE = "False";
    public static final String UNKNOWN = "Unknown";

    private PodConditions() {
    }

    /** find returns the condition of a type, or null. */
    public static PodCondition find(List<PodCondition> conditions, String type) {
        if (conditions == null) {
            return null;
        }
        for (PodCondition c : conditions) {
            if (c != null && Objects.equals(type, c.getType())) {
                return c;
            }
        }
        return null;
    }

    /**
     * setCondition returns a new list in which {@code condition} replaces the condition of the same type
     * (or is appended). When the status is unchanged and the new condition carries no
     * lastTransitionTime, the old time is kept; when the status changes and none is given, it is
     * {@code now}. The input list is not modified.
     */
    public static List<PodCondition> setCondition(List<PodCondition> conditions, PodCondition condition,
            Instant now) {
        List<PodCondition> out = new ArrayList<>();
        boolean replaced = false;
        if (conditions != null) {
            for (PodCondition c : conditions) {
                if (c == null) {
                    continue;
                }
                if (!replaced && Objects.equals(c.getType(), condition.getType())) {
                    out.add(withTransitionTime(condition, c, now));
                    replaced = true;
                } else {
                    out.add(c);
                }
            }
        }
        if (!replaced) {
            out.add(withTransitionTime(condition, null, now));
        }
        return out;
    }

    private static PodCondition withTransitionTime(PodCondition next, PodCondition previous, Instant now) {
        PodCondition copy = new PodConditionBuilder(next).build();
        if (copy.getLastTransitionTime() == null || copy.getLastTransitionTime().isEmpty()) {
            boolean unchanged = previous != null && Objects.equals(previous.getStatus(), copy.getStatus());
            copy.setLastTransitionTime(unchanged ? previous.getLastTransitionTime() : timestamp(now));
        }
        return copy;
    }

    /** disruptionTarget builds DisruptionTarget=True with the reason (PreemptionByScheduler when blank) and message. */
    public static PodCondition disruptionTarget(String reason, String message) {
        return new PodConditionBuilder().withType(DISRUPTION_TARGET).withStatus(TRUE)
                .withReason(reason == null || reason.isBlank() ? PREEMPTION_BY_SCHEDULER : reason)
                .withMessage(message).build();
    }

    /** scheduled builds PodScheduled=True, which a bind leaves on the pod (replacing Unschedulable). */
    public static PodCondition scheduled() {
        return new PodConditionBuilder().withType(POD_SCHEDULED).withStatus(TRUE).build();
    }

    /** timestamp renders a time as Kubernetes does in conditions: RFC 3339, whole seconds, UTC. */
    public static String timestamp(Instant now) {
        return now == null ? null : now.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
