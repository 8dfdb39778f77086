package io.dsplane.contracts.api;

import java.util.List;

import io.fabric8.kubernetes.api.model.ListMeta;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.StatusDetailsBuilder;

/**
 * Statuses builds the {@code kind: Status} failures of the Kubernetes API with the same reasons,
 * codes and message wording as the upstream API server, so clients such as kubectl show them as usual.
 */
public final class Statuses {

    /** Reason values of metav1.StatusReason. */
    public static final String NOT_FOUND = "NotFound";
    public static final String ALREADY_EXISTS = "AlreadyExists";
    public static final String CONFLICT = "Conflict";
    public static final String INVALID = "Invalid";
    public static final String BAD_REQUEST = "BadRequest";
    public static final String METHOD_NOT_ALLOWED = "MethodNotAllowed";
    public static final String UNSUPPORTED_MEDIA_TYPE = "UnsupportedMediaType";
    public static final String NOT_ACCEPTABLE = "NotAcceptable";
    public static final String INTERNAL_ERROR = "InternalError";
    public static final String SERVICE_UNAVAILABLE = "ServiceUnavailable";

    private Statuses() {
    }

    private static StatusBuilder failure(int code, String reason, String message) {
        return new StatusBuilder().withApiVersion("v1").withKind("Status").withMetadata(new ListMeta())
                .withStatus("Failure").withCode(code).withReason(reason).withMessage(message);
    }

    private static String qualified(String group, String resource) {
        return group == null || group.isEmpty() ? resource : resource + "." + group;
    }

    public static ApiException notFound(String group, String resource, String name) {
        return new ApiException(failure(404, NOT_FOUND, qualified(group, resource) + " \"" + name + "\" not found")
                .withDetails(new StatusDetailsBuilder().withName(name).withGroup(group).withKind(resource).build())
                .build());
    }

    public static ApiException alreadyExists(String group, String resource, String name) {
        return new ApiException(failure(409, ALREADY_EXISTS,
                qualified(group, resource) + " \"" + name + "\" already exists")
                .withDetails(new StatusDetailsBuilder().withName(name).withGroup(group).withKind(resource).build())
                .build());
    }

    /** conflict is the answer to a write carrying a stale metadata.resourceVersion. */
    public static ApiException conflict(String group, String resource, String name, String why) {
        return new ApiException(failure(409, CONFLICT,
                "Operation cannot be fulfilled on " + qualified(group, resource) + " \"" + name + "\": " + why)
                .withDetails(new StatusDetailsBuilder().withName(name).withGroup(group).withKind(resource).build())
                .build());
    }

    /** invalid lists every failing field in details.causes, as ValidationError lists do upstream. */
    public static ApiException invalid(String group, String kind, String name, List<StatusCause> causes) {
        StringBuilder message = new StringBuilder(kind).append(' ')
                .append('"').append(name == null ? "" : name).append("\" is invalid: ");
        if (causes.size() == 1) {
            message.append(causes.get(0).getField()).append(": ").append(causes.get(0).getMessage());
        } else {
            message.append('[');
            for (int i = 0; i < causes.size(); i++) {
                if (i > 0) {
                    message.append(", ");
                }
                message.append(causes.get(i).getField()).append(": ").append(causes.get(i).getMessage());
            }
            message.append(']');
        }
        return new ApiException(failure(422, INVALID, message.toString())
                .withDetails(new StatusDetailsBuilder().withName(name).withGroup(group).withKind(kind)
                        .withCauses(causes).build())
                .build());
    }

    public static ApiException badRequest(String message) {
        return new ApiException(failure(400, BAD_REQUEST, message).build());
    }

    public static ApiException unsupportedMediaType(String contentType, List<String> supported) {
        return new ApiException(failure(415, UNSUPPORTED_MEDIA_TYPE,
                "the body of the request was in an unknown format - accepted media types include: "
                        + String.join(", ", supported) + " (got " + contentType + ")").build());
    }

    public static ApiException methodNotAllowed(String message) {
        return new ApiException(failure(405, METHOD_NOT_ALLOWED, message).build());
    }

    public static Status of(int code, String reason, String message) {
        return failure(code, reason, message).build();
    }
}
