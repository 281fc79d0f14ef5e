package io.depproxy.controlplane.registry;

/**
 * Which requests are registry routes: {@code /v2…} (the distribution API) and {@code /jwt…} (its token endpoint).
 * Their answers carry the distribution API version header and their errors the distribution-spec body; the response
 * filter and the error mappers both ask here, so the two cannot disagree.
 */
public final class RegistryRoutes {

    private RegistryRoutes() {
    }

    public static boolean isRegistryRoute(String path) {
        return path.startsWith("/v2") || path.startsWith("/jwt");
    }
}
