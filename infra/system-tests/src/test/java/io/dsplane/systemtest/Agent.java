package io.dsplane.systemtest;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Agent plays the node agents of the system tests: it reports pods Running and Ready, or Failed,
 * through pod-service's status subresource, as a kubelet-like agent does.
 */
public final class Agent {

    private Agent() {
    }

    /** ready reports the pod Running with Ready=True since now. */
    public static void ready(ControlPlane cp, JsonNode pod) {
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        report(cp, pod, """
                {"status":{"phase":"Running","conditions":[
                  {"type":"Ready","status":"True","lastTransitionTime":"%s"},
                  {"type":"ContainersReady","status":"True","lastTransitionTime":"%s"}]}}
                """.formatted(now, now));
    }

    /** failed reports the pod Failed: its container exited with an error. */
    public static void failed(ControlPlane cp, JsonNode pod) {
        report(cp, pod, """
                {"status":{"phase":"Failed","reason":"Error","conditions":[{"type":"Ready","status":"False"}]}}
                """);
    }

    private static void report(ControlPlane cp, JsonNode pod, String patch) {
        String url = cp.url(ControlPlane.POD) + "/api/v1/namespaces/" + pod.at("/metadata/namespace").asText()
                + "/pods/" + pod.at("/metadata/name").asText() + "/status";
        Api.Response r = Api.mergePatch(url, patch);
        // 404: the pod went away between the list and the report, as it can for a real agent.
        if (r.code() != 200 && r.code() != 404) {
            throw new AssertionError("status report refused: HTTP " + r.code() + " " + r.body());
        }
    }

    /** isAvailable is true for a pod whose Ready condition is True and whose deletion has not begun. */
    public static boolean isAvailable(JsonNode pod) {
        if (pod.path("metadata").has("deletionTimestamp")) {
            return false;
        }
        for (JsonNode c : pod.at("/status/conditions")) {
            if ("Ready".equals(c.path("type").asText())) {
                return "True".equals(c.path("status").asText());
            }
        }
        return false;
    }

    /** isBound is true for a pod with spec.nodeName set. */
    public static boolean isBound(JsonNode pod) {
        return !pod.at("/spec/nodeName").asText("").isEmpty();
    }
}
