package io.depproxy.e2e;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** skopeo, the client the end-to-end tests pull with (each call first checks that it is installed). */
final class Skopeo {
    private Skopeo() {
    }

    static void push(Path layout, String tag, String destination, boolean all) throws IOException, InterruptedException {
        push(layout, tag, destination, all, null);
    }

    /** {@code credentials}: {@code user:password} for the destination, or null. */
    static void push(Path layout, String tag, String destination, boolean all, String credentials)
            throws IOException, InterruptedException {
        ExternalCommand.requireOnPath("skopeo");
        List<String> command = new ArrayList<>(List.of("skopeo", "copy", "--dest-tls-verify=false"));
        if (credentials != null) {
            command.addAll(List.of("--dest-creds", credentials));
        }
        if (all) {
            command.add("--all");
        }
        command.addAll(List.of("oci:" + layout + ":" + tag, "docker://" + destination));
        ExternalCommand.succeed(command);
    }

    static ExternalCommand.Result pull(String source, String credentials, Path out, String... extraArgs)
            throws IOException, InterruptedException {
        ExternalCommand.requireOnPath("skopeo");
        List<String> command = new ArrayList<>(List.of("skopeo"));
        command.addAll(List.of(extraArgs));
        command.addAll(List.of("copy", "--src-tls-verify=false", "--src-creds", credentials,
                "docker://" + source, "oci:" + out + ":pulled"));
        return ExternalCommand.run(command, 600);
    }

    static String inspectRaw(String source, String credentials) throws IOException, InterruptedException {
        return ExternalCommand.succeed(List.of("skopeo", "inspect", "--raw", "--tls-verify=false",
                "--creds", credentials, "docker://" + source)).output();
    }
}
