package io.dsplane.daemonset.rest;

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

import io.dsplane.daemonset.service.DaemonSetRegistry;

/** DaemonSetResource serves apps/v1 DaemonSets at the paths of the Kubernetes API. */
@Path("/apis/apps/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class DaemonSetResource {

    private static final String COLLECTION = "namespaces/{namespace}/daemonsets";
    private static final String ITEM = COLLECTION + "/{name}";
    private static final String STATUS = ITEM + "/status";

    @Inject
    DaemonSetRegistry daemonSets;

    /** listAllNamespaces is {@code kubectl get daemonsets -A}. */
    @GET
    @Path("daemonsets")
    public Response listAllNamespaces(@QueryParam("labelSelector") String labelSelector,
            @QueryParam("fieldSelector") String fieldSelector) {
        return daemonSets.endpoints().list(null, labelSelector, fieldSelector);
    }

    @GET
    @Path(COLLECTION)
    public Response list(@PathParam("namespace") String namespace,
            @QueryParam("labelSelector") String labelSelector, @QueryParam("fieldSelector") String fieldSelector) {
        return daemonSets.endpoints().list(namespace, labelSelector, fieldSelector);
    }

    @POST
    @Path(COLLECTION)
    public Response create(@PathParam("namespace") String namespace, String body,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType) {
        return daemonSets.endpoints().create(namespace, body, contentType);
    }

    @GET
    @Path(ITEM)
    public Response get(@PathParam("namespace") String namespace, @PathParam("name") String name) {
        return daemonSets.endpoints().get(namespace, name);
    }

    @PUT
    @Path(ITEM)
    public Response replace(@PathParam("namespace") String namespace, @PathParam("name") String name, String body,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType) {
        return daemonSets.endpoints().replace(namespace, name, body, contentType);
    }

    @PATCH
    @Path(ITEM)
    public Response patch(@PathParam("namespace") String namespace, @PathParam("name") String name, String body,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType) {
        return daemonSets.endpoints().patch(namespace, name, body, contentType);
    }

    @DELETE
    @Path(ITEM)
    public Response delete(@PathParam("namespace") String namespace, @PathParam("name") String name) {
        return daemonSets.endpoints().delete(namespace, name);
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
}
