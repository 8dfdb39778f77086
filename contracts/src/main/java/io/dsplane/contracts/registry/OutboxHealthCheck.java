package io.dsplane.contracts.registry;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** OutboxHealthCheck reports the publishing path not ready while the relay cannot reach the broker. */
@ApplicationScoped
@Readiness
public class OutboxHealthCheck implements HealthCheck {

    @Inject
    OutboxPublisher publisher;

    @Override
    public HealthCheckResponse call() {
        String error = publisher.lastError();
        return HealthCheckResponse.named("outbox-relay").status(error == null)
                .withData("published", publisher.published()).withData("lastError", error == null ? "" : error)
                .build();
    }
}
