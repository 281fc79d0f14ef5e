package io.depproxy.localrunner;

import java.util.logging.Logger;
import org.testcontainers.DockerClientFactory;

/**
 * Whether the fixtures should use containers. Docker is asked once per JVM; {@code -Ddp.fixtures.docker=false}
 * (or {@code DP_FIXTURES_DOCKER=false}) forces the embedded servers even where Docker answers.
 */
final class Docker {

    private static final Logger LOG = Logger.getLogger(Docker.class.getName());
    private static volatile Boolean available;

    private Docker() {
    }

    static boolean available() {
        Boolean known = available;
        if (known == null) {
            known = ask();
            available = known;
        }
        return known;
    }

    private static boolean ask() {
        String forced = System.getProperty("dp.fixtures.docker", System.getenv("DP_FIXTURES_DOCKER"));
        if ("false".equalsIgnoreCase(forced)) {
            return false;
        }
        try {
            boolean answers = DockerClientFactory.instance().isDockerAvailable();
            LOG.fine(() -> "Docker " + (answers ? "answers: using containers" : "does not answer: using embedded servers"));
            return answers;
        } catch (LinkageError | RuntimeException e) {
            // testcontainers is not on the classpath (the runner's shaded jar) or cannot talk to Docker
            return false;
        }
    }
}
