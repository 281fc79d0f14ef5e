package io.depproxy.controlplane.api;

import io.depproxy.controlplane.access.GroupPermissions;
import io.depproxy.controlplane.access.GroupService;
import io.depproxy.controlplane.api.dto.CreateGroupRequest;
import io.depproxy.controlplane.api.dto.GroupView;
import io.depproxy.controlplane.api.dto.UpdateGroupRequest;
import io.depproxy.controlplane.config.ControlPlaneConfig;
import io.depproxy.controlplane.domain.Group;
import io.depproxy.controlplane.domain.GroupMember;
import io.depproxy.controlplane.domain.TokenScopes;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /api/v4/groups}: {@code :id} is a numeric id or a URL-encoded full path ({@code acme%2Fplatform}). */
@RolesAllowed({TokenScopes.API, TokenScopes.ADMIN})
@Path("/api/v4/groups")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "groups")
public class GroupsResource {
    @Inject
    CurrentCaller caller;
    @Inject
    GroupService groups;
    @Inject
    GroupPermissions permissions;
    @Inject
    ControlPlaneConfig config;

    @POST
    @Operation(summary = "Create a group (administrators) or a subgroup (maintainers of the parent)")
    @Consumes({MediaType.APPLICATION_JSON, MediaType.APPLICATION_FORM_URLENCODED, MediaType.WILDCARD})
    public Response create(@Valid CreateGroupRequest body) {
        Group group = groups.create(caller.get(), body.name(), body.path(), body.parentId());
        return Response.status(Response.Status.CREATED).entity(view(group)).build();
    }

    @GET
    @Operation(summary = "List the groups the caller can see (paginated; ?search=)")
    public Response list(@Context UriInfo uri) {
        ApiParams params = ApiParams.of(uri);
        return Paginated.response(groups.list(caller.get(), params.string("search").orElse(null), params.page())
                .map(this::view), uri, config.externalUrl());
    }

    @GET
    @Path("{id: .+}")
    @Operation(summary = "Get a group")
    public GroupView get(@PathParam("id") String id) {
        return view(permissions.require(caller.get(), id, GroupMember.GUEST));
    }

    @PUT
    @Path("{id: .+}")
    @Operation(summary = "Rename a group (owners)")
    @Consumes({MediaType.APPLICATION_JSON, MediaType.APPLICATION_FORM_URLENCODED, MediaType.WILDCARD})
    public GroupView update(@PathParam("id") String id, @Valid UpdateGroupRequest body) {
        return view(groups.update(caller.get(), id, body.name(), body.path()));
    }

    @DELETE
    @Path("{id: .+}")
    @Operation(summary = "Delete a group and its subgroups (owners); cached objects are removed in the background")
    public Response delete(@PathParam("id") String id) {
        groups.delete(caller.get(), id);
        return Response.accepted().build();
    }

    private GroupView view(Group group) {
        return GroupView.of(group, config.externalUrl());
    }
}
