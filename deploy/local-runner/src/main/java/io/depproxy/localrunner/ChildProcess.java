package io.depproxy.localrunner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.logging.Logger;

/**
 * One child process (a packaged service, S3Proxy, a registry binary, the local runner itself): started with the
 * environment its caller chose, its output in a log file or shared with ours, ready once its {@link ReadinessProbe}
 * says so, stopped like Kubernetes stops a pod (SIGTERM, a grace period, then SIGKILL). The local runner and every
 * test that starts a process use this one launcher, so "start, log, wait for health, stop" is written once.
 */
public final class ChildProcess implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ChildProcess.class.getName());
    private static final Duration PROBE_INTERVAL = Duration.ofMillis(100);
    private static final Duration DEFAULT_GRACE = Duration.ofSeconds(30);
    private static final int LOG_TAIL_CHARS = 8000;
    /** Asks every starting process's probe in turn; a daemon, so it never keeps a JVM alive. */
    private static final ScheduledExecutorService PROBES = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "child-process-probes");
        thread.setDaemon(true);
        return thread;
    });

    private final String name;
    private final Process process;
    private final Path log;
    private volatile Thread stopOnExit;

    private ChildProcess(Builder started, Process process) {
        this.name = started.name;
        this.log = started.log;
        this.process = process;
    }

    /** A process running {@code command}; configure it, then {@link Builder#start()}. */
    public static Builder command(String name, List<String> command) {
        return new Builder(name, command);
    }

    /** {@code java <jvmOptions> -jar <jar> <args>} with this JVM's {@code java}. */
    public static Builder java(String name, List<String> jvmOptions, Path jar, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
        command.addAll(args);
        return new Builder(name, command);
    }

    public String name() {
        return name;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public CompletableFuture<Process> onExit() {
        return process.onExit();
    }

    /** The exit code; only once the process has exited. */
    public int exitCode() {
        return process.exitValue();
    }

    /** Everything the process wrote to its log file so far ("" when it shares our output or wrote nothing). */
    public String log() {
        try {
            return log != null && Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    /** The file the process logs to, or null when it shares our output. */
    public Path logFile() {
        return log;
    }

    /**
     * Waits until {@code probe} answers true. Fails at once when the process exits first, or when {@code timeout}
     * passes; either failure names the process and ends with the last lines of its log.
     */
    public ChildProcess awaitReady(ReadinessProbe probe, Duration timeout) {
        awaitAllReady(Map.of(this, probe), timeout);
        return this;
    }

    /** {@link #awaitReady} for processes starting side by side: all must become ready within {@code timeout}. */
    public static void awaitAllReady(Map<ChildProcess, ReadinessProbe> probes, Duration timeout) {
        List<CompletableFuture<Void>> readiness = probes.entrySet().stream()
                .map(entry -> entry.getKey().whenReady(entry.getValue())).toList();
        // allOf alone would wait for the others when one process exits: the first failure ends the wait
        CompletableFuture<Void> firstFailure = new CompletableFuture<>();
        readiness.forEach(future -> future.whenComplete((ready, failure) -> {
            if (failure != null) {
                firstFailure.completeExceptionally(failure);
            }
        }));
        CompletableFuture<Void> all = CompletableFuture.allOf(readiness.toArray(CompletableFuture[]::new));
        try {
            CompletableFuture.anyOf(all, firstFailure).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IllegalStateException failure ? failure
                    : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            StringBuilder message = new StringBuilder();
            List<ChildProcess> processes = List.copyOf(probes.keySet());
            for (int i = 0; i < processes.size(); i++) {
                if (!readiness.get(i).isDone()) {
                    message.append(message.isEmpty() ? "" : "; ").append(processes.get(i).name)
                            .append(" not ready within ").append(timeout.toSeconds()).append(" s")
                            .append(processes.get(i).tailForMessage());
                }
            }
            throw new IllegalStateException(message.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + probes.keySet().stream()
                    .map(ChildProcess::name).toList(), e);
        } finally {
            readiness.forEach(future -> future.cancel(false));
        }
    }

    /** Stops this process ({@link #stop}) when this JVM exits, unless it was stopped before. */
    public ChildProcess stopOnJvmExit(Duration grace) {
        Thread hook = new Thread(() -> stop(grace), name + "-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        stopOnExit = hook;
        return this;
    }

    /** SIGTERM, then up to {@code grace} to exit; answers the exit code (SIGKILL and -1 when it did not exit). */
    public int stop(Duration grace) {
        Thread hook = stopOnExit;
        if (hook != null && hook != Thread.currentThread()) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs or will run; stopping twice is harmless
            }
        }
        process.destroy();
        try {
            if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                return process.exitValue();
            }
            LOG.warning(() -> name + " did not stop within " + grace.toSeconds() + " s: killing it");
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        return -1;
    }

    /** SIGTERM to all at once, up to {@code grace} for them all to exit, then SIGKILL to the rest. */
    public static void stopAll(Collection<ChildProcess> processes, Duration grace) {
        processes.stream().filter(ChildProcess::isAlive).forEach(p -> {
            LOG.info(() -> "stopping " + p.name);
            p.process.destroy();
        });
        long deadline = System.nanoTime() + grace.toNanos();
        for (ChildProcess child : processes) {
            child.stop(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
    }

    /** SIGKILL ({@code kill -9}): no shutdown hook, no graceful close, in-flight work simply stops. */
    public void kill() {
        try {
            process.destroyForcibly().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@link #stop} with 30 s of grace, unless it already exited. */
    @Override
    public void close() {
        if (process.isAlive()) {
            stop(DEFAULT_GRACE);
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }

    /** Completes once {@code probe} answers true; fails as soon as the process exits. Cancel it to stop asking. */
    private CompletableFuture<Void> whenReady(ReadinessProbe probe) {
        CompletableFuture<Void> ready = new CompletableFuture<>();
        process.onExit().thenRun(() -> ready.completeExceptionally(new IllegalStateException(
                name + " exited with code " + process.exitValue() + " before it was ready" + tailForMessage())));
        ScheduledFuture<?> asking = PROBES.scheduleWithFixedDelay(() -> {
            if (probe.ready() && process.isAlive()) {
                ready.complete(null);
            }
        }, 0, PROBE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        ready.whenComplete((ok, failure) -> asking.cancel(false));
        return ready;
    }

    private String tailForMessage() {
        if (log == null) {
            return "";
        }
        String text = log();
        return ":\n" + (text.length() > LOG_TAIL_CHARS ? "…" + text.substring(text.length() - LOG_TAIL_CHARS) : text);
    }

    /** How a {@link ChildProcess} is started: its environment, working directory and where its output goes. */
    public static final class Builder {
        private final String name;
        private final ProcessBuilder builder;
        private Path log;

        private Builder(String name, List<String> command) {
            this.name = name;
            this.builder = new ProcessBuilder(command);
        }

        /** Starts from an empty environment: the process sees only what {@link #environment} adds. */
        public Builder clearEnvironment() {
            builder.environment().clear();
            return this;
        }

        /** Drops the inherited variables whose names match (e.g. everything starting with {@code DP_}). */
        public Builder removeEnvironment(Predicate<String> names) {
            builder.environment().keySet().removeIf(names);
            return this;
        }

        /** Adds (or replaces) these variables. */
        public Builder environment(Map<String, String> variables) {
            builder.environment().putAll(variables);
            return this;
        }

        public Builder directory(Path dir) {
            builder.directory(dir.toFile());
            return this;
        }

        /** Standard output and error appended to {@code file} (a restarted process keeps its earlier lines). */
        public Builder logTo(Path file) {
            this.log = file;
            builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(file.toFile()));
            return this;
        }

        /** Standard output and error shared with this JVM's (the local runner's services print to its console). */
        public Builder inheritIO() {
            this.log = null;
            builder.inheritIO();
            return this;
        }

        public ChildProcess start() {
            try {
                Process process = builder.start();
                LOG.fine(() -> "started " + name + " (pid " + process.pid() + "): "
                        + String.join(" ", builder.command()));
                return new ChildProcess(this, process);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + name + " (" + builder.command().get(0) + ")", e);
            }
        }
    }
}
