package io.depproxy.manifests;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Prometheus's own rule checker, {@code promtool check rules} and {@code promtool test rules}, run on the alert rules
 * the monitoring component ships. Found as {@code -Ddp.promtool}, {@code $PROMTOOL} or on {@code PATH};
 * {@code deploy/scripts/install-test-deps.sh} installs it (Debian package {@code prometheus}).
 */
final class Promtool {

    static final String INSTALL_HINT = "install Debian's `prometheus` package (deploy/scripts/install-test-deps.sh,"
            + " which `make test` runs, does), or point -Ddp.promtool=/path/to/promtool at one from a Prometheus"
            + " release";

    private static final long TIMEOUT_SECONDS = 120;

    /** What promtool printed and how it ended. */
    record Result(int exitCode, String output) {
    }

    private final Path promtool;

    private Promtool(Path promtool) {
        this.promtool = promtool;
    }

    /** The promtool named by {@code -Ddp.promtool} or {@code $PROMTOOL}, else the first on {@code PATH}; none: empty. */
    static Optional<Promtool> locate() {
        String configured = System.getProperty("dp.promtool", System.getenv("PROMTOOL"));
        Path found = configured != null && !configured.isBlank() ? Paths.get(configured) : onPath("promtool");
        return found != null && Files.isExecutable(found) ? Optional.of(new Promtool(found)) : Optional.empty();
    }

    Result checkRules(Path rules) {
        return run(List.of("check", "rules", rules.toString()), rules.getParent());
    }

    /** {@code promtool test rules}; the test file names its rule files relative to its own directory. */
    Result testRules(Path tests) {
        return run(List.of("test", "rules", tests.getFileName().toString()), tests.getParent());
    }

    private Result run(List<String> arguments, Path workingDir) {
        List<String> command = new ArrayList<>();
        command.add(promtool.toString());
        command.addAll(arguments);
        Path output = null;
        try {
            // one file for both streams, so a chatty promtool cannot block on a full pipe: the timeout always applies
            output = Files.createTempFile("promtool-", ".out");
            Process process = new ProcessBuilder(command).directory(workingDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + ": no answer within " + TIMEOUT_SECONDS
                        + " s");
            }
            return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + promtool + ": " + e.getMessage() + "; " + INSTALL_HINT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(String.join(" ", command) + ": interrupted", e);
        } finally {
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException ignored) {
                    // a leftover temp file is harmless
                }
            }
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
}
