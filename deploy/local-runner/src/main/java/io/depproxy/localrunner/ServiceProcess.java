package io.depproxy.localrunner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/** One service ({@code java -jar <artifact>}) as a child process sharing the runner's stdout and stderr. */
final class ServiceProcess {

    private static final Logger LOG = Logger.getLogger(ServiceProcess.class.getName());
    static final String READY_PATH = "/-/health/ready";

    private final String name;
    private final Process process;
    private final URI readyUri;

    private ServiceProcess(String name, Process process, URI readyUri) {
        this.name = name;
        this.process = process;
        this.readyUri = readyUri;
    }

    /** Starts {@code java <jvmOptions> -jar jar} with exactly {@code env}; its probes answer at {@code baseUrl}. */
    static ServiceProcess start(String name, Path jar, List<String> jvmOptions, Map<String, String> env,
                                String baseUrl) {
        requireArtifact(name, jar);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().clear();
        builder.environment().putAll(env);
        try {
            Process process = builder.start();
            LOG.info(() -> "started " + name + " (pid " + process.pid() + ") from " + jar);
            return new ServiceProcess(name, process, URI.create(baseUrl + READY_PATH));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + " from " + jar, e);
        }
    }

    static void requireArtifact(String name, Path jar) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(name + " is not built: " + jar + " does not exist (run "
                    + "`./mvnw -DskipTests package` first, or pass its path with --" + name + "-jar)");
        }
    }

    String name() {
        return name;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    CompletableFuture<Process> onExit() {
        return process.onExit();
    }

    int exitCode() {
        return process.exitValue();
    }

    boolean isReady(HttpClient client) {
        try {
            HttpRequest request = HttpRequest.newBuilder(readyUri).timeout(Duration.ofSeconds(2)).GET().build();
            return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Waits until every service answers 200 on {@value #READY_PATH}. Fails as soon as one exits, or when
     * {@code timeout} passes.
     */
    static void awaitReady(List<ServiceProcess> services, Duration timeout) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            boolean allReady = true;
            for (ServiceProcess service : services) {
                if (!service.isAlive()) {
                    throw new IllegalStateException(service.name + " exited with code " + service.exitCode()
                            + " before it was ready");
                }
                allReady &= service.isReady(client);
            }
            if (allReady) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("services not ready within " + timeout.toSeconds() + " s: "
                        + services.stream().filter(s -> !s.isReady(client)).map(s -> s.readyUri).toList());
            }
            sleep(Duration.ofMillis(500));
        }
    }

    /** SIGTERM to all, up to {@code grace} for them to exit, then SIGKILL to the rest. */
    static void stopAll(List<ServiceProcess> services, Duration grace) {
        services.stream().filter(ServiceProcess::isAlive).forEach(s -> {
            LOG.info(() -> "stopping " + s.name);
            s.process.destroy();
        });
        long deadline = System.nanoTime() + grace.toNanos();
        for (ServiceProcess service : services) {
            try {
                long left = Math.max(0, deadline - System.nanoTime());
                if (!service.process.waitFor(left, TimeUnit.NANOSECONDS)) {
                    LOG.warning(() -> service.name + " did not stop within " + grace.toSeconds() + " s: killing it");
                    service.process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                service.process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the services", e);
        }
    }
}
