package io.depproxy.controlplane.api;

import io.depproxy.controlplane.api.dto.CreateGroupRequest;
import io.depproxy.controlplane.api.dto.GroupView;
import io.depproxy.controlplane.config.ControlPlaneConfig;
import io.depproxy.controlplane.error.ApiException;
import io.depproxy.controlplane.service.AuthenticationService;
import io.depproxy.controlplane.service.GroupService;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestForm;

/** {@code /api/v4/groups} (admin only for now): create, and get by numeric id or URL-encoded full path. */
@Path("/api/v4/groups")
@Produces(MediaType.APPLICATION_JSON)
public class GroupsResource {
    static final String PRIVATE_TOKEN = "PRIVATE-TOKEN";

    @Inject
    AuthenticationService authentication;
    @Inject
    GroupService groups;
    @Inject
    ControlPlaneConfig config;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@HeaderParam(PRIVATE_TOKEN) String privateToken,
                           @HeaderParam("Authorization") String authorization, CreateGroupRequest body) {
        authentication.requireAdmin(privateToken, authorization);
        if (body == null) {
            throw ApiException.badRequest("name is missing");
        }
        return created(body.name(), body.path(), body.parentId());
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response createFromForm(@HeaderParam(PRIVATE_TOKEN) String privateToken,
                                   @HeaderParam("Authorization") String authorization,
                                   @RestForm String name, @RestForm String path,
                                   @RestForm("parent_id") String parentId) {
        authentication.requireAdmin(privateToken, authorization);
        return created(name, path, parseId(parentId));
    }

    @GET
    @Path("{id: .+}")
    public GroupView get(@HeaderParam(PRIVATE_TOKEN) String privateToken,
                         @HeaderParam("Authorization") String authorization, @PathParam("id") String id) {
        authentication.requireAdmin(privateToken, authorization);
        return GroupView.of(groups.find(id), config.externalUrl());
    }

    private Response created(String name, String path, Long parentId) {
        GroupView view = GroupView.of(groups.create(name, path, parentId), config.externalUrl());
        return Response.status(Response.Status.CREATED).entity(view).build();
    }

    private static Long parseId(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("parent_id is invalid");
        }
    }
}
