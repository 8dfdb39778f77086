package io.dsplane.daemonset.repository;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.dsplane.contracts.api.KubeBodies;
import io.dsplane.contracts.api.Statuses;
import io.dsplane.contracts.registry.StoredObject;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;

/**
 * ControllerRevisionRows writes ControllerRevisions into the registry's {@code objects} table, with the
 * metadata the registry would set (uid, creationTimestamp, a resourceVersion from the service's
 * sequence, the owner_uid column) but WITHOUT an outbox event: revisions are not published on any topic.
 *
 * <p>It stands in for the write methods of {@code ObjectRegistry}, which always queues an event on the
 * kind's topic (the outbox's topic column is NOT NULL); reads already go through an ObjectRegistry.
 * Once the registry can store a kind without a topic, {@code ControllerRevisionRegistry} calls its
 * {@code create}, {@code modify} and {@code deleteIfPresent} instead and this class goes away.
 * Callers run inside a transaction and hold the owning DaemonSet's row lock.
 */
@ApplicationScoped
public class ControllerRevisionRows {

    private static final String KIND = "ControllerRevision";
    private static final String API_VERSION = "apps/v1";
    private static final String GROUP = "apps";
    private static final String RESOURCE = "controllerrevisions";

    /** create stores a new revision; 409 AlreadyExists when the name is taken. */
    public ControllerRevision create(ControllerRevision revision) {
        ObjectMeta meta = revision.getMetadata();
        if (row(meta.getNamespace(), meta.getName()).isPresent()) {
            throw Statuses.alreadyExists(GROUP, RESOURCE, meta.getName());
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        meta.setUid(UUID.randomUUID().toString());
        meta.setCreationTimestamp(now.toString());
        StoredObject row = new StoredObject();
        row.kind = KIND;
        row.namespace = meta.getNamespace();
        row.name = meta.getName();
        row.uid = meta.getUid();
        row.createdAt = now;
        fill(row, revision);
        row.persist();
        return revision;
    }

    /** update replaces a stored revision (e.g. its new revision number); 404 when it is gone. */
    public ControllerRevision update(ControllerRevision revision) {
        ObjectMeta meta = revision.getMetadata();
        StoredObject row = row(meta.getNamespace(), meta.getName())
                .orElseThrow(() -> Statuses.notFound(GROUP, RESOURCE, meta.getName()));
        fill(row, revision);
        return revision;
    }

    /** delete removes a revision if it is still there. */
    public void delete(ControllerRevision revision) {
        ObjectMeta meta = revision.getMetadata();
        row(meta.getNamespace(), meta.getName()).ifPresent(StoredObject::delete);
    }

    private void fill(StoredObject row, ControllerRevision revision) {
        revision.setApiVersion(API_VERSION);
        revision.setKind(KIND);
        long rv = nextResourceVersion();
        revision.getMetadata().setResourceVersion(Long.toString(rv));
        row.resourceVersion = rv;
        row.ownerUid = controllerUid(revision.getMetadata().getOwnerReferences());
        row.body = KubeBodies.write(revision);
    }

    private static String controllerUid(List<OwnerReference> refs) {
        if (refs == null) {
            return null;
        }
        return refs.stream().filter(r -> Boolean.TRUE.equals(r.getController())).map(OwnerReference::getUid)
                .findFirst().orElse(null);
    }

    private static Optional<StoredObject> row(String namespace, String name) {
        return StoredObject.<StoredObject>find("kind = ?1 and namespace = ?2 and name = ?3", KIND, namespace, name)
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }

    private static long nextResourceVersion() {
        Object v = StoredObject.getEntityManager().createNativeQuery("SELECT nextval('resource_version_seq')")
                .getSingleResult();
        return ((Number) v).longValue();
    }
}
