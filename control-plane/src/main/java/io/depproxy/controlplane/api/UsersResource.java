package io.depproxy.controlplane.api;

import io.depproxy.controlplane.access.UserService;
import io.depproxy.controlplane.api.dto.CreateTokenRequest;
import io.depproxy.controlplane.api.dto.CreateUserRequest;
import io.depproxy.controlplane.api.dto.PersonalAccessTokenView;
import io.depproxy.controlplane.api.dto.UserView;
import io.depproxy.controlplane.config.ControlPlaneConfig;
import io.depproxy.controlplane.domain.TokenScopes;
import io.depproxy.controlplane.domain.User;
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

/** Users and personal access tokens: {@code /api/v4/users…} (administrators), {@code /api/v4/user} (the caller). */
@RolesAllowed({TokenScopes.API, TokenScopes.ADMIN})
@Path("/api/v4")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "users")
public class UsersResource {
    @Inject
    CurrentCaller caller;
    @Inject
    UserService users;
    @Inject
    ControlPlaneConfig config;

    @POST
    @Path("users")
    @Operation(summary = "Create a user (administrators)")
    @Consumes({MediaType.APPLICATION_JSON, MediaType.APPLICATION_FORM_URLENCODED, MediaType.WILDCARD})
    public Response create(@Valid CreateUserRequest body) {
        String email = body.email() == null || body.email().isBlank() ? null : body.email();
        User user = users.createUser(caller.get(), body.username(), body.name(), email,
                Boolean.TRUE.equals(body.admin()));
        return Response.status(Response.Status.CREATED).entity(UserView.of(user)).build();
    }

    @GET
    @Path("users")
    @Operation(summary = "List users (administrators; paginated; ?username=)")
    public Response list(@Context UriInfo uri) {
        ApiParams params = ApiParams.of(uri);
        return Paginated.response(users.list(caller.get(), params.string("username").orElse(null), params.page())
                .map(UserView::of), uri, config.externalUrl());
    }

    @GET
    @Path("user")
    @Operation(summary = "The user the token belongs to")
    public UserView current() {
        return UserView.of(caller.get().user());
    }

    @POST
    @Path("users/{id: [0-9]+}/personal_access_tokens")
    @Operation(summary = "Create a personal access token for a user (administrators); answers the token once")
    @Consumes({MediaType.APPLICATION_JSON, MediaType.APPLICATION_FORM_URLENCODED, MediaType.WILDCARD})
    public Response createToken(@PathParam("id") long userId, @Valid CreateTokenRequest body) {
        UserService.Created created = users.createPersonalAccessToken(caller.get(), userId, body.name(),
                body.scopes(), body.expiresAt());
        return Response.status(Response.Status.CREATED)
                .entity(PersonalAccessTokenView.of(created.token(), created.rawToken())).build();
    }

    @DELETE
    @Path("personal_access_tokens/{token_id: [0-9]+}")
    @Operation(summary = "Revoke a personal access token (administrators, or its owner)")
    public Response revokeToken(@PathParam("token_id") long tokenId) {
        users.revokePersonalAccessToken(caller.get(), tokenId);
        return Response.noContent().build();
    }
}
