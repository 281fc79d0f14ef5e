package io.depproxy.localrunner;

import java.time.Duration;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * MinIO in a container; only loaded when Docker answers. Uses testcontainers' core API only (no MinIOContainer
 * module class), so it works with 1.21.x and with the 2.0.x core that quarkus-bom manages.
 */
final class MinioContainers {

    static final String IMAGE = "minio/minio:RELEASE.2023-09-04T19-57-37Z";
    private static final int PORT = 9000;

    private MinioContainers() {
    }

    @SuppressWarnings("resource") // stopped by the returned S3Server
    static S3Server start(String accessKey, String secretKey) {
        GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(IMAGE))
                .withEnv("MINIO_ROOT_USER", accessKey)
                .withEnv("MINIO_ROOT_PASSWORD", secretKey)
                .withCommand("server", "/data")
                .withExposedPorts(PORT)
                .waitingFor(Wait.forHttp("/minio/health/live").forPort(PORT)
                        .withStartupTimeout(Duration.ofSeconds(120)));
        container.start();
        int port = container.getMappedPort(PORT);
        return new S3Server("http://" + container.getHost() + ":" + port, port, accessKey, secretKey,
                container::stop);
    }
}
