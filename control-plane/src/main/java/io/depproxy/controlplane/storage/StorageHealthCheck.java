package io.depproxy.controlplane.storage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while the bucket answers. */
@Readiness
@ApplicationScoped
public class StorageHealthCheck implements HealthCheck {
    @Inject
    S3ObjectStorage storage;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("object-storage").status(storage.bucketReachable()).build();
    }
}
