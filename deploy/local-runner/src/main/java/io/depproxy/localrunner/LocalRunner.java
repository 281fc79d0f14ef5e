package io.depproxy.localrunner;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/**
 * {@code make run}: a real PostgreSQL and S3 server under DP_DATA_DIR (unless DP_DB_URL / DP_S3_ENDPOINT
 * point elsewhere), generated secrets kept beside them, then the control plane and the accelerator as child
 * processes. Ctrl-C stops the services, then S3 and PostgreSQL; data survives a restart.
 */
public final class LocalRunner {

    static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    static final Duration STOP_GRACE = Duration.ofSeconds(10);
    /**
     * The accelerator streams bodies and keeps its buffers direct and bounded, so its heap only holds what is in
     * flight; left to the JVM's defaults on a big machine, its heap still grows with the garbage of the bytes it
     * relays (Vert.x copies every received chunk onto the heap) to several hundred MiB. Same collector as its image
     * (deploy/images/accelerator.Dockerfile), absolute sizes since nothing limits the runner's memory. A fixed
     * young generation: that garbage dies young, and with the few MiB a growing heap starts with, a cold pull of
     * 256 MiB spent 1.9 s of 6 s in 313 collections (JFR); with 80 MiB, 0.16 s in 45. 64 MiB pulls as fast (the
     * benchmark: 0.84 s vs 0.87 s) and keeps 64 streams at 253 MB RSS instead of 309.
     */
    static final List<String> ACCELERATOR_JVM = List.of("-XX:+UseSerialGC", "-Xms96m", "-Xmx128m", "-Xmn64m",
            "-XX:MaxDirectMemorySize=128m", "-XX:+ExitOnOutOfMemoryError");

    private final RunnerSettings settings;
    private final PrintStream out;
    private final List<ChildProcess> services = new CopyOnWriteArrayList<>();
    private volatile PostgresServer postgres;
    private volatile S3Server s3;
    private volatile Map<String, String> serviceEnv;
    private volatile boolean stopping;

    public LocalRunner(RunnerSettings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    public static void main(String[] args) {
        configureLogging();
        RunnerSettings settings;
        try {
            settings = RunnerSettings.resolve(args, System.getenv(), System.getProperties(),
                    Path.of("").toAbsolutePath());
        } catch (IllegalArgumentException e) {
            log().severe(e.getMessage());
            System.exit(2);
            return;
        }
        LocalRunner runner = new LocalRunner(settings, System.out);
        Runtime.getRuntime().addShutdownHook(new Thread(runner::stop, "local-runner-stop"));
        int code;
        try {
            runner.start();
            code = runner.awaitServiceExit();
        } catch (IllegalStateException | UncheckedIOException e) {
            log().severe("local runner failed: " + e.getMessage()); // an explained failure: no stack trace
            code = 1;
        } catch (RuntimeException e) {
            log().log(Level.SEVERE, "local runner failed: " + e, e);
            code = 1;
        }
        if (!runner.stopping) {
            runner.stop();
            System.exit(code);
        }
    }

    /** Starts the backing servers and both services, waits until they are ready and prints the banner. */
    public void start() {
        requireArtifact("control-plane", settings.controlPlaneJar());
        requireArtifact("accelerator", settings.acceleratorJar());
        Path data = createDirectories(settings.dataDir());
        createDirectories(settings.spoolDir());
        LocalSecrets secrets = new LocalSecrets(data);
        if (settings.embeddedDatabase()) {
            Path portFile = data.resolve("postgres.port");
            postgres = PostgresServer.startEmbedded(data.resolve("postgres"), SavedPort.reuseOrPick(portFile),
                    false, false, data.resolve("postgres.log"));
            abortIfStopping();
            SavedPort.save(portFile, postgres.port());
        }
        if (settings.embeddedStorage()) {
            LocalSecrets.S3Credentials keys = secrets.s3Credentials();
            Path portFile = data.resolve("s3.port");
            s3 = S3Server.startProxy(data.resolve("s3"), SavedPort.reuseOrPick(portFile),
                    keys.accessKey(), keys.secretKey(), false, false);
            abortIfStopping();
            SavedPort.save(portFile, s3.port());
            s3.createBucket(settings.bucket());
        }
        Map<String, String> env = ServiceEnvironment.build(settings, postgres, s3, secrets);
        serviceEnv = env;
        Map<ChildProcess, ReadinessProbe> readiness = new LinkedHashMap<>();
        readiness.put(startService("control-plane", settings.controlPlaneJar(),
                jvmOptions(List.of(), "DP_CONTROL_PLANE_JAVA_OPTS"), env),
                ReadinessProbe.healthReady(settings.controlPlaneUrl()));
        readiness.put(startService("accelerator", settings.acceleratorJar(),
                jvmOptions(ACCELERATOR_JVM, "DP_ACCELERATOR_JAVA_OPTS"), ServiceEnvironment.forAccelerator(env)),
                ReadinessProbe.healthReady(settings.acceleratorUrl()));
        ChildProcess.awaitAllReady(readiness, READY_TIMEOUT);
        out.println(Banner.text(settings, env.get("DP_ADMIN_TOKEN")));
        out.flush();
    }

    /** Blocks until a service exits; 0 if that was because of {@link #stop()}, 1 otherwise. */
    public int awaitServiceExit() {
        CompletableFuture.anyOf(services.stream().map(ChildProcess::onExit).toArray(CompletableFuture[]::new))
                .join();
        if (stopping) {
            return 0;
        }
        services.stream().filter(s -> !s.isAlive()).forEach(s ->
                log().severe(() -> s.name() + " exited with code " + s.exitCode() + ": stopping everything"));
        return 1;
    }

    /** Stops the services (SIGTERM, 10 s, SIGKILL), then S3 and PostgreSQL. Idempotent. */
    public synchronized void stop() {
        stopping = true;
        if (services.isEmpty() && s3 == null && postgres == null) {
            return;
        }
        ChildProcess.stopAll(services, STOP_GRACE);
        services.clear();
        if (s3 != null) {
            s3.close();
            s3 = null;
        }
        if (postgres != null) {
            postgres.close();
            postgres = null;
        }
        log().info("stopped");
    }

    /** The environment the services were started with (for tests and diagnostics). */
    public Map<String, String> serviceEnvironment() {
        return serviceEnv;
    }

    /** The defaults, then what {@code variable} adds (space-separated; a later option wins, a profiler fits in). */
    private List<String> jvmOptions(List<String> defaults, String variable) {
        String extra = settings.env().getOrDefault(variable, "").trim();
        if (extra.isEmpty()) {
            return defaults;
        }
        List<String> options = new ArrayList<>(defaults);
        options.addAll(List.of(extra.split("\\s+")));
        return options;
    }

    private ChildProcess startService(String name, Path jar, List<String> jvmOptions, Map<String, String> env) {
        abortIfStopping();
        ChildProcess service = ChildProcess.java(name, jvmOptions, jar, List.of())
                .clearEnvironment().environment(env).inheritIO().start();
        log().info(() -> "started " + service + " from " + jar);
        services.add(service);
        abortIfStopping();
        return service;
    }

    static void requireArtifact(String name, Path jar) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(name + " is not built: " + jar + " does not exist (run "
                    + "`./mvnw -DskipTests package` first, or pass its path with --" + name + "-jar)");
        }
    }

    /** Ctrl-C during start-up: whatever was started after {@link #stop()} ran is stopped here. */
    private void abortIfStopping() {
        if (stopping) {
            stop();
            throw new IllegalStateException("stopped during start-up");
        }
    }

    /** No static logger here: {@link #main} picks the log manager before java.util.logging starts. */
    private static Logger log() {
        return Logger.getLogger(LocalRunner.class.getName());
    }

    /**
     * Before anything logs: our manager (a string: touching RunnerLogManager would start java.util.logging before
     * the property is set), and one line per record on stderr unless a logging configuration says otherwise.
     */
    private static void configureLogging() {
        if (System.getProperty("java.util.logging.manager") == null) {
            System.setProperty("java.util.logging.manager", "io.depproxy.localrunner.RunnerLogManager");
        }
        String key = "java.util.logging.SimpleFormatter.format";
        if (System.getProperty(key) == null && LogManager.getLogManager().getProperty(key) == null) {
            System.setProperty(key, "[local-runner] %1$tT %4$s %5$s%6$s%n");
        }
        Logger.getLogger("").getHandlers(); // creates the console handler with that format, then keep it
        RunnerLogManager.freeze();
    }

    private static Path createDirectories(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }
}
