package io.depproxy.e2e;

import io.depproxy.localrunner.ChildProcess;
import io.depproxy.localrunner.ReadinessProbe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * containerd (what Kubernetes nodes pull with) as root with its own root, state and socket. With credentials, ctr
 * first POSTs the OAuth2 password form to the token realm and falls back to GET only on 400/401/404/405.
 */
final class Containerd implements AutoCloseable {
    private final Path dir;
    private static final Duration READY = Duration.ofSeconds(30);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    private ChildProcess process;

    Containerd(Path dir) {
        this.dir = dir;
    }

    void start() throws IOException, InterruptedException {
        ExternalCommand.requireOnPath("containerd");
        Files.createDirectories(dir);
        Path config = dir.resolve("config.toml");
        Files.writeString(config, String.join("\n",
                "version = 2",
                "root = \"" + dir.resolve("root") + "\"",
                "state = \"" + dir.resolve("state") + "\"",
                "[grpc]",
                "  address = \"" + socket() + "\"",
                "[ttrpc]",
                "  address = \"" + dir.resolve("ttrpc.sock") + "\"",
                ""));
        process = ChildProcess.command("containerd", List.of("containerd", "--config", config.toString()))
                .logTo(dir.resolve("containerd.log")).start()
                .awaitReady(ReadinessProbe.fileExists(socket()), READY);
    }

    ExternalCommand.Result pull(String ref, String credentials) throws IOException, InterruptedException {
        return pull(ref, credentials, List.of("--plain-http"));
    }

    /**
     * A pull whose registry hosts are configured by {@code hosts.toml} files under {@code hostsDir} (what a node's
     * {@code /etc/containerd/certs.d} holds); {@code credentials} null pulls without any.
     */
    ExternalCommand.Result pullWithHostsDir(String ref, String credentials, Path hostsDir)
            throws IOException, InterruptedException {
        return pull(ref, credentials, List.of("--hosts-dir", hostsDir.toString()));
    }

    private ExternalCommand.Result pull(String ref, String credentials, List<String> hostOptions)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ctr", "--address", socket().toString(), "images", "pull",
                "--snapshotter", "native", "--platform", "linux/amd64"));
        command.addAll(hostOptions);
        if (credentials != null) {
            command.addAll(List.of("--user", credentials));
        }
        command.add(ref);
        return ExternalCommand.run(command, 300);
    }

    private Path socket() {
        return dir.resolve("containerd.sock");
    }

    @Override
    public void close() {
        if (process != null) {
            process.stop(STOP_GRACE);
        }
    }
}
