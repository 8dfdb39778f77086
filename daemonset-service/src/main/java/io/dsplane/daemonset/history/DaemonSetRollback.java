package io.dsplane.daemonset.history;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.dsplane.contracts.api.KubeJson;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;

/**
 * DaemonSetRollback is what {@code kubectl rollout undo daemonset} decides on the client side
 * (kubernetes-semantics.md §3.4): which revision to go back to ({@link #findHistory}) and the template
 * it holds ({@link #templateOf}). Applying it is an ordinary template update; the revision history then
 * renumbers that revision instead of creating a new one. Plain Java, table-tested.
 */
public final class DaemonSetRollback {

    private DaemonSetRollback() {
    }

    /**
     * findHistory returns the revision numbered {@code toRevision}, or for 0 the previous one: the
     * second-highest number (the highest is the current revision). Empty when there is no such revision.
     */
    public static Optional<ControllerRevision> findHistory(long toRevision, List<ControllerRevision> history) {
        if (toRevision > 0) {
            return history.stream().filter(r -> ControllerHistory.revision(r) == toRevision).findFirst();
        }
        if (history.size() < 2) {
            return Optional.empty();
        }
        List<ControllerRevision> sorted = new ArrayList<>(history);
        sorted.sort(Comparator.comparingLong(ControllerHistory::revision));
        return Optional.of(sorted.get(sorted.size() - 2));
    }

    /**
     * notFoundMessage is kubectl's wording when {@link #findHistory} finds nothing: it names the revision,
     * or says there is no previous one.
     */
    public static String notFoundMessage(long toRevision) {
        return toRevision > 0 ? "unable to find specified revision " + toRevision + " in history"
                : "no last revision to roll back to";
    }

    /**
     * templateOf reads the pod template a revision stores ({@code data.spec.template} without the
     * {@code $patch} directive).
     *
     * @throws IllegalArgumentException when the data holds no template
     */
    public static PodTemplateSpec templateOf(ControllerRevision revision) {
        JsonNode template = ControllerHistory.canonical(revision.getData()).path("spec").path("template");
        if (!template.isObject()) {
            throw new IllegalArgumentException("revision " + revision.getMetadata().getName()
                    + " holds no spec.template");
        }
        ObjectNode copy = ((ObjectNode) template).deepCopy();
        copy.remove(ControllerHistory.PATCH_DIRECTIVE);
        return KubeJson.json().convertValue(copy, PodTemplateSpec.class);
    }
}
