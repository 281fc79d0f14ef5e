package io.depproxy.localrunner;

/** What the runner prints once both services are ready: the only output on stdout. */
final class Banner {

    private Banner() {
    }

    static String text(RunnerSettings settings, String adminToken) {
        String host = settings.registryHost();
        String url = settings.externalUrl();
        String prefix = host + "/<group>/dependency_proxy/containers/";
        return String.join("\n",
                "",
                "Dependency proxy is running at " + url + " (control plane " + settings.controlPlaneUrl() + ")",
                "",
                "  Image prefix:   " + prefix,
                "                  e.g. docker pull " + prefix + "alpine:latest",
                "  Admin token:    " + adminToken,
                "  Log in:         echo '" + adminToken + "' | docker login " + host + " -u root --password-stdin",
                "  Create a group: curl -H \"PRIVATE-TOKEN: " + adminToken + "\" -X POST " + url
                        + "/api/v4/groups -d 'name=My group&path=my-group'",
                "                  then pull through " + host + "/my-group/dependency_proxy/containers/<image>:<tag>",
                "  Admin page:     " + url + "/admin (sign in with the admin token)",
                "  Data:           " + settings.dataDir() + " (kept across restarts)",
                "",
                "Press Ctrl-C to stop everything.",
                "");
    }
}
