package io.depproxy.controlplane.api;

import io.depproxy.controlplane.api.dto.UpstreamRequest;
import io.depproxy.controlplane.api.dto.UpstreamTestView;
import io.depproxy.controlplane.api.dto.UpstreamView;
import io.depproxy.controlplane.catalog.UpstreamConnectionTests;
import io.depproxy.controlplane.catalog.UpstreamService;
import io.depproxy.controlplane.catalog.UpstreamService.UpstreamChange;
import io.depproxy.controlplane.config.ControlPlaneConfig;
import io.depproxy.controlplane.domain.TokenScopes;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /api/v4/dependency_proxy/upstreams}: the instance's upstream registries (instance administrators). */
@RolesAllowed({TokenScopes.API, TokenScopes.ADMIN})
@Path("/api/v4/dependency_proxy/upstreams")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "upstreams")
public class UpstreamsResource {
    @Inject
    CurrentCaller caller;
    @Inject
    UpstreamService upstreams;
    @Inject
    UpstreamConnectionTests tests;
    @Inject
    ControlPlaneConfig config;

    @GET
    @Operation(summary = "List the upstreams (paginated)")
    public Response list(@Context UriInfo uri) {
        return Paginated.response(upstreams.list(caller.get(), ApiParams.of(uri).page()).map(UpstreamView::of), uri,
                config.externalUrl());
    }

    @POST
    @Operation(summary = "Add an upstream: name (as its host, e.g. ghcr.io), url, optional username and secret;"
            + " open_to_all_groups (default: true without credentials, false with them)")
    @RequestBody(content = @Content(schema = @Schema(implementation = UpstreamRequest.class)))
    public Response create(@Context UriInfo uri, @Context HttpHeaders headers, String body) {
        UpstreamView created = UpstreamView.of(upstreams.create(caller.get(), change(ApiParams.of(uri, headers, body))));
        return Response.status(Response.Status.CREATED).entity(created).build();
    }

    @GET
    @Path("{upstream_id: [0-9]{1,18}}")
    @Operation(summary = "Get an upstream (the secret only as secret_set)")
    public UpstreamView get(@PathParam("upstream_id") long id) {
        return UpstreamView.of(upstreams.get(caller.get(), id));
    }

    @PUT
    @Path("{upstream_id: [0-9]{1,18}}")
    @Operation(summary = "Change an upstream (the default one: only manifest_revalidate_after and open_to_all_groups);"
            + " giving credentials to an upstream that had none closes it unless open_to_all_groups says otherwise")
    @RequestBody(content = @Content(schema = @Schema(implementation = UpstreamRequest.class)))
    public UpstreamView update(@PathParam("upstream_id") long id, @Context UriInfo uri, @Context HttpHeaders headers,
                               String body) {
        UpstreamView updated = UpstreamView.of(upstreams.update(caller.get(), id,
                change(ApiParams.of(uri, headers, body))));
        tests.forget(id);
        return updated;
    }

    @DELETE
    @Path("{upstream_id: [0-9]{1,18}}")
    @Operation(summary = "Delete an upstream; 409 while a group lists it, or for the default upstream")
    public Response delete(@PathParam("upstream_id") long id) {
        upstreams.delete(caller.get(), id);
        tests.forget(id);
        return Response.noContent().build();
    }

    @POST
    @Path("{upstream_id: [0-9]{1,18}}/test")
    @Operation(summary = "Connection test: what GET /v2/ answers, its auth challenge, and the answer with the"
            + " upstream's credentials when it has some")
    public UpstreamTestView test(@PathParam("upstream_id") long id) {
        return UpstreamTestView.of(tests.test(caller.get(), id).report());
    }

    /** The parameters of a creation or change, as the admin page's upstream form sends them too. */
    public static UpstreamChange change(ApiParams params) {
        return new UpstreamChange(params.string("name").orElse(null), params.string("url").orElse(null),
                params.string("username").orElse(null), params.string("secret").orElse(null),
                params.string("single_name_prefix").orElse(null),
                params.intIn("manifest_revalidate_after", 0, DependencyProxyResource.MAX_REVALIDATE_AFTER_SECONDS)
                        .orElse(null), params.bool("open_to_all_groups").orElse(null));
    }
}
