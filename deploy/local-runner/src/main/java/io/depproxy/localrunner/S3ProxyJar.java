package io.depproxy.localrunner;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the S3Proxy fat jar ({@code org.gaul:s3proxy:4.1.0:jar-with-dependencies}) that {@link S3Server} runs
 * as a child process. Order: system property {@value #PROPERTY}, environment variable {@value #ENV}, the copy
 * this module's build puts next to its classes or jar ({@code target/s3proxy/s3proxy.jar}), then the local
 * Maven repository ({@code maven.repo.local} or {@code ~/.m2/repository}).
 */
public final class S3ProxyJar {

    public static final String PROPERTY = "dp.s3proxy.jar";
    public static final String ENV = "DP_S3PROXY_JAR";
    public static final String VERSION = "4.1.0";

    private S3ProxyJar() {
    }

    /** The jar to run; fails with every place looked at when none holds it. */
    public static Path locate() {
        String explicit = System.getProperty(PROPERTY, System.getenv(ENV));
        if (explicit != null && !explicit.isBlank()) {
            Path path = Path.of(explicit);
            if (!Files.isRegularFile(path)) {
                throw new IllegalStateException(PROPERTY + "/" + ENV + " names " + path + ", which does not exist");
            }
            return path;
        }
        List<Path> candidates = new ArrayList<>();
        besideThisModule().ifPresent(candidates::add);
        candidates.add(inMavenRepository());
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("S3Proxy jar not found (looked at " + candidates + "). Run "
                + "`./mvnw -pl deploy/local-runner -am install` (it downloads org.gaul:s3proxy:" + VERSION
                + ":jar-with-dependencies) or set -D" + PROPERTY + "=<path>");
    }

    static Path inMavenRepository() {
        String repo = System.getProperty("maven.repo.local");
        Path root = repo != null && !repo.isBlank()
                ? Path.of(repo)
                : Path.of(System.getProperty("user.home"), ".m2", "repository");
        return root.resolve(Path.of("org", "gaul", "s3proxy", VERSION,
                "s3proxy-" + VERSION + "-jar-with-dependencies.jar"));
    }

    /** {@code target/s3proxy/s3proxy.jar} when running from {@code target/classes} or {@code target/local-runner.jar}. */
    private static Optional<Path> besideThisModule() {
        try {
            CodeSource source = S3ProxyJar.class.getProtectionDomain().getCodeSource();
            if (source == null || source.getLocation() == null) {
                return Optional.empty();
            }
            Path location = Path.of(source.getLocation().toURI());
            Path parent = location.getParent();
            return parent == null ? Optional.empty()
                    : Optional.of(parent.resolve("s3proxy").resolve("s3proxy.jar"));
        } catch (URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
