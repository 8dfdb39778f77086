package io.dsplane.daemonset.service;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.dsplane.contracts.api.ObjectEndpoints;
import io.dsplane.contracts.api.Statuses;
import io.dsplane.contracts.registry.ObjectRegistry;
import io.dsplane.contracts.registry.RegistryStrategy;
import io.dsplane.contracts.registry.ResourceKind;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;

/**
 * ControllerRevisionRegistry owns the apps/v1 ControllerRevisions of the DaemonSets: stored in this
 * service's schema next to them, readable over the API, written only by the revision history
 * ({@link DaemonSetRevisions}) and never published: no other service needs them (the scheduler
 * computes the same hash from the template), so the kind has no topic.
 *
 * <p>Reads and writes use an {@link ObjectRegistry} (selectors, lists, 404s, resourceVersions as for
 * every kind); the kind has no topic, so the registry queues no event for its writes. Callers run
 * inside a transaction and hold the owning DaemonSet's row lock.
 */
@ApplicationScoped
public class ControllerRevisionRegistry {

    /** No topic: revisions are not published. */
    public static final ResourceKind KIND = new ResourceKind("apps", "v1", "ControllerRevision",
            "controllerrevisions", true, null);

    private final ObjectRegistry<ControllerRevision> registry;
    private final ObjectEndpoints<ControllerRevision> endpoints;

    public ControllerRevisionRegistry() {
        // Field selectors: metadata.name and metadata.namespace, as upstream. The outbox callback is never
        // reached: a kind without a topic queues no events.
        this.registry = new ObjectRegistry<>(KIND, ControllerRevision.class, new RegistryStrategy<>() {
        }, Map.of(), null, () -> {
            throw new IllegalStateException("ControllerRevisions are not published");
        });
        this.endpoints = new ObjectEndpoints<>(registry, ControllerRevision.class);
    }

    /** endpoints serves list and get. */
    public ObjectEndpoints<ControllerRevision> endpoints() {
        return endpoints;
    }

    /** ownedBy returns the revisions whose controller is the DaemonSet with this uid, in no particular order. */
    public List<ControllerRevision> ownedBy(String daemonSetUid) {
        return registry.findByOwnerUid(daemonSetUid);
    }

    public Optional<ControllerRevision> find(String namespace, String name) {
        return registry.find(namespace, name);
    }

    /** create stores a new revision; 409 AlreadyExists when the name is taken. */
    public ControllerRevision create(ControllerRevision revision) {
        return registry.create(revision.getMetadata().getNamespace(), revision);
    }

    /** update replaces a stored revision (e.g. its new revision number); 404 when it is gone. */
    public ControllerRevision update(ControllerRevision revision) {
        var meta = revision.getMetadata();
        return registry.modify(meta.getNamespace(), meta.getName(), stored -> revision)
                .orElseThrow(() -> Statuses.notFound(KIND.group(), KIND.resource(), meta.getName()));
    }

    /** delete removes a revision if it is still there. */
    public void delete(ControllerRevision revision) {
        registry.deleteIfPresent(revision.getMetadata().getNamespace(), revision.getMetadata().getName(), null);
    }
}
