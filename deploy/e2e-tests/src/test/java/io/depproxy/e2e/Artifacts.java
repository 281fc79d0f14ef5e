package io.depproxy.e2e;

import java.nio.file.Files;
import java.nio.file.Path;

/** The packaged artifacts the build names in system properties (dp.localRunnerJar, dp.controlPlaneJar, ...). */
final class Artifacts {
    private Artifacts() {
    }

    /** The file the system property {@code property} names; fails when it is not set or not built. */
    static Path required(String property) {
        String value = System.getProperty(property);
        if (value == null || !Files.isRegularFile(Path.of(value))) {
            throw new AssertionError(property + " does not name a built artifact: " + value);
        }
        return Path.of(value);
    }
}
