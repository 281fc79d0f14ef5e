package io.depproxy.controlplane.api;

import io.depproxy.contracts.Headers;
import io.depproxy.controlplane.access.InternalRequestVerifier;
import io.depproxy.controlplane.cache.MissingObjects;
import io.depproxy.controlplane.error.RegistryException;
import jakarta.inject.Inject;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

/**
 * The accelerator's report that a send-url's object answered 404 ({@code POST /-/internal/missing-objects?key=…}, the
 * send-url's {@code MissingUrl}): a fresh {@code Gitlab-Workhorse-Api-Request} JWT, and a key of a stored blob or
 * manifest, nothing else. The records are dropped only if storage confirms the object is gone
 * ({@link MissingObjects}); the answer is 204 either way. The accelerator's public port never forwards this path.
 */
@Path(MissingObjects.REPORT_PATH)
public class InternalMissingObjectResource {
    @Inject
    InternalRequestVerifier verifier;
    @Inject
    MissingObjects missing;

    @POST
    public Response report(@HeaderParam(Headers.API_REQUEST) String apiRequest, @QueryParam("key") String key) {
        verifier.verifyApiRequest(apiRequest);
        if (!MissingObjects.isRecordObject(key)) {
            throw RegistryException.nameInvalid("key must name a stored blob or manifest");
        }
        missing.healIfMissing(key);
        return Response.noContent().build();
    }
}
