package io.depproxy.controlplane.api;

import io.depproxy.controlplane.access.GroupMemberService;
import io.depproxy.controlplane.api.dto.AddMemberRequest;
import io.depproxy.controlplane.api.dto.MemberView;
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

/** {@code /api/v4/groups/:id/members}: direct members; owners add and remove. */
@RolesAllowed({TokenScopes.API, TokenScopes.ADMIN})
@Path("/api/v4/groups/{id: .+}/members")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "members")
public class GroupMembersResource {
    @Inject
    CurrentCaller caller;
    @Inject
    GroupMemberService members;
    @Inject
    ControlPlaneConfig config;

    @GET
    @Operation(summary = "List the group's direct members (paginated)")
    public Response list(@PathParam("id") String id, @Context UriInfo uri) {
        return Paginated.response(members.list(caller.get(), id, ApiParams.of(uri).page()).map(MemberView::of), uri,
                config.externalUrl());
    }

    @GET
    @Path("{user_id: [0-9]+}")
    @Operation(summary = "Get a member")
    public MemberView get(@PathParam("id") String id, @PathParam("user_id") long userId) {
        return MemberView.of(members.get(caller.get(), id, userId));
    }

    @POST
    @Operation(summary = "Add a member (owners)")
    @Consumes({MediaType.APPLICATION_JSON, MediaType.APPLICATION_FORM_URLENCODED, MediaType.WILDCARD})
    public Response add(@PathParam("id") String id, @Valid AddMemberRequest body) {
        MemberView view = MemberView.of(members.add(caller.get(), id, body.userId(), body.accessLevel()));
        return Response.status(Response.Status.CREATED).entity(view).build();
    }

    @DELETE
    @Path("{user_id: [0-9]+}")
    @Operation(summary = "Remove a member (owners)")
    public Response remove(@PathParam("id") String id, @PathParam("user_id") long userId) {
        members.remove(caller.get(), id, userId);
        return Response.noContent().build();
    }
}
