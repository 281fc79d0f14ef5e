package io.depproxy.controlplane.api;

import io.depproxy.controlplane.api.dto.UpstreamRequest;
import io.depproxy.controlplane.api.dto.UpstreamTestView;
import io.depproxy.controlplane.api.dto.UpstreamView;
import io.depproxy.controlplane.upstream.UpstreamConnectionTests;
import io.depproxy.controlplane.upstream.UpstreamService;
import io.depproxy.controlplane.config.ControlPlaneConfig;
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
    @Consumes({MediaType.APPLICATION_JSON, MediaType.APPLICATION_FORM_URLENCODED, MediaType.WILDCARD})
    public Response create(@Valid UpstreamRequest body) {
        UpstreamView created = UpstreamView.of(upstreams.create(caller.get(), body.change()));
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
    @Consumes({MediaType.APPLICATION_JSON, MediaType.APPLICATION_FORM_URLENCODED, MediaType.WILDCARD})
    public UpstreamView update(@PathParam("upstream_id") long id, @Valid UpstreamRequest body) {
        UpstreamView updated = UpstreamView.of(upstreams.update(caller.get(), id, body.change()));
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

}
