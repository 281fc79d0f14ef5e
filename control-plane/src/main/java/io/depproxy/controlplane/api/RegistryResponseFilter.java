package io.depproxy.controlplane.api;

import io.depproxy.contracts.Headers;
import io.depproxy.controlplane.registry.RegistryRoutes;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/** Every answer on registry routes carries {@code Docker-Distribution-Api-Version: registry/2.0}. */
public class RegistryResponseFilter {

    @ServerResponseFilter
    public void apiVersion(ContainerRequestContext request, ContainerResponseContext response) {
        String path = request.getUriInfo().getPath();
        if (RegistryRoutes.isRegistryRoute(path)) {
            response.getHeaders().putSingle(Headers.DISTRIBUTION_API_VERSION, Headers.DISTRIBUTION_API_VERSION_VALUE);
        }
    }
}
