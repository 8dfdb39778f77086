package io.dsplane.scheduler.rest;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.dsplane.contracts.api.KubeBodies;
import io.dsplane.contracts.api.Statuses;
import io.dsplane.scheduler.service.PlacementQueries;

/**
 * PlacementResource explains placement: for a DaemonSet, for every node (filtered ones included),
 * whether it should run the pod, why not, which pods are there, and whether a pod would fit.
 */
@Path("/apis/placement/v1")
@Produces(MediaType.APPLICATION_JSON)
public class PlacementResource {

    @Inject
    PlacementQueries queries;

    @GET
    @Path("namespaces/{ns}/daemonsets/{name}/nodes")
    public Response nodes(@PathParam("ns") String ns, @PathParam("name") String name) {
        return ok(queries.explainAll(ns, name));
    }

    @GET
    @Path("namespaces/{ns}/daemonsets/{name}/nodes/{node}")
    public Response node(@PathParam("ns") String ns, @PathParam("name") String name, @PathParam("node") String node) {
        return ok(queries.explainNode(ns, name, node)
                .orElseThrow(() -> Statuses.notFound("", "nodes", node)));
    }

    /** Used by other scheduler instances: only the nodes this instance holds. */
    @GET
    @Path("local/namespaces/{ns}/daemonsets/{name}/nodes")
    public Response local(@PathParam("ns") String ns, @PathParam("name") String name, @QueryParam("node") String node) {
        return ok(queries.explainLocal(ns, name, node));
    }

    private static Response ok(Object entity) {
        return Response.ok(KubeBodies.write(entity), MediaType.APPLICATION_JSON_TYPE).build();
    }
}
