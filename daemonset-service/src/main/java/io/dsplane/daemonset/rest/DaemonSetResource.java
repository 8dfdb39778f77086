package io.dsplane.daemonset.rest;

import java.time.Instant;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;

import io.dsplane.contracts.api.KubeBodies;
import io.dsplane.contracts.api.ObjectEndpoints;
import io.dsplane.contracts.api.Statuses;
import io.dsplane.contracts.registry.ObjectRegistry;
import io.dsplane.daemonset.printers.DaemonSetPrinter;
import io.dsplane.daemonset.printers.Table;
import io.dsplane.daemonset.printers.TableRequest;
import io.dsplane.daemonset.service.DaemonSetRegistry;
import io.dsplane.daemonset.service.DaemonSetRevisions;
import io.dsplane.daemonset.service.DaemonSetRevisions.RollbackResult;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;

/**
 * DaemonSetResource serves apps/v1 DaemonSets at the paths of the Kubernetes API. Writes go through
 * {@link DaemonSetRevisions}, which keeps the ControllerRevision history in the same transaction; list
 * and get answer a meta.k8s.io Table when the client asks for one ({@code kubectl get}).
 */
@Path("/apis/apps/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class DaemonSetResource {

    private static final String COLLECTION = "namespaces/{namespace}/daemonsets";
    private static final String ITEM = COLLECTION + "/{name}";
    private static final String STATUS = ITEM + "/status";
    private static final String ROLLBACK = ITEM + "/rollback";

    @Inject
    DaemonSetRegistry daemonSets;

    @Inject
    DaemonSetRevisions writes;

    /** listAllNamespaces is {@code kubectl get daemonsets -A}. */
    @GET
    @Path("daemonsets")
    public Response listAllNamespaces(@QueryParam("labelSelector") String labelSelector,
            @QueryParam("fieldSelector") String fieldSelector, @HeaderParam(HttpHeaders.ACCEPT) String accept,
            @QueryParam("includeObject") String includeObject) {
        return list(null, labelSelector, fieldSelector, accept, includeObject);
    }

    @GET
    @Path(COLLECTION)
    public Response list(@PathParam("namespace") String namespace,
            @QueryParam("labelSelector") String labelSelector, @QueryParam("fieldSelector") String fieldSelector,
            @HeaderParam(HttpHeaders.ACCEPT) String accept, @QueryParam("includeObject") String includeObject) {
        Optional<TableRequest> table = tableRequest(accept, includeObject);
        if (table.isEmpty()) {
            return daemonSets.endpoints().list(namespace, labelSelector, fieldSelector);
        }
        ObjectRegistry.ListResult<DaemonSet> result = ObjectEndpoints
                .tx(() -> daemonSets.registry().list(namespace, labelSelector, fieldSelector));
        return table(table.get(), DaemonSetPrinter.printDaemonSetList(result.items(),
                Long.toString(result.resourceVersion()), table.get(), Instant.now()));
    }

    @POST
    @Path(COLLECTION)
    public Response create(@PathParam("namespace") String namespace, String body,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType) {
        DaemonSet ds = KubeBodies.read(body, contentType, DaemonSet.class);
        return ObjectEndpoints.json(201, writes.create(namespace, ds));
    }

    @GET
    @Path(ITEM)
    public Response get(@PathParam("namespace") String namespace, @PathParam("name") String name,
            @HeaderParam(HttpHeaders.ACCEPT) String accept, @QueryParam("includeObject") String includeObject) {
        Optional<TableRequest> table = tableRequest(accept, includeObject);
        if (table.isEmpty()) {
            return daemonSets.endpoints().get(namespace, name);
        }
        DaemonSet ds = ObjectEndpoints.tx(() -> daemonSets.registry().get(namespace, name));
        return table(table.get(), DaemonSetPrinter.printDaemonSet(ds, table.get(), Instant.now()));
    }

    @PUT
    @Path(ITEM)
    public Response replace(@PathParam("namespace") String namespace, @PathParam("name") String name, String body,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType) {
        DaemonSet ds = KubeBodies.read(body, contentType, DaemonSet.class);
        return ObjectEndpoints.ok(writes.update(namespace, name, ds));
    }

    @PATCH
    @Path(ITEM)
    public Response patch(@PathParam("namespace") String namespace, @PathParam("name") String name, String body,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType) {
        JsonNode patch = KubeBodies.readMergePatch(body, contentType);
        return ObjectEndpoints.ok(writes.patch(namespace, name, patch));
    }

    @DELETE
    @Path(ITEM)
    public Response delete(@PathParam("namespace") String namespace, @PathParam("name") String name) {
        return ObjectEndpoints.ok(writes.delete(namespace, name));
    }

    /**
     * rollback is {@code kubectl rollout undo daemonset/<name> [--to-revision=N]}: body
     * {@code {"toRevision": N}}, 0 or absent for the previous revision. Answers the DaemonSet; when the
     * revision already holds the current template nothing is written and a Warning header says so, as
     * kubectl prints "skipped rollback".
     */
    @POST
    @Path(ROLLBACK)
    public Response rollback(@PathParam("namespace") String namespace, @PathParam("name") String name, String body,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType) {
        long toRevision = toRevision(body, contentType);
        RollbackResult result = writes.rollback(namespace, name, toRevision);
        Response.ResponseBuilder response = Response.ok(KubeBodies.write(result.daemonSet()))
                .type(MediaType.APPLICATION_JSON_TYPE);
        if (result.skipped()) {
            response.header("Warning", "299 - \"skipped rollback (current template already matches revision "
                    + result.revision() + ")\"");
        }
        return response.build();
    }

    @GET
    @Path(STATUS)
    public Response getStatus(@PathParam("namespace") String namespace, @PathParam("name") String name) {
        return daemonSets.endpoints().get(namespace, name);
    }

    @PUT
    @Path(STATUS)
    public Response replaceStatus(@PathParam("namespace") String namespace, @PathParam("name") String name,
            String body, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType) {
        return daemonSets.endpoints().replaceStatus(namespace, name, body, contentType);
    }

    @PATCH
    @Path(STATUS)
    public Response patchStatus(@PathParam("namespace") String namespace, @PathParam("name") String name,
            String body, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType) {
        return daemonSets.endpoints().patchStatus(namespace, name, body, contentType);
    }

    /** toRevision reads the rollback body; an empty body means 0. */
    static long toRevision(String body, String contentType) {
        if (body == null || body.isBlank()) {
            return 0;
        }
        JsonNode value = KubeBodies.readTree(body, contentType).get("toRevision");
        if (value == null || value.isNull()) {
            return 0;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 0) {
            throw Statuses.badRequest("toRevision must be a revision number (0 or more), not " + value);
        }
        return value.asLong();
    }

    static Optional<TableRequest> tableRequest(String accept, String includeObject) {
        try {
            return TableRequest.of(accept, includeObject);
        } catch (IllegalArgumentException e) {
            throw Statuses.badRequest(e.getMessage());
        }
    }

    /** table answers a Table with the media type that names it, as the API server does. */
    static Response table(TableRequest request, Table table) {
        return Response.ok(KubeBodies.write(table))
                .type("application/json;as=Table;v=" + request.version() + ";g=" + Table.GROUP).build();
    }
}
