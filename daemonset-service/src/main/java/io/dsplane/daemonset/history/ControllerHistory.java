package io.dsplane.daemonset.history;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.dsplane.contracts.api.KubeBodies;
import io.dsplane.contracts.api.KubeJson;
import io.dsplane.contracts.event.TemplateHash;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;

/**
 * ControllerHistory is the DaemonSet controller's revision history (kubernetes-semantics.md §3.4):
 * {@link #match}, {@link #constructHistory} (with {@code snapshot} and {@code dedupCurHistories}) and
 * {@link #cleanupHistory}. Plain Java: it decides which revisions to create, renumber and delete; the
 * caller does the writes in the transaction of the DaemonSet write.
 *
 * <p>A revision stores the template as a patch that puts it back ({@link #getPatch}), so a rollback
 * is "apply the revision's data", and the revision whose data equals the DaemonSet's current patch is
 * the current revision. Putting an old template back therefore makes the old revision current again;
 * it is renumbered to the next number instead of being created anew, and its pods, which still carry
 * its hash, count as updated.
 */
public final class ControllerHistory {

    /**
     * The label carrying a revision's hash on the revision and on every pod made from it
     * ({@code apps.DefaultDaemonSetUniqueLabelKey}); the scheduler computes the same value.
     */
    public static final String DEFAULT_DAEMONSET_UNIQUE_LABEL_KEY = "controller-revision-hash";
    /** The strategic-merge-patch directive that makes a patch replace spec.template instead of merging into it. */
    static final String PATCH_DIRECTIVE = "$patch";
    static final String REPLACE = "replace";
    /** 10: apps/v1's default spec.revisionHistoryLimit, also used when a stored DaemonSet lacks it. */
    public static final int DEFAULT_REVISION_HISTORY_LIMIT = 10;

    private ControllerHistory() {
    }

    /**
     * History is what {@link #constructHistory} decided.
     *
     * @param current    the current revision as it will be stored (the new snapshot, or the matching
     *                   revision, renumbered if needed)
     * @param old        every other owned revision that stays (duplicates excluded)
     * @param create     the snapshot to create, or null when a revision already matches
     * @param renumber   the matching revision with its new revision number, or null when it keeps its number
     * @param duplicates other revisions matching the template, to delete (dedupCurHistories)
     */
    public record History(ControllerRevision current, List<ControllerRevision> old, ControllerRevision create,
            ControllerRevision renumber, List<ControllerRevision> duplicates) {
    }

    /**
     * getPatch is the data of the revision for the DaemonSet's current template:
     * {@code {"spec":{"template":<template with "$patch":"replace">}}}, the patch that puts this template
     * back into a DaemonSet.
     */
    public static ObjectNode getPatch(DaemonSet ds) {
        PodTemplateSpec template = ds.getSpec() == null ? null : ds.getSpec().getTemplate();
        JsonNode tree = canonical(template == null ? new PodTemplateSpec() : template);
        ObjectNode templateNode = tree.isObject() ? (ObjectNode) tree : KubeJson.json().createObjectNode();
        templateNode.put(PATCH_DIRECTIVE, REPLACE);
        ObjectNode patch = KubeJson.json().createObjectNode();
        patch.putObject("spec").set("template", templateNode);
        return patch;
    }

    /**
     * match tells whether a revision holds the DaemonSet's current template. Upstream compares the raw
     * bytes of Go's JSON encoding, whose map keys are sorted; here both sides are compared as JSON
     * values, which is the same test without depending on the order of map entries.
     */
    public static boolean match(DaemonSet ds, ControllerRevision revision) {
        return revision.getData() != null && canonical(revision.getData()).equals(getPatch(ds));
    }

    /**
     * constructHistory splits the owned revisions into the current one and the old ones. When none
     * matches, a {@link #snapshot} numbered one above the highest old revision is to be created; when
     * one matches with a lower number (a rollback, or a template changed back), it is renumbered to that
     * number; when several match, the highest-numbered one (the later one on a tie) is kept and the others
     * are deleted.
     *
     * @param owned the revisions whose controller is this DaemonSet
     */
    public static History constructHistory(DaemonSet ds, List<ControllerRevision> owned) {
        List<ControllerRevision> current = new ArrayList<>();
        List<ControllerRevision> old = new ArrayList<>();
        for (ControllerRevision revision : owned) {
            (match(ds, revision) ? current : old).add(revision);
        }
        long currRevision = maxRevision(old) + 1;
        if (current.isEmpty()) {
            ControllerRevision snapshot = snapshot(ds, currRevision, hash(ds));
            return new History(snapshot, old, snapshot, null, List.of());
        }
        ControllerRevision kept = current.get(0);
        for (ControllerRevision candidate : current) {
            if (revision(candidate) >= revision(kept)) {
                kept = candidate;
            }
        }
        List<ControllerRevision> duplicates = new ArrayList<>(current);
        duplicates.remove(kept);
        if (revision(kept) < currRevision) {
            ControllerRevision renumbered = copy(kept);
            renumbered.setRevision(currRevision);
            return new History(renumbered, old, null, renumbered, duplicates);
        }
        return new History(kept, old, null, null, duplicates);
    }

    /**
     * snapshot is a new revision of the DaemonSet's current template: named {@code <ds>-<hash>}, the
     * template's labels plus the hash label, the DaemonSet's annotations, and the DaemonSet as controller.
     */
    public static ControllerRevision snapshot(DaemonSet ds, long revision, String hash) {
        ObjectMeta dsMeta = ds.getMetadata();
        Map<String, String> labels = new LinkedHashMap<>();
        PodTemplateSpec template = ds.getSpec() == null ? null : ds.getSpec().getTemplate();
        if (template != null && template.getMetadata() != null && template.getMetadata().getLabels() != null) {
            labels.putAll(template.getMetadata().getLabels());
        }
        labels.put(DEFAULT_DAEMONSET_UNIQUE_LABEL_KEY, hash);
        ObjectMeta meta = new ObjectMeta();
        meta.setName(dsMeta.getName() + "-" + hash);
        meta.setNamespace(dsMeta.getNamespace());
        meta.setLabels(labels);
        if (dsMeta.getAnnotations() != null && !dsMeta.getAnnotations().isEmpty()) {
            meta.setAnnotations(new LinkedHashMap<>(dsMeta.getAnnotations()));
        }
        meta.setOwnerReferences(List.of(controllerRef(ds)));
        ControllerRevision rev = new ControllerRevision();
        rev.setApiVersion("apps/v1");
        rev.setKind("ControllerRevision");
        rev.setMetadata(meta);
        rev.setData(KubeJson.json().convertValue(getPatch(ds), Object.class));
        rev.setRevision(revision);
        return rev;
    }

    /** controllerRef is the ownerReference that makes the DaemonSet the controller of a revision. */
    public static OwnerReference controllerRef(DaemonSet ds) {
        return new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("DaemonSet")
                .withName(ds.getMetadata().getName()).withUid(ds.getMetadata().getUid()).withController(true)
                .withBlockOwnerDeletion(true).build();
    }

    /** hash is the controller-revision-hash of the DaemonSet's current template and collision count. */
    public static String hash(DaemonSet ds) {
        Integer collisionCount = ds.getStatus() == null ? null : ds.getStatus().getCollisionCount();
        return TemplateHash.computeHash(ds.getSpec() == null ? null : ds.getSpec().getTemplate(), collisionCount);
    }

    /**
     * cleanupHistory returns the old revisions to delete so that at most spec.revisionHistoryLimit
     * remain: lowest revision numbers first, skipping every revision whose hash a pod still carries
     * (deleting it would lose the template those pods run). The current revision is not among
     * {@code old}, so it is never deleted. Fewer than the excess are deleted when too many are in use.
     *
     * @param liveHashes controller-revision-hash of every pod of the DaemonSet
     */
    public static List<ControllerRevision> cleanupHistory(DaemonSet ds, Collection<ControllerRevision> old,
            Set<String> liveHashes) {
        int toKill = old.size() - revisionHistoryLimit(ds);
        if (toKill <= 0) {
            return List.of();
        }
        List<ControllerRevision> ascending = new ArrayList<>(old);
        ascending.sort(Comparator.comparingLong(ControllerHistory::revision));
        List<ControllerRevision> delete = new ArrayList<>();
        for (ControllerRevision revision : ascending) {
            if (delete.size() >= toKill) {
                break;
            }
            if (!liveHashes.contains(hashOf(revision))) {
                delete.add(revision);
            }
        }
        return delete;
    }

    /** needsCleanup tells whether {@link #cleanupHistory} could delete anything, before looking up pod hashes. */
    public static boolean needsCleanup(DaemonSet ds, Collection<ControllerRevision> old) {
        return old.size() > revisionHistoryLimit(ds);
    }

    /** revisionHistoryLimit is spec.revisionHistoryLimit, 10 when unset; a negative value counts as 0. */
    public static int revisionHistoryLimit(DaemonSet ds) {
        Integer limit = ds.getSpec() == null ? null : ds.getSpec().getRevisionHistoryLimit();
        return limit == null ? DEFAULT_REVISION_HISTORY_LIMIT : Math.max(0, limit);
    }

    /** maxRevision is the highest revision number, 0 for none. */
    public static long maxRevision(Collection<ControllerRevision> revisions) {
        long max = 0;
        for (ControllerRevision r : revisions) {
            max = Math.max(max, revision(r));
        }
        return max;
    }

    /** hashOf is the revision's controller-revision-hash label, or its name when the label is missing. */
    public static String hashOf(ControllerRevision revision) {
        ObjectMeta meta = revision.getMetadata();
        String hash = meta.getLabels() == null ? null : meta.getLabels().get(DEFAULT_DAEMONSET_UNIQUE_LABEL_KEY);
        return hash == null ? meta.getName() : hash;
    }

    static long revision(ControllerRevision revision) {
        return revision.getRevision() == null ? 0 : revision.getRevision();
    }

    private static ControllerRevision copy(ControllerRevision revision) {
        return KubeBodies.convert(KubeBodies.toTree(revision), ControllerRevision.class);
    }

    /**
     * canonical renders a value as the JSON tree read back from its text, so that numbers compare by
     * value whatever Java type held them (a Long field and an Integer read from storage).
     */
    static JsonNode canonical(Object value) {
        try {
            return KubeJson.json().readTree(KubeBodies.write(value));
        } catch (IOException e) {
            throw new IllegalStateException("cannot render " + value.getClass().getSimpleName(), e);
        }
    }
}
