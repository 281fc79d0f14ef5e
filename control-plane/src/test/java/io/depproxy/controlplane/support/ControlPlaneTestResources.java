package io.depproxy.controlplane.support;

import io.depproxy.contracts.Golden;
import io.depproxy.localrunner.PostgresServer;
import io.depproxy.localrunner.S3Server;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A real PostgreSQL, a real S3 server (containers with Docker, else embedded PostgreSQL and S3Proxy) and a fake
 * upstream registry for the whole test run. The internal secret is the shared-contracts golden secret.
 */
public class ControlPlaneTestResources implements QuarkusTestResourceLifecycleManager {
    public static final String BUCKET = "dp-test";
    public static final String EXTERNAL_URL = "http://registry.test:8080";

    private PostgresServer postgres;
    private S3Server s3;
    private FakeRegistry registry;

    @Override
    public Map<String, String> start() {
        postgres = PostgresServer.startEphemeral();
        s3 = S3Server.startEphemeral();
        registry = FakeRegistry.start();
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.datasource.jdbc.url", postgres.jdbcUrl());
        config.put("quarkus.datasource.username", postgres.username());
        config.put("quarkus.datasource.password", postgres.password());
        config.put("dp.s3.endpoint", s3.endpoint());
        config.put("dp.s3.access-key", s3.accessKey());
        config.put("dp.s3.secret-key", s3.secretKey());
        config.put("dp.s3.region", s3.region());
        config.put("dp.s3.bucket", BUCKET);
        config.put("dp.upstream.url", registry.baseUrl());
        config.put("dp.upstream.username", FakeRegistry.USERNAME);
        config.put("dp.upstream.password", FakeRegistry.PASSWORD);
        config.put("dp.upstream.single-name-prefix", "library");
        config.put("dp.internal-secret", Golden.read("internal-secret.txt"));
        config.put("dp.admin-token", "test-admin-" + UUID.randomUUID());
        config.put("dp.external-url", EXTERNAL_URL);
        return config;
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(registry,
                new TestInjector.AnnotatedAndMatchesType(InjectFakeRegistry.class, FakeRegistry.class));
    }

    @Override
    public void stop() {
        if (registry != null) {
            registry.close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }
}
