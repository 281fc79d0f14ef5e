package io.depproxy.controlplane.api;

import io.depproxy.controlplane.access.RegistryKeys;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;

/** {@code /-/jwks}: the public key registry tokens are signed with. */
@Path("/-/jwks")
public class JwksResource {
    @Inject
    RegistryKeys keys;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, List<Map<String, String>>> jwks() {
        return Map.of("keys", List.of(keys.jwk()));
    }
}
