package io.dsplane.contracts.api;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** ApiExceptionMapper answers an {@link ApiException} with its Status object and code. */
@Provider
public class ApiExceptionMapper implements ExceptionMapper<ApiException> {

    @Override
    public Response toResponse(ApiException e) {
        return Response.status(e.code()).type(MediaType.APPLICATION_JSON_TYPE).entity(KubeBodies.write(e.status()))
                .build();
    }
}
