package io.depproxy.controlplane.api;

import io.depproxy.contracts.Headers;
import io.depproxy.contracts.MediaTypes;
import io.depproxy.contracts.error.RegistryErrorCode;
import io.depproxy.contracts.upload.FinalizeForm;
import io.depproxy.contracts.upload.ReadAheadOutcome;
import io.depproxy.controlplane.access.InternalRequestVerifier;
import io.depproxy.controlplane.error.RegistryException;
import io.depproxy.controlplane.registry.RegistryRequest;
import io.depproxy.controlplane.upload.UploadAuthorizeService;
import io.depproxy.controlplane.upload.UploadFinalizeService;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The accelerator's internal calls after a miss: {@code POST …/upload/authorize} (where to store), {@code DELETE
 * …/upload/authorize} (the store gave up) and {@code …/upload} (finalize). All require a fresh
 * {@code Gitlab-Workhorse-Api-Request} JWT; a finalize marked {@code Gitlab-Workhorse-Read-Ahead: 1} stores a blob the
 * read-ahead downloaded before any client took it.
 */
@Path("/v2")
public class InternalUploadResource {
    static final String AUTHORIZE_SUFFIX = "/upload/authorize";
    static final String FINALIZE_SUFFIX = "/upload";

    @Inject
    InternalRequestVerifier verifier;
    @Inject
    UploadAuthorizeService authorizer;
    @Inject
    UploadFinalizeService finalizer;

    @POST
    @Path("{path: .+}/upload/authorize")
    public Response authorize(@HeaderParam(Headers.API_REQUEST) String apiRequest,
                              @HeaderParam(Headers.UPLOAD_LENGTH) String uploadLength,
                              @Context HttpServerRequest http) {
        verifier.verifyApiRequest(apiRequest);
        RegistryRequest request = RegistryRequest.parse(http.path(), AUTHORIZE_SUFFIX);
        String body = authorizer.authorize(request, parseLength(uploadLength)).toJson();
        return Response.ok(body, MediaTypes.WORKHORSE_INTERNAL_JSON).build();
    }

    /** The store gave up after authorize (its upload failed): its blob lease is released at once. */
    @DELETE
    @Path("{path: .+}/upload/authorize")
    public Response withdraw(@HeaderParam(Headers.API_REQUEST) String apiRequest,
                             @QueryParam("remote_id") String remoteId, @Context HttpServerRequest http) {
        verifier.verifyApiRequest(apiRequest);
        authorizer.withdraw(RegistryRequest.parse(http.path(), AUTHORIZE_SUFFIX), remoteId);
        return Response.noContent().build();
    }

    @POST
    @Path("{path: .+}/upload")
    public Response finalizeUpload(@HeaderParam(Headers.API_REQUEST) String apiRequest,
                                   @HeaderParam(Headers.DOCKER_CONTENT_DIGEST) String upstreamDigest,
                                   @HeaderParam(Headers.PROXY_CONTENT_TYPE) String upstreamContentType,
                                   @HeaderParam(Headers.UPSTREAM_ID) String upstreamId,
                                   @HeaderParam(Headers.READ_AHEAD) String readAhead,
                                   @Context HttpServerRequest http, String body) {
        verifier.verifyApiRequest(apiRequest);
        RegistryRequest request = RegistryRequest.parse(http.path(), FINALIZE_SUFFIX);
        finalizer.finalizeUpload(request, FinalizeForm.parse(body == null ? "" : body),
                new UploadFinalizeService.UpstreamHeaders(upstreamDigest, upstreamContentType, parseId(upstreamId),
                        ReadAheadOutcome.parse(readAhead)));
        return Response.ok("{}", MediaType.APPLICATION_JSON).build();
    }

    /** The upstream a download came from; absent or malformed (an older accelerator's call) is unknown. */
    private static Long parseId(String value) {
        try {
            return value == null ? null : Long.valueOf(value.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Long parseLength(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            long length = Long.parseLong(value.trim());
            if (length < 0) {
                throw new NumberFormatException();
            }
            return length;
        } catch (NumberFormatException e) {
            throw new RegistryException(RegistryErrorCode.SIZE_INVALID, "Upload-Length must be a byte count");
        }
    }
}
