package io.dsplane.daemonset.service;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.dsplane.contracts.api.ObjectEndpoints;
import io.dsplane.contracts.event.Topics;
import io.dsplane.contracts.registry.ObjectRegistry;
import io.dsplane.contracts.registry.OutboxPublisher;
import io.dsplane.contracts.registry.ResourceKind;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;

/**
 * DaemonSetRegistry owns the apps/v1 DaemonSet objects: stored in this service's schema, every change
 * announced on {@link Topics#DAEMONSETS} (key namespace/name) through the outbox in the same transaction.
 * API writes (create, replace, patch, delete, rollback) go through {@link DaemonSetRevisions}, which keeps
 * the ControllerRevision history in the same transaction; {@link #endpoints()} serves reads and status.
 */
@ApplicationScoped
public class DaemonSetRegistry {

    public static final ResourceKind KIND = new ResourceKind("apps", "v1", "DaemonSet", "daemonsets", true,
            Topics.DAEMONSETS);

    private final ObjectRegistry<DaemonSet> registry;
    private final ObjectEndpoints<DaemonSet> endpoints;

    @Inject
    public DaemonSetRegistry(OutboxPublisher publisher) {
        // Upstream DaemonSets support field selectors on metadata.name and metadata.namespace only; the
        // registry provides both.
        this.registry = new ObjectRegistry<>(KIND, DaemonSet.class, new DaemonSetStrategy(), Map.of(), null,
                publisher::wakeAfterCommit);
        this.endpoints = new ObjectEndpoints<>(registry, DaemonSet.class);
    }

    public ObjectEndpoints<DaemonSet> endpoints() {
        return endpoints;
    }

    public ObjectRegistry<DaemonSet> registry() {
        return registry;
    }
}
