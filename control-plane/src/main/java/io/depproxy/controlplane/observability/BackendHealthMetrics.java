package io.depproxy.controlplane.observability;

import io.agroal.api.AgroalDataSource;
import io.depproxy.controlplane.storage.StorageHealthCheck;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@code dp_storage_up} and {@code dp_database_up}: 1 while the object store's bucket (the readiness probe's own
 * check) and the database answer, 0 otherwise. Alert rules and dashboards read them (k8s/components/monitoring).
 * They are checked every 15 s off the scrape: a hanging store would otherwise hold the scrape past Prometheus's
 * timeout and show the whole target as down instead of saying which backend is.
 */
@Startup
@ApplicationScoped
public class BackendHealthMetrics {
    static final String STORAGE_UP = "dp_storage_up";
    static final String DATABASE_UP = "dp_database_up";
    private static final int DATABASE_CHECK_SECONDS = 5;

    @Inject
    MeterRegistry registry;

    @Inject
    @Readiness
    StorageHealthCheck storage;

    @Inject
    AgroalDataSource dataSource;

    private final AtomicInteger storageUp = new AtomicInteger();
    private final AtomicInteger databaseUp = new AtomicInteger();

    @PostConstruct
    void register() {
        check();
        Gauge.builder(STORAGE_UP, storageUp, AtomicInteger::get)
                .description("1 while the object store's bucket answers, 0 otherwise (checked every 15 s)")
                .register(registry);
        Gauge.builder(DATABASE_UP, databaseUp, AtomicInteger::get)
                .description("1 while the database answers, 0 otherwise (checked every 15 s)").register(registry);
    }

    @Scheduled(identity = "dp-backend-health", every = "15s", delayed = "15s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void check() {
        storageUp.set(storage.call().getStatus() == HealthCheckResponse.Status.UP ? 1 : 0);
        databaseUp.set(databaseAnswers() ? 1 : 0);
    }

    private boolean databaseAnswers() {
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(DATABASE_CHECK_SECONDS);
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }
}
