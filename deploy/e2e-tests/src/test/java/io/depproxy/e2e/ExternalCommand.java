package io.depproxy.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a real client (skopeo, podman) to completion and fails loudly with its output. */
final class ExternalCommand {
    record Result(int exitCode, String output) {
        Result assertSuccess(List<String> command) {
            if (exitCode != 0) {
                throw new AssertionError(String.join(" ", command) + " exited " + exitCode + ":\n" + output);
            }
            return this;
        }
    }

    private ExternalCommand() {
    }

    static Result run(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        return run(command, timeoutSeconds, Map.of());
    }

    /** With {@code env} added to this process's environment. */
    static Result run(List<String> command, long timeoutSeconds, Map<String, String> env)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile("e2e-cmd", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s:\n"
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.deleteIfExists(log);
        return new Result(process.exitValue(), output);
    }

    static Result succeed(List<String> command) throws IOException, InterruptedException {
        return run(command, 300).assertSuccess(command);
    }

    static void requireOnPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return;
            }
        }
        throw new AssertionError(tool + " is not installed: run deploy/scripts/install-test-deps.sh (make test does)");
    }
}
