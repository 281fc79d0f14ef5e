package io.depproxy.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** podman as root with no engine: its own storage under the test's directory, vfs, cgroupfs, file events. */
final class Podman {
    private final Path dir;
    private final Path runRoot;

    /** podman refuses a runroot longer than 50 characters, so that one lives in a short temporary directory. */
    Podman(Path dir) throws IOException {
        this.dir = dir;
        this.runRoot = Files.createTempDirectory(Path.of("/tmp"), "pm");
    }

    ExternalCommand.Result run(String... args) throws IOException, InterruptedException {
        return run(Map.of(), args);
    }

    /** With {@code env} set (CONTAINERS_REGISTRIES_CONF for a mirror configuration). */
    ExternalCommand.Result run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("podman", "--root", dir.resolve("root").toString(),
                "--runroot", runRoot.toString(), "--storage-driver", "vfs",
                "--cgroup-manager", "cgroupfs", "--events-backend", "file"));
        command.addAll(List.of(args));
        return ExternalCommand.run(command, 300, env);
    }
}
