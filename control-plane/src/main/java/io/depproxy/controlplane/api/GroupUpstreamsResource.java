package io.depproxy.controlplane.api;

import io.depproxy.controlplane.access.GroupPermissions;
import io.depproxy.controlplane.api.dto.GroupUpstreamCredentialsRequest;
import io.depproxy.controlplane.api.dto.GroupUpstreamsRequest;
import io.depproxy.controlplane.api.dto.GroupUpstreamsView;
import io.depproxy.controlplane.upstream.GroupUpstreamService;
import io.depproxy.controlplane.upstream.UpstreamCatalog;
import io.depproxy.controlplane.domain.TokenScopes;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /api/v4/groups/:id/dependency_proxy/upstreams}: the group's ordered upstreams and its credentials for them. */
@RolesAllowed({TokenScopes.API, TokenScopes.ADMIN})
@Path("/api/v4/groups/{id: .+}/dependency_proxy/upstreams")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "dependency proxy")
public class GroupUpstreamsResource {
    @Inject
    CurrentCaller caller;
    @Inject
    GroupUpstreamService service;
    @Inject
    GroupPermissions permissions;
    @Inject
    UpstreamCatalog catalog;

    @GET
    @Operation(summary = "The upstreams the group pulls from, in order (its own, an ancestor's, or the default)")
    public GroupUpstreamsView get(@PathParam("id") String id) {
        return view(id, service.view(caller.get(), id));
    }

    @PUT
    @Operation(summary = "Set the group's own upstream list (owners): upstream_ids in order, empty to inherit again"
            + " (owners may name what the group already uses and upstreams open to all groups, administrators any);"
            + " fallback_on_error lets an upstream error fall through to the next upstream, fallback_on_auth_error"
            + " a 401/403 (off by default: a public registry could answer for a private one)")
    @Consumes({MediaType.APPLICATION_JSON, MediaType.APPLICATION_FORM_URLENCODED, MediaType.WILDCARD})
    public GroupUpstreamsView replace(@PathParam("id") String id, @Valid GroupUpstreamsRequest body) {
        return view(id, service.replace(caller.get(), id, body.upstreamIds(), body.fallbackOnError(),
                body.fallbackOnAuthError()));
    }

    @PUT
    @Path("{upstream_id: [0-9]{1,18}}")
    @Operation(summary = "Set the group's credentials for one upstream of its own list (owners; secret write-only)")
    @Consumes({MediaType.APPLICATION_JSON, MediaType.APPLICATION_FORM_URLENCODED, MediaType.WILDCARD})
    public GroupUpstreamsView credentials(@PathParam("id") String id, @PathParam("upstream_id") long upstreamId,
                                          @Valid GroupUpstreamCredentialsRequest body) {
        return view(id, service.setCredentials(caller.get(), id, upstreamId, body.identity(), body.secret()));
    }

    private GroupUpstreamsView view(String id, GroupUpstreamService.Effective effective) {
        return GroupUpstreamsView.of(permissions.find(id).getId(), effective, catalog.openToAllGroups());
    }

}
