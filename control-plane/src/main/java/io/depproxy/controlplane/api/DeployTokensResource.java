package io.depproxy.controlplane.api;

import io.depproxy.controlplane.access.DeployTokenService;
import io.depproxy.controlplane.api.dto.CreateTokenRequest;
import io.depproxy.controlplane.api.dto.DeployTokenView;
import io.depproxy.controlplane.config.ControlPlaneConfig;
import io.depproxy.controlplane.domain.TokenScopes;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /api/v4/groups/:id/deploy_tokens} (maintainers): the token is in the creation answer only. */
@RolesAllowed({TokenScopes.API, TokenScopes.ADMIN})
@Path("/api/v4/groups/{id: .+}/deploy_tokens")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "deploy tokens")
public class DeployTokensResource {
    @Inject
    CurrentCaller caller;
    @Inject
    DeployTokenService tokens;
    @Inject
    ControlPlaneConfig config;

    @POST
    @Operation(summary = "Create a group deploy token (scopes: read_registry); answers username and token once")
    @Consumes({MediaType.APPLICATION_JSON, MediaType.APPLICATION_FORM_URLENCODED, MediaType.WILDCARD})
    public Response create(@PathParam("id") String id, @Valid CreateTokenRequest body) {
        DeployTokenService.Created created = tokens.create(caller.get(), id, body.name(), body.scopes(),
                body.expiresAt());
        return Response.status(Response.Status.CREATED)
                .entity(DeployTokenView.of(created.token(), created.rawToken())).build();
    }

    @GET
    @Operation(summary = "List the group's deploy tokens (paginated; revoked ones included, marked)")
    public Response list(@PathParam("id") String id, @Context UriInfo uri) {
        return Paginated.response(tokens.list(caller.get(), id, ApiParams.of(uri).page())
                .map(token -> DeployTokenView.of(token, null)), uri, config.externalUrl());
    }

    @GET
    @Path("{token_id: [0-9]+}")
    @Operation(summary = "Get a deploy token")
    public DeployTokenView get(@PathParam("id") String id, @PathParam("token_id") long tokenId) {
        return DeployTokenView.of(tokens.get(caller.get(), id, tokenId), null);
    }

    @DELETE
    @Path("{token_id: [0-9]+}")
    @Operation(summary = "Revoke a deploy token: it and registry tokens issued for it stop working at once")
    public Response revoke(@PathParam("id") String id, @PathParam("token_id") long tokenId) {
        tokens.revoke(caller.get(), id, tokenId);
        return Response.noContent().build();
    }
}
