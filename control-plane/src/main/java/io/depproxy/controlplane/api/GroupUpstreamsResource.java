package io.depproxy.controlplane.api;

import io.depproxy.controlplane.api.dto.GroupUpstreamCredentialsRequest;
import io.depproxy.controlplane.api.dto.GroupUpstreamsRequest;
import io.depproxy.controlplane.api.dto.GroupUpstreamsView;
import io.depproxy.controlplane.catalog.GroupUpstreamService;
import io.depproxy.controlplane.catalog.UpstreamCatalog;
import io.depproxy.controlplane.domain.TokenScopes;
import io.depproxy.controlplane.error.ApiException;
import io.depproxy.controlplane.identity.GroupPermissions;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
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
    @RequestBody(content = @Content(schema = @Schema(implementation = GroupUpstreamsRequest.class)))
    public GroupUpstreamsView replace(@PathParam("id") String id, @Context UriInfo uri, @Context HttpHeaders headers,
                                      String body) {
        ApiParams params = ApiParams.of(uri, headers, body);
        List<Long> ids = upstreamIds(params);
        return view(id, service.replace(caller.get(), id, ids, params.bool("fallback_on_error").orElse(null),
                params.bool("fallback_on_auth_error").orElse(null)));
    }

    @PUT
    @Path("{upstream_id: [0-9]{1,18}}")
    @Operation(summary = "Set the group's credentials for one upstream of its own list (owners; secret write-only)")
    @RequestBody(content = @Content(schema = @Schema(implementation = GroupUpstreamCredentialsRequest.class)))
    public GroupUpstreamsView credentials(@PathParam("id") String id, @PathParam("upstream_id") long upstreamId,
                                          @Context UriInfo uri, @Context HttpHeaders headers, String body) {
        ApiParams params = ApiParams.of(uri, headers, body);
        return view(id, service.setCredentials(caller.get(), id, upstreamId, params.string("identity").orElse(null),
                params.string("secret").orElse(null)));
    }

    private GroupUpstreamsView view(String id, GroupUpstreamService.Effective effective) {
        return GroupUpstreamsView.of(permissions.find(id).getId(), effective, catalog.openToAllGroups());
    }

    /** {@code upstream_ids} in order (empty: inherit again), or null when absent; the admin page's form sends it too. */
    public static List<Long> upstreamIds(ApiParams params) {
        return params.list("upstream_ids").map(GroupUpstreamsResource::ids).orElse(null);
    }

    private static List<Long> ids(List<String> values) {
        return values.stream().map(value -> {
            try {
                return Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("upstream_ids is invalid");
            }
        }).toList();
    }
}
