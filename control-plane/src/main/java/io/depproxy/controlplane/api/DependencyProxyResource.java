package io.depproxy.controlplane.api;

import io.depproxy.controlplane.api.dto.BlobView;
import io.depproxy.controlplane.api.dto.ManifestView;
import io.depproxy.controlplane.api.dto.SettingsView;
import io.depproxy.controlplane.api.dto.StatisticsView;
import io.depproxy.controlplane.api.dto.TtlPolicyView;
import io.depproxy.controlplane.api.dto.UpdateSettingsRequest;
import io.depproxy.controlplane.api.dto.UpdateTtlPolicyRequest;
import io.depproxy.controlplane.config.ControlPlaneConfig;
import io.depproxy.controlplane.cache.CacheListingService;
import io.depproxy.controlplane.settings.DependencyProxySettingsService;
import io.depproxy.controlplane.domain.TokenScopes;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
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

/** {@code /api/v4/groups/:id/dependency_proxy/…}: settings, TTL policy, what is cached, and the purge. */
@RolesAllowed({TokenScopes.API, TokenScopes.ADMIN})
@Path("/api/v4/groups/{id: .+}/dependency_proxy")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "dependency proxy")
public class DependencyProxyResource {
    @Inject
    CurrentCaller caller;
    @Inject
    DependencyProxySettingsService settings;
    @Inject
    CacheListingService cache;
    @Inject
    ControlPlaneConfig config;

    @GET
    @Path("settings")
    @Operation(summary = "The group's dependency proxy settings (the upstream secret only as secret_set)")
    public SettingsView settings(@PathParam("id") String id) {
        return SettingsView.of(settings.settings(caller.get(), id));
    }

    @PUT
    @Path("settings")
    @Operation(summary = "Change the settings (owners); identity and secret are the group's upstream credentials")
    @Consumes({MediaType.APPLICATION_JSON, MediaType.APPLICATION_FORM_URLENCODED, MediaType.WILDCARD})
    public SettingsView updateSettings(@PathParam("id") String id, @Valid UpdateSettingsRequest body) {
        return SettingsView.of(settings.updateSettings(caller.get(), id, body.change()));
    }

    @GET
    @Path("ttl_policy")
    @Operation(summary = "The group's cache expiry policy")
    public TtlPolicyView ttlPolicy(@PathParam("id") String id) {
        return TtlPolicyView.of(settings.ttlPolicy(caller.get(), id));
    }

    @PUT
    @Path("ttl_policy")
    @Operation(summary = "Change the cache expiry policy (owners)")
    @Consumes({MediaType.APPLICATION_JSON, MediaType.APPLICATION_FORM_URLENCODED, MediaType.WILDCARD})
    public TtlPolicyView updateTtlPolicy(@PathParam("id") String id, @Valid UpdateTtlPolicyRequest body) {
        return TtlPolicyView.of(settings.updateTtlPolicy(caller.get(), id, body.enabled(), body.ttl()));
    }

    @GET
    @Path("manifests")
    @Operation(summary = "The group's cached manifests (paginated)")
    public Response manifests(@PathParam("id") String id, @Context UriInfo uri) {
        return Paginated.response(cache.manifests(caller.get(), id, ApiParams.of(uri).page()).map(ManifestView::of),
                uri, config.externalUrl());
    }

    @GET
    @Path("blobs")
    @Operation(summary = "The group's cached blobs (paginated)")
    public Response blobs(@PathParam("id") String id, @Context UriInfo uri) {
        return Paginated.response(cache.blobs(caller.get(), id, ApiParams.of(uri).page()).map(BlobView::of),
                uri, config.externalUrl());
    }

    @GET
    @Path("statistics")
    @Operation(summary = "Cached records and bytes; hits, misses, bytes served from cache and fetched upstream")
    public StatisticsView statistics(@PathParam("id") String id) {
        CacheListingService.Statistics statistics = cache.statistics(caller.get(), id);
        return StatisticsView.of(statistics.stored(), statistics.counters());
    }

    @DELETE
    @Path("cache")
    @Operation(summary = "Purge the group's cache (owners): 202, the deletion workers remove every object")
    public Response purge(@PathParam("id") String id) {
        cache.purge(caller.get(), id);
        return Response.accepted().build();
    }
}
