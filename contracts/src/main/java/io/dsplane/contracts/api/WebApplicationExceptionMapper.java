package io.dsplane.contracts.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * WebApplicationExceptionMapper turns the framework's own HTTP errors (unknown path, wrong method,
 * unsupported media type) into Status objects too, so every error of the API has one shape.
 */
@Provider
public class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {

    @Override
    public Response toResponse(WebApplicationException e) {
        int code = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        String reason = switch (code) {
            case 400 -> Statuses.BAD_REQUEST;
            case 404 -> Statuses.NOT_FOUND;
            case 405 -> Statuses.METHOD_NOT_ALLOWED;
            case 406 -> Statuses.NOT_ACCEPTABLE;
            case 409 -> Statuses.CONFLICT;
            case 415 -> Statuses.UNSUPPORTED_MEDIA_TYPE;
            case 503 -> Statuses.SERVICE_UNAVAILABLE;
            default -> code >= 500 ? Statuses.INTERNAL_ERROR : Statuses.BAD_REQUEST;
        };
        String message = code == 404 ? "the server could not find the requested resource" : e.getMessage();
        return Response.status(code).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(KubeBodies.write(Statuses.of(code, reason, message))).build();
    }
}
