package io.depproxy.controlplane.api;

import io.depproxy.contracts.Headers;
import io.depproxy.contracts.peer.FetchLeases;
import io.depproxy.controlplane.access.InternalRequestVerifier;
import io.depproxy.controlplane.cache.FetchLeaseService;
import io.depproxy.controlplane.error.RegistryException;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * The accelerators' side of cluster-wide single flight ({@link FetchLeaseService}), internal JWT only, never
 * forwarded by the accelerator's public port: the fetching replica's heartbeat ({@code POST /-/internal/fetch-leases},
 * JSON {@code {"peer": …, "keys": […]}}) and a relaying replica's report that a peer no longer serves a download
 * ({@code POST /-/internal/fetch-leases/peer-gone?key=…&peer=…}). Both answer 204.
 */
@Path(FetchLeases.HEARTBEAT_PATH)
public class InternalFetchLeaseResource {
    /** More keys than any replica downloads at once. */
    static final int MAX_KEYS = 10_000;

    @Inject
    InternalRequestVerifier verifier;
    @Inject
    FetchLeaseService leases;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response heartbeat(@HeaderParam(Headers.API_REQUEST) String apiRequest, FetchLeases.Heartbeat heartbeat) {
        verifier.verifyApiRequest(apiRequest);
        if (heartbeat == null || !FetchLeases.isPeerUrl(heartbeat.peer())) {
            throw RegistryException.nameInvalid("peer must be an http(s)://host:port URL");
        }
        List<String> keys = heartbeat.keys();
        if (keys.size() > MAX_KEYS || keys.stream().anyMatch(key -> key == null || key.length() > 2048)) {
            throw RegistryException.nameInvalid("keys must be at most " + MAX_KEYS + " coalesce keys");
        }
        leases.heartbeat(heartbeat.peer(), keys);
        return Response.noContent().build();
    }

    @POST
    @Path("peer-gone")
    public Response peerGone(@HeaderParam(Headers.API_REQUEST) String apiRequest, @QueryParam("key") String key,
                             @QueryParam("peer") String peer) {
        verifier.verifyApiRequest(apiRequest);
        if (key == null || key.isBlank() || key.length() > 2048 || !FetchLeases.isPeerUrl(peer)) {
            throw RegistryException.nameInvalid("key and peer (an http(s)://host:port URL) are required");
        }
        leases.peerGone(key, peer);
        return Response.noContent().build();
    }
}
