package io.depproxy.controlplane.web;

import io.depproxy.controlplane.access.ApiCaller;
import io.depproxy.controlplane.access.DeployTokenService;
import io.depproxy.controlplane.access.GroupPermissions;
import io.depproxy.controlplane.api.ApiParams;
import io.depproxy.controlplane.config.ControlPlaneConfig;
import io.depproxy.controlplane.domain.DeployToken;
import io.depproxy.controlplane.domain.GroupMember;
import io.depproxy.controlplane.domain.Page;
import io.depproxy.controlplane.domain.TokenScopes;
import io.depproxy.controlplane.error.ApiException;
import io.depproxy.controlplane.web.PageModels.CreatedToken;
import io.depproxy.controlplane.web.PageModels.GroupRow;
import io.depproxy.controlplane.web.PageModels.Pager;
import io.depproxy.controlplane.web.PageModels.TokenRow;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;

/**
 * A group's deploy tokens (maintainers): create (the secret is shown on that answer only; a refused form comes back
 * as typed, see {@link FormErrors}) and revoke, after a confirmation page (the first post only asks, so one stray
 * click or key press revokes nothing).
 */
@RolesAllowed({TokenScopes.API, TokenScopes.ADMIN})
@Path(AdminPaths.GROUPS + "/{id: [0-9]{1,18}}/deploy_tokens")
@Produces(MediaType.TEXT_HTML)
public class DeployTokenPages {
    @Inject
    AdminRequest request;
    @Inject
    PageFrames frames;
    @Inject
    DeployTokenService tokens;
    @Inject
    GroupPermissions permissions;
    @Inject
    ControlPlaneConfig config;

    @GET
    public Response list(@PathParam("id") String id, @Context UriInfo uri, @QueryParam("notice") String notice) {
        return page(id, ApiParams.of(uri), 200, notice, null, FormErrors.NONE);
    }

    /** {@code name}, {@code scopes} and an optional {@code expires_at} (a date), as the API takes them. */
    @POST
    public Response create(@PathParam("id") String id, @Context UriInfo uri, @Context HttpHeaders headers,
                           String body) {
        ApiParams params = request.form(uri, headers, body);
        DeployTokenService.Created created;
        try {
            created = tokens.create(request.caller(), id, params.string("name").orElse(null),
                    params.list("scopes").orElse(null), params.instant("expires_at").orElse(null));
        } catch (ApiException e) {
            if (e.status() == 400 || e.status() == 422) {
                return page(id, ApiParams.of(uri), e.status(), null, null, FormErrors.of("create-token", params, e));
            }
            throw e;
        }
        CreatedToken shown = new CreatedToken(created.token().getName(), created.token().getUsername(),
                created.rawToken());
        return page(id, ApiParams.of(uri), 201, null, shown, FormErrors.NONE);
    }

    /**
     * Without {@code confirm=true}: the confirmation page, naming the token (nothing is revoked). With it: revokes.
     * Both steps are CSRF-checked posts, so another site cannot make the browser ask or confirm.
     */
    @POST
    @Path("{token_id: [0-9]{1,18}}/revoke")
    public Response revoke(@PathParam("id") String id, @PathParam("token_id") long tokenId, @Context UriInfo uri,
                           @Context HttpHeaders headers, String body) {
        ApiParams params = request.form(uri, headers, body);
        if (!params.bool("confirm").orElse(false)) {
            DeployToken token = tokens.get(request.caller(), id, tokenId);
            GroupRow group = GroupRow.of(permissions.require(request.caller(), id, GroupMember.GUEST),
                    config.externalUrl());
            return Response.ok(Pages.revokeToken(frames.of("Revoke the deploy token " + token.getName() + "?", null),
                    group, row(token))).build();
        }
        tokens.revoke(request.caller(), id, tokenId);
        return AdminPaths.seeOther(AdminPaths.GROUPS + "/" + id + "/deploy_tokens?notice=token_revoked").build();
    }

    private Response page(String id, ApiParams query, int status, String notice, CreatedToken created,
                          FormErrors errors) {
        ApiCaller caller = request.caller();
        GroupRow group = GroupRow.of(permissions.require(caller, id, GroupMember.GUEST), config.externalUrl());
        Page<TokenRow> page = tokens.list(caller, id, query.page()).map(DeployTokenPages::row);
        List<TokenRow> rows = page.items();
        return Response.status(status).entity(Pages.deployTokens(frames.of("Deploy tokens of " + group.fullPath(),
                notice), group, rows, Pager.of(page, group.url() + "/deploy_tokens", ""), created, errors)).build();
    }

    private static TokenRow row(DeployToken token) {
        return new TokenRow(token.getId(), token.getName(), token.getUsername(), String.join(", ", token.getScopes()),
                token.getExpiresAt() == null ? "never" : Formats.time(token.getExpiresAt()), token.isRevoked());
    }
}
