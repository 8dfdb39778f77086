package io.dsplane.daemonset.service;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.dsplane.contracts.api.ObjectEndpoints;
import io.dsplane.contracts.registry.ObjectRegistry;
import io.dsplane.contracts.registry.RegistryStrategy;
import io.dsplane.contracts.registry.ResourceKind;
import io.dsplane.daemonset.repository.ControllerRevisionRows;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;

/**
 * ControllerRevisionRegistry owns the apps/v1 ControllerRevisions of the DaemonSets: stored in this
 * service's schema next to them, readable over the API, written only by the revision history
 * ({@link DaemonSetRevisions}) and never published: no other service needs them (the scheduler
 * computes the same hash from the template), so the kind has no topic.
 *
 * <p>Reads use an {@link ObjectRegistry} (selectors, lists, 404s as for every kind). Writes go through
 * {@link ControllerRevisionRows} for now, because ObjectRegistry queues an outbox event on every write
 * and a kind without a topic cannot have one.
 */
@ApplicationScoped
public class ControllerRevisionRegistry {

    /** No topic: revisions are not published. */
    public static final ResourceKind KIND = new ResourceKind("apps", "v1", "ControllerRevision",
            "controllerrevisions", true, null);

    private final ObjectRegistry<ControllerRevision> registry;
    private final ObjectEndpoints<ControllerRevision> endpoints;

    @Inject
    ControllerRevisionRows rows;

    public ControllerRevisionRegistry() {
        // Field selectors: metadata.name and metadata.namespace, as upstream. The outbox callback is never
        // reached: nothing writes through this registry.
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

    public ControllerRevision create(ControllerRevision revision) {
        return rows.create(revision);
    }

    public ControllerRevision update(ControllerRevision revision) {
        return rows.update(revision);
    }

    public void delete(ControllerRevision revision) {
        rows.delete(revision);
    }
}
