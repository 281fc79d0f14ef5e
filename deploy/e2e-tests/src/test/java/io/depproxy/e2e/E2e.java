package io.depproxy.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * The set-up every end-to-end IT shares, so that an IT states only what is particular to it. Registered once per
 * class ({@code @RegisterExtension static final E2e e2e = new E2e();}), it gives the class a work directory, starts
 * upstream registries, the product ({@link ProxyStack}) and a browser on request, pushes images to an upstream, and
 * after the last test closes everything it started, newest first. The work directory (with every service's log) is
 * deleted when all tests passed and kept, its path printed, when one failed.
 */
final class E2e implements BeforeAllCallback, AfterAllCallback, TestWatcher {
    /** skopeo/podman credentials of the stack's bootstrap administrator. */
    static final String CREDS = "root:" + ProxyStack.ADMIN_TOKEN;

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private Path work;
    private boolean failed;
    private int layouts;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        work = Files.createTempDirectory("e2e-" + context.getRequiredTestClass().getSimpleName() + "-");
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        failed = true;
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        Exception closing = null;
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                if (closing == null) {
                    closing = e;
                } else {
                    closing.addSuppressed(e);
                }
            }
        }
        if (failed || context.getExecutionException().isPresent()) {
            System.err.println("kept for the failed tests of " + context.getDisplayName() + ": " + work);
        } else {
            deleteRecursively(work);
        }
        if (closing != null) {
            throw closing;
        }
    }

    /** The class's work directory. */
    Path work() {
        return work;
    }

    /** {@code name} inside the work directory (not created). */
    Path dir(String name) {
        return work.resolve(name);
    }

    /** Closes {@code resource} after the class's last test, before whatever was registered earlier. */
    <T extends AutoCloseable> T closeAtEnd(T resource) {
        started.push(resource);
        return resource;
    }

    /** An anonymous distribution registry in {@code dir(name)}, started. */
    UpstreamRegistry upstream(String name) throws IOException {
        return upstream(new UpstreamRegistry(dir(name)));
    }

    /** Starts {@code registry} (one with Basic or token auth, or extra headers) and closes it at the end. */
    UpstreamRegistry upstream(UpstreamRegistry registry) {
        closeAtEnd(registry).start();
        return registry;
    }

    /** The product started as {@code make run} starts it, with {@code env} added, its data in {@code dir("data")}. */
    ProxyStack stack(Map<String, String> env) {
        ProxyStack stack = closeAtEnd(new ProxyStack(dir("data"), env));
        stack.start();
        return stack;
    }

    /**
     * The product with one default upstream at {@code upstreamUrl} whose single names ({@code app}) mean
     * {@code library/app}, as on Docker Hub; {@code env} adds or overrides.
     */
    ProxyStack stackBehind(String upstreamUrl, Map<String, String> env) {
        Map<String, String> all = new HashMap<>(Map.of("DP_UPSTREAM_URL", upstreamUrl,
                "DP_UPSTREAM_SINGLE_NAME_PREFIX", "library"));
        all.putAll(env);
        return stack(all);
    }

    ProxyStack stackBehind(String upstreamUrl) {
        return stackBehind(upstreamUrl, Map.of());
    }

    /** Headless Chromium with its profile in {@code dir("chromium")}. */
    HeadlessChromium browser() throws IOException {
        return closeAtEnd(new HeadlessChromium(dir("chromium")));
    }

    /** A new OCI layout directory with its own seed, for images a test builds itself. */
    OciImageLayout newLayout() throws IOException {
        layouts++;
        return new OciImageLayout(dir("layout-" + layouts), 1000 + layouts);
    }

    /**
     * A single-platform (amd64) image of random layers of {@code layerSizes} bytes from {@code seed}, pushed to
     * {@code upstream} as {@code reference} ({@code name:tag}).
     */
    OciImageLayout.Image pushImage(UpstreamRegistry upstream, String reference, long seed, long... layerSizes)
            throws IOException, InterruptedException {
        return pushImage(upstream, reference, null, seed, layerSizes);
    }

    /** {@link #pushImage(UpstreamRegistry, String, long, long...)} with {@code user:password} for the upstream. */
    OciImageLayout.Image pushImage(UpstreamRegistry upstream, String reference, String credentials, long seed,
                                   long... layerSizes) throws IOException, InterruptedException {
        String tag = reference.substring(reference.lastIndexOf(':') + 1);
        OciImageLayout layout = new OciImageLayout(dir("image-" + seed), seed);
        OciImageLayout.Image image = layout.image("amd64", layerSizes);
        layout.tag(tag, image.manifest());
        Skopeo.push(layout.dir(), tag, upstream.hostPort() + "/" + reference, false, credentials);
        return image;
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            System.err.println("could not delete all of " + dir + ": " + e);
        }
    }
}
