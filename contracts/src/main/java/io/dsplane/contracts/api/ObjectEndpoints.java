package io.dsplane.contracts.api;

import java.util.function.Supplier;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.dsplane.contracts.registry.ObjectRegistry;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * ObjectEndpoints implements the verbs of a Kubernetes resource (list, get, create, replace, merge
 * patch, delete, and the status subresource) over an {@link ObjectRegistry}, each in one transaction.
 * A service's JAX-RS resource only declares its paths and delegates here, so every API of the product
 * answers the same way.
 */
public class ObjectEndpoints<T extends HasMetadata> {

    private final ObjectRegistry<T> registry;
    private final Class<T> type;

    public ObjectEndpoints(ObjectRegistry<T> registry, Class<T> type) {
        this.registry = registry;
        this.type = type;
    }

    public ObjectRegistry<T> registry() {
        return registry;
    }

    public Response list(String namespace, String labelSelector, String fieldSelector) {
        return ok(tx(() -> registry.listJson(registry.list(namespace, labelSelector, fieldSelector))));
    }

    public Response get(String namespace, String name) {
        return ok(tx(() -> registry.get(namespace, name)));
    }

    public Response create(String namespace, String body, String contentType) {
        T obj = KubeBodies.read(body, contentType, type);
        return json(201, tx(() -> registry.create(namespace, obj)));
    }

    public Response replace(String namespace, String name, String body, String contentType) {
        T obj = KubeBodies.read(body, contentType, type);
        return ok(tx(() -> registry.update(namespace, name, obj)));
    }

    public Response patch(String namespace, String name, String body, String contentType) {
        var patch = KubeBodies.readMergePatch(body, contentType);
        return ok(tx(() -> registry.patch(namespace, name, patch)));
    }

    public Response delete(String namespace, String name) {
        return ok(tx(() -> registry.delete(namespace, name)));
    }

    public Response replaceStatus(String namespace, String name, String body, String contentType) {
        T obj = KubeBodies.read(body, contentType, type);
        return ok(tx(() -> registry.updateStatus(namespace, name, obj)));
    }

    public Response patchStatus(String namespace, String name, String body, String contentType) {
        var patch = KubeBodies.readMergePatch(body, contentType);
        return ok(tx(() -> registry.patchStatus(namespace, name, patch)));
    }

    /** tx runs a registry call in its own transaction; an ApiException rolls it back. */
    public static <R> R tx(Supplier<R> work) {
        return QuarkusTransaction.requiringNew().call(work::get);
    }

    public static Response ok(Object entity) {
        return json(200, entity);
    }

    public static Response json(int code, Object entity) {
        return Response.status(code).type(MediaType.APPLICATION_JSON_TYPE).entity(KubeBodies.write(entity)).build();
    }
}
