package io.dsplane.pod.service;

import java.util.Map;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.dsplane.contracts.api.ObjectEndpoints;
import io.dsplane.contracts.event.Topics;
import io.dsplane.contracts.registry.ObjectRegistry;
import io.dsplane.contracts.registry.OutboxPublisher;
import io.dsplane.contracts.registry.ResourceKind;
import io.dsplane.pod.validation.PodStrategy;
import io.fabric8.kubernetes.api.model.Pod;

/**
 * PodRegistry owns the Pod objects (schema {@code pods}). It holds two views of one table that differ
 * only in what a create keeps of the submitted status: {@link #endpoints()} serves clients (status
 * reset to Pending), {@link #internal()} serves this service's consumers (conditions from the
 * scheduler kept). Both write the same rows, versions and events on dsplane.pods.v1, keyed
 * {@code namespace/name} so that every change of one pod stays in order.
 */
@ApplicationScoped
public class PodRegistry {

    public static final ResourceKind KIND = new ResourceKind("", "v1", "Pod", "pods", true, Topics.PODS);

    /** Fields a fieldSelector may use beyond metadata.name and metadata.namespace. */
    static final Map<String, Function<Pod, String>> FIELDS = Map.of(
            "spec.nodeName", PodRegistry::nodeNameOf,
            "status.phase", p -> p.getStatus() == null ? null : p.getStatus().getPhase());

    private final ObjectRegistry<Pod> clients;
    private final ObjectRegistry<Pod> internal;
    private final ObjectEndpoints<Pod> endpoints;

    @Inject
    public PodRegistry(OutboxPublisher publisher) {
        this.clients = new ObjectRegistry<>(KIND, Pod.class, new PodStrategy(false), FIELDS,
                PodRegistry::nodeNameOf, publisher::wakeAfterCommit);
        this.internal = new ObjectRegistry<>(KIND, Pod.class, new PodStrategy(true), FIELDS,
                PodRegistry::nodeNameOf, publisher::wakeAfterCommit);
        this.endpoints = new ObjectEndpoints<>(clients, Pod.class);
    }

    /** endpoints implements the REST verbs for clients. */
    public ObjectEndpoints<Pod> endpoints() {
        return endpoints;
    }

    /** internal is the registry of the service's own writers (decisions, agent reports). */
    public ObjectRegistry<Pod> internal() {
        return internal;
    }

    /** nodeNameOf is the node a pod is bound to ({@code spec.nodeName}), or null while unbound. */
    public static String nodeNameOf(Pod pod) {
        return pod.getSpec() == null ? null : pod.getSpec().getNodeName();
    }
}
