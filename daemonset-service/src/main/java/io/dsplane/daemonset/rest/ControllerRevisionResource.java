package io.dsplane.daemonset.rest;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.dsplane.daemonset.service.ControllerRevisionRegistry;

/**
 * ControllerRevisionResource serves the DaemonSets' apps/v1 ControllerRevisions, read-only: they are
 * written by the revision history only ({@code kubectl rollout history} reads them).
 */
@Path("/apis/apps/v1")
@Produces(MediaType.APPLICATION_JSON)
public class ControllerRevisionResource {

    private static final String COLLECTION = "namespaces/{namespace}/controllerrevisions";

    @Inject
    ControllerRevisionRegistry revisions;

    /** listAllNamespaces is {@code kubectl get controllerrevisions -A}. */
    @GET
    @Path("controllerrevisions")
    public Response listAllNamespaces(@QueryParam("labelSelector") String labelSelector,
            @QueryParam("fieldSelector") String fieldSelector) {
        return revisions.endpoints().list(null, labelSelector, fieldSelector);
    }

    @GET
    @Path(COLLECTION)
    public Response list(@PathParam("namespace") String namespace,
            @QueryParam("labelSelector") String labelSelector, @QueryParam("fieldSelector") String fieldSelector) {
        return revisions.endpoints().list(namespace, labelSelector, fieldSelector);
    }

    @GET
    @Path(COLLECTION + "/{name}")
    public Response get(@PathParam("namespace") String namespace, @PathParam("name") String name) {
        return revisions.endpoints().get(namespace, name);
    }
}
