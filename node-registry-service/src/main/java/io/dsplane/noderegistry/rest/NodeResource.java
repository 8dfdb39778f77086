package io.dsplane.noderegistry.rest;

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

import io.dsplane.noderegistry.service.NodeRegistry;

/**
 * NodeResource serves v1 Nodes at the paths of the Kubernetes API. Writes to the status subresource
 * count as heartbeats of the node, as a kubelet's status updates do.
 */
@Path("/api/v1/nodes")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class NodeResource {

    @Inject
    NodeRegistry nodes;

    @GET
    public Response list(@QueryParam("labelSelector") String labelSelector,
            @QueryParam("fieldSelector") String fieldSelector) {
        return nodes.endpoints().list(null, labelSelector, fieldSelector);
    }

    @POST
    public Response create(String body, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType) {
        return nodes.endpoints().create(null, body, contentType);
    }

    @GET
    @Path("{name}")
    public Response get(@PathParam("name") String name) {
        return nodes.endpoints().get(null, name);
    }

    @PUT
    @Path("{name}")
    public Response replace(@PathParam("name") String name, String body,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType) {
        return nodes.endpoints().replace(null, name, body, contentType);
    }

    @PATCH
    @Path("{name}")
    public Response patch(@PathParam("name") String name, String body,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType) {
        return nodes.endpoints().patch(null, name, body, contentType);
    }

    @DELETE
    @Path("{name}")
    public Response delete(@PathParam("name") String name) {
        return nodes.delete(name);
    }

    @GET
    @Path("{name}/status")
    public Response getStatus(@PathParam("name") String name) {
        return nodes.endpoints().get(null, name);
    }

    @PUT
    @Path("{name}/status")
    public Response replaceStatus(@PathParam("name") String name, String body,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType) {
        return nodes.replaceStatus(name, body, contentType);
    }

    @PATCH
    @Path("{name}/status")
    public Response patchStatus(@PathParam("name") String name, String body,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType) {
        return nodes.patchStatus(name, body, contentType);
    }
}
