package io.dsplane.contracts.api;

import io.fabric8.kubernetes.api.model.Status;

/**
 * ApiException carries a Kubernetes {@code Status} to the client. Thrown before anything is written
 * (or inside the transaction that is then rolled back), so a rejected request stores and emits nothing.
 */
public class ApiException extends RuntimeException {

    private final transient Status status;

    public ApiException(Status status) {
        super(status.getMessage());
        this.status = status;
    }

    public Status status() {
        return status;
    }

    public int code() {
        return status.getCode();
    }
}
