package io.depproxy.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * containerd (what Kubernetes nodes pull with) as root with its own root, state and socket. With credentials, ctr
 * first POSTs the OAuth2 password form to the token realm and falls back to GET only on 400/401/404/405.
 */
final class Containerd implements AutoCloseable {
    private final Path dir;
    private Process process;

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
        process = new ProcessBuilder("containerd", "--config", config.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("containerd.log").toFile()).start();
        for (int i = 0; i < 100 && !Files.exists(socket()); i++) {
            if (!process.isAlive()) {
                throw new IllegalStateException("containerd exited:\n" + Files.readString(dir.resolve("containerd.log")));
            }
            Thread.sleep(100);
        }
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
    public void close() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
