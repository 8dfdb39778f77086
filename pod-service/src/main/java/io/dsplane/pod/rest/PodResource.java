package io.dsplane.pod.rest;

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

import io.dsplane.contracts.api.KubeBodies;
import io.dsplane.contracts.api.ObjectEndpoints;
import io.dsplane.contracts.api.Statuses;
import io.dsplane.pod.service.PodRegistry;
import io.dsplane.pod.service.PodWrites;
import io.dsplane.pod.service.TerminatingPods;
import io.fabric8.kubernetes.api.model.Pod;

/**
 * PodResource serves v1 Pods at the paths of the Kubernetes API. Workload pods are POSTed already
 * bound ({@code spec.nodeName} set); node agents report status through {@code .../status}, and a
 * report that a terminating pod has stopped (phase Succeeded or Failed) completes its deletion.
 * Creates and deletes of concurrent requests share transactions ({@link PodWrites}).
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class PodResource {

    private static final String ITEM = "namespaces/{namespace}/pods/{name}";

    @Inject
    PodRegistry pods;

    @Inject
    TerminatingPods termination;

    @Inject
    PodWrites writes;

    @GET
    @Path("pods")
    public Response listAllNamespaces(@QueryParam("labelSelector") String labelSelector,
            @QueryParam("fieldSelector") String fieldSelector) {
        return pods.endpoints().list(null, labelSelector, fieldSelector);
    }

    @GET
    @Path("namespaces/{namespace}/pods")
    public Response list(@PathParam("namespace") String namespace, @QueryParam("labelSelector") String labelSelector,
            @QueryParam("fieldSelector") String fieldSelector) {
        return pods.endpoints().list(namespace, labelSelector, fieldSelector);
    }

    @POST
    @Path("namespaces/{namespace}/pods")
    public Response create(@PathParam("namespace") String namespace, String body,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType) {
        Pod pod = KubeBodies.read(body, contentType, Pod.class);
        return ObjectEndpoints.json(201, writes.create(namespace, pod));
    }

    @GET
    @Path(ITEM)
    public Response get(@PathParam("namespace") String namespace, @PathParam("name") String name) {
        return pods.endpoints().get(namespace, name);
    }

    @PUT
    @Path(ITEM)
    public Response replace(@PathParam("namespace") String namespace, @PathParam("name") String name, String body,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType) {
        return pods.endpoints().replace(namespace, name, body, contentType);
    }

    @PATCH
    @Path(ITEM)
    public Response patch(@PathParam("namespace") String namespace, @PathParam("name") String name, String body,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType) {
        return pods.endpoints().patch(namespace, name, body, contentType);
    }

    /**
     * delete deletes as the API server does for pods: a pod bound to a node and not yet terminal stays,
     * terminating, for its grace period ({@code gracePeriodSeconds} overrides the pod's own, 0 removes
     * it at once) and is returned with its deletionTimestamp; any other pod is removed now.
     */
    @DELETE
    @Path(ITEM)
    public Response delete(@PathParam("namespace") String namespace, @PathParam("name") String name,
            @QueryParam("gracePeriodSeconds") Long gracePeriodSeconds) {
        if (gracePeriodSeconds != null && gracePeriodSeconds < 0) {
            throw Statuses.badRequest("gracePeriodSeconds must be 0 or more, not " + gracePeriodSeconds);
        }
        return ObjectEndpoints.ok(writes.delete(namespace, name, gracePeriodSeconds).orElseThrow(() ->
                Statuses.notFound(PodRegistry.KIND.group(), PodRegistry.KIND.resource(), name)));
    }

    @GET
    @Path(ITEM + "/status")
    public Response getStatus(@PathParam("namespace") String namespace, @PathParam("name") String name) {
        return pods.endpoints().get(namespace, name);
    }

    @PUT
    @Path(ITEM + "/status")
    public Response replaceStatus(@PathParam("namespace") String namespace, @PathParam("name") String name,
            String body, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType) {
        Pod pod = KubeBodies.read(body, contentType, Pod.class);
        return ObjectEndpoints.ok(ObjectEndpoints.tx(() ->
                termination.completeIfStopped(pods.endpoints().registry().updateStatus(namespace, name, pod))));
    }

    @PATCH
    @Path(ITEM + "/status")
    public Response patchStatus(@PathParam("namespace") String namespace, @PathParam("name") String name,
            String body, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType) {
        var patch = KubeBodies.readMergePatch(body, contentType);
        return ObjectEndpoints.ok(ObjectEndpoints.tx(() ->
                termination.completeIfStopped(pods.endpoints().registry().patchStatus(namespace, name, patch))));
    }
}
